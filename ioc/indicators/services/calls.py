"""R2.6: data calls — a leader or the IOC asks an agency for an indicator's values of a period (periodically, ad
hoc "đột xuất" or on request) with a deadline; answered when the agency's values arrive; reminded until then.

Reminders are durable rows: `next_reminder_at` (a day before the deadline, then daily while overdue, at most
MAX_REMINDERS) is selected by due time, never "since the last run"; each reminder has its own dedup key.
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
from ioc.worktime.selectors import LOCAL_TZ

if TYPE_CHECKING:
    from ioc.accounts.models import User
    from ioc.agencies.models import Agency

MAX_REMINDERS = 3
REMIND_BEFORE = dt.timedelta(days=1)


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


@transaction.atomic
def data_call_create(
    *,
    actor: User,
    indicator: Indicator,
    agency: Agency,
    period: str,
    deadline_at: dt.datetime,
    kind: str = CallKind.PERIODIC,
    note: str = "",
) -> DataCall:
    """R2.6: ask an agency for values; the agency's people are told at once."""
    require_roles(actor, CALL_ROLES, "Chỉ lãnh đạo hoặc cán bộ IOC yêu cầu báo cáo số liệu")
    errors: dict[str, list[str]] = {}
    if not indicator.is_active:
        errors["indicator"] = ["Chỉ số đã thôi áp dụng / The indicator is retired"]
    try:
        period_parse(period)
    except ValidationError:
        errors["period"] = ["Kỳ không hợp lệ (2025, 2025Q3, 202507) / Invalid period"]
    if kind not in CallKind.values:
        errors["kind"] = ["Loại yêu cầu không hợp lệ / Unknown kind"]
    if deadline_at <= timezone.now():
        errors["deadline_at"] = ["Hạn phải ở tương lai / The deadline must be in the future"]
    if errors:
        raise ValidationError(errors)
    call = DataCall.objects.create(
        indicator=indicator,
        agency=agency,
        period=period,
        kind=kind,
        note=note,
        deadline_at=deadline_at,
        requested_by=actor,
        next_reminder_at=deadline_at - REMIND_BEFORE,
    )
    audit_record(actor=actor, action="indicator_call.create", obj=call, changes=call.as_dict())
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
    """R2.6: send the reminders that are due (safe to run twice: each reminder's dedup key is its number)."""
    now = now or timezone.now()
    due = list(
        DataCall.objects.select_related("indicator", "agency")
        .filter(status=CallStatus.OPEN, next_reminder_at__lte=now)
        .select_for_update()
    )
    for call in due:
        call.reminders_sent += 1
        _send(call, notices.CALL_REMINDER, f"indicator_call:{call.pk}:reminder:{call.reminders_sent}")
        more = call.reminders_sent < MAX_REMINDERS
        call.next_reminder_at = max(now, call.deadline_at) + dt.timedelta(days=1) if more else None
        call.save(update_fields=["reminders_sent", "next_reminder_at"])
    if due:
        audit_record_bulk(
            actor=actor,
            action="indicator_call.remind",
            object_type="indicators.datacall",
            rows=[(c.pk, c.reminders_sent) for c in due],
        )
    return len(due)
