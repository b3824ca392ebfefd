"""R2.6: data calls — a leader or the IOC asks an agency for an indicator's values of a period (periodically, ad
hoc "đột xuất" or on request) with a deadline; answered when the agency's values arrive; reminded until then.

A deadline given in working days counts in the receiving agency's working time (`worktime.calendar_for` /
`deadline_add`, as `ioc.assignments` does): weekends, holidays and the administrator's exceptions do not count.
Reminders are durable rows: `next_reminder_at` (one working day before the deadline, then every working day
while overdue, at most MAX_REMINDERS) is selected by due time, never "since the last run"; each reminder has its
own dedup key, and a reminder due on a day off (a calendar exception added since) waits for the next working day.
Recurring calls (rules per indicator × agency × period type) are opened by `services.rules`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ioc.assignments.selectors import agency_people
from ioc.audit.services import audit_record, audit_record_bulk
from ioc.common.periods import period_parse
from ioc.common.roles import Role
from ioc.indicators import notices
from ioc.indicators.choices import CallKind, CallStatus
from ioc.indicators.models import DataCall, Indicator
from ioc.indicators.services._base import CALL_ROLES, require_roles
from ioc.notifications.services import notification_enqueue
from ioc.worktime.selectors import LOCAL_TZ, WorkCalendar, calendar_for, deadline_add, is_working_day, next_working_day

if TYPE_CHECKING:
    from ioc.accounts.models import User
    from ioc.agencies.models import Agency
    from ioc.indicators.models import CallRule

MAX_REMINDERS = 3
MAX_WORKING_DAYS = 60  # a longer deadline is a typing slip, not a data call


def working_start(day: dt.date, calendar: WorkCalendar) -> dt.datetime:
    """The first working moment on `day`, or on the next working day when `day` is a day off."""
    if not is_working_day(day, calendar):
        day = next_working_day(day, calendar)
    opens = calendar.periods[0][0] if calendar.periods and not calendar.around_the_clock else dt.time(0)
    return dt.datetime.combine(day, opens, LOCAL_TZ)


def call_deadline(*, start: dt.datetime, working_days: int, calendar: WorkCalendar) -> dt.datetime:
    """R2.6: `working_days` full working days of the agency's calendar after `start`."""
    return deadline_add(start=start, working_hours=working_days * calendar.hours_per_day, calendar=calendar)


def _previous_working_day(day: dt.date, calendar: WorkCalendar) -> dt.date:
    for back in range(1, 367):
        candidate = day - dt.timedelta(days=back)
        if is_working_day(candidate, calendar):
            return candidate
    return day - dt.timedelta(days=1)  # pragma: no cover - a year without a working day


def _on_working_day(moment: dt.datetime, calendar: WorkCalendar) -> dt.datetime:
    """`moment` when its local day is a working day, else the same clock time on the next working day."""
    local = moment.astimezone(LOCAL_TZ)
    if is_working_day(local.date(), calendar):
        return local
    return dt.datetime.combine(next_working_day(local.date(), calendar), local.time(), LOCAL_TZ)


def first_reminder(deadline: dt.datetime, calendar: WorkCalendar) -> dt.datetime:
    """One working day before the deadline, at its clock time (Monday's deadline is reminded on Friday)."""
    local = deadline.astimezone(LOCAL_TZ)
    return dt.datetime.combine(_previous_working_day(local.date(), calendar), local.time(), LOCAL_TZ)


def _send(call: DataCall, template: str, key: str) -> None:
    recipients = agency_people(agency=call.agency, roles=[Role.AGENCY_OFFICER, Role.AGENCY_HEAD])
    if not recipients:
        return
    notification_enqueue(
        event=f"indicator_call.{template.rsplit('.', 1)[-1]}",
        recipients=recipients,
        template=template,
        context={
            "indicator": f"{call.indicator.code} — {call.indicator.name}",
            "period": call.period,
            "agency_name": call.agency.name,
            "deadline": call.deadline_at.astimezone(LOCAL_TZ).strftime("%H:%M %d/%m/%Y"),
            "text": call.note,
            "url": reverse("indicators:owed"),
        },
        dedup_key=key,
    )


def _deadline_errors(deadline_at: dt.datetime | None, working_days: int | None) -> dict[str, list[str]]:
    if (deadline_at is None) == (working_days is None):
        return {"deadline_at": ["Cần một hạn: ngày giờ hoặc số ngày làm việc / Give a date or working days"]}
    if working_days is not None and not 1 <= working_days <= MAX_WORKING_DAYS:
        return {"working_days": [f"Từ 1 đến {MAX_WORKING_DAYS} ngày làm việc / 1 to {MAX_WORKING_DAYS} working days"]}
    if deadline_at is not None and deadline_at <= timezone.now():
        return {"deadline_at": ["Hạn phải ở tương lai / The deadline must be in the future"]}
    return {}


@transaction.atomic
def data_call_create(
    *,
    actor: User,
    indicator: Indicator,
    agency: Agency,
    period: str,
    deadline_at: dt.datetime | None = None,
    working_days: int | None = None,
    kind: str = CallKind.PERIODIC,
    note: str = "",
) -> DataCall:
    """R2.6: ask an agency for values, due at `deadline_at` or `working_days` of the agency's working time from now;
    the agency's people are told at once."""
    require_roles(actor, CALL_ROLES, "Chỉ lãnh đạo hoặc cán bộ IOC yêu cầu báo cáo số liệu")
    errors: dict[str, list[str]] = _deadline_errors(deadline_at, working_days)
    if not indicator.is_active:
        errors["indicator"] = ["Chỉ số đã thôi áp dụng / The indicator is retired"]
    try:
        period_parse(period)
    except ValidationError:
        errors["period"] = ["Kỳ không hợp lệ (2025, 2025Q3, 202507) / Invalid period"]
    if kind not in CallKind.values:
        errors["kind"] = ["Loại yêu cầu không hợp lệ / Unknown kind"]
    if errors:
        raise ValidationError(errors)
    calendar = calendar_for(agency=agency)
    if deadline_at is None:
        assert working_days is not None  # one of the two, checked above
        deadline_at = call_deadline(start=timezone.now(), working_days=working_days, calendar=calendar)
    return call_open(
        actor=actor, requested_by=actor, indicator=indicator, agency=agency, period=period, deadline_at=deadline_at,
        kind=kind, note=note, calendar=calendar,
    )  # fmt: skip


def call_open(
    *,
    actor: User,
    requested_by: User,
    indicator: Indicator,
    agency: Agency,
    period: str,
    deadline_at: dt.datetime,
    kind: str,
    note: str,
    calendar: WorkCalendar,
    rule: CallRule | None = None,
) -> DataCall:
    """Write a checked call (in the caller's transaction), audit it and tell the agency: the one write of a call,
    shared by `data_call_create` and the recurring rules' sweep (`requested_by`: the rule's author)."""
    reminder = first_reminder(deadline_at, calendar)
    call = DataCall.objects.create(
        indicator=indicator,
        agency=agency,
        period=period,
        kind=kind,
        note=note,
        deadline_at=deadline_at,
        requested_by=requested_by,
        # A deadline within a working day of now: the notice just sent is the reminder; the next one is at it.
        next_reminder_at=reminder if reminder > timezone.now() else deadline_at,
        rule=rule,
    )
    changes = {**call.as_dict(), "deadline_at": deadline_at.isoformat(), "rule": rule.pk if rule else None}
    audit_record(actor=actor, action="indicator_call.create", obj=call, changes=changes)
    _send(call, notices.CALL_NEW, f"indicator_call:{call.pk}:new")
    return call


@transaction.atomic
def data_call_cancel(*, actor: User, call: DataCall, reason: str) -> DataCall:
    require_roles(actor, CALL_ROLES, "Chỉ lãnh đạo hoặc cán bộ IOC hủy yêu cầu báo cáo")
    if call.status != CallStatus.OPEN:
        raise ValidationError({"status": ["Yêu cầu không còn chờ báo cáo / The call is no longer open"]})
    call.status, call.next_reminder_at = CallStatus.CANCELLED, None
    call.save(update_fields=["status", "next_reminder_at"])
    audit_record(actor=actor, action="indicator_call.cancel", obj=call, changes={"reason": reason})
    return call


def calls_answer(*, actor: User, touched: set[tuple[int, str]]) -> int:
    """R2.6: open calls whose (indicator, period) a stored batch covered are answered (one audit entry)."""
    open_calls = DataCall.objects.filter(status=CallStatus.OPEN, indicator_id__in={i for i, _p in touched})
    answered = [c for c in open_calls if (c.indicator_id, c.period) in touched]
    if not answered:
        return 0
    now = timezone.now()
    DataCall.objects.filter(pk__in=[c.pk for c in answered]).update(
        status=CallStatus.ANSWERED, answered_at=now, next_reminder_at=None
    )
    audit_record_bulk(
        actor=actor,
        action="indicator_call.answer",
        object_type="indicators.datacall",
        rows=[(c.pk, c.indicator_id, c.period) for c in answered],
    )
    return len(answered)


@transaction.atomic
def data_calls_remind(*, actor: User, now: dt.datetime | None = None) -> int:
    """R2.6: send the reminders that are due, on the agency's working days only (safe to run twice: each reminder's
    dedup key is its number); one due on a day off is moved to the next working day's start, not sent."""
    now = now or timezone.now()
    due = list(
        DataCall.objects.select_related("indicator", "agency")
        .filter(status=CallStatus.OPEN, next_reminder_at__lte=now)
        .select_for_update()
    )
    calendars: dict[int, WorkCalendar] = {}
    sent: list[DataCall] = []
    for call in due:
        if call.agency_id not in calendars:
            calendars[call.agency_id] = calendar_for(agency=call.agency)
        calendar = calendars[call.agency_id]
        if not is_working_day(now.astimezone(LOCAL_TZ).date(), calendar):
            call.next_reminder_at = working_start(now.astimezone(LOCAL_TZ).date(), calendar)
            call.save(update_fields=["next_reminder_at"])
            continue
        call.reminders_sent += 1
        _send(call, notices.CALL_REMINDER, f"indicator_call:{call.pk}:reminder:{call.reminders_sent}")
        more = call.reminders_sent < MAX_REMINDERS
        following = _on_working_day(max(now, call.deadline_at) + dt.timedelta(days=1), calendar)
        call.next_reminder_at = following if more else None
        call.save(update_fields=["reminders_sent", "next_reminder_at"])
        sent.append(call)
    if sent:
        audit_record_bulk(
            actor=actor,
            action="indicator_call.remind",
            object_type="indicators.datacall",
            rows=[(c.pk, c.reminders_sent) for c in sent],
        )
    return len(sent)
