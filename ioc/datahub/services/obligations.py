"""Obligations of the data hub (R1.3): an agency's duty to send a dataset on a cadence, and the reminders
("đôn đốc") before and after each due instant."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.assignments.selectors import agency_people
from ioc.audit.services import audit_record
from ioc.common.roles import Role, actor_require_role
from ioc.datahub import notices
from ioc.datahub.choices import DatasetStatus, DueState, ObligationFrequency, ReminderKind
from ioc.datahub.compliance import Calendars, obligation_status
from ioc.datahub.models import DEFAULT_DUE_TIME, Dataset, Obligation
from ioc.datahub.services.catalog import CATALOG_ROLES
from ioc.notifications.services import notification_enqueue
from ioc.worktime.selectors import LOCAL_TZ

if TYPE_CHECKING:
    from ioc.accounts.models import User
    from ioc.agencies.models import Agency

REMINDER_HOURS_MAX = 24 * 14
REMINDER_LOOKBACK_DAYS = 8
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
REMINDED_ROLES = (Role.AGENCY_OFFICER, Role.AGENCY_HEAD)


def _due_time(value: dt.time | str, errors: dict[str, list[str]]) -> dt.time:
    if isinstance(value, dt.time):
        return value
    match = _TIME.match(str(value).strip())
    if match is None:
        errors["due_time"] = [_("Giờ hạn phải có dạng HH:MM (ví dụ 17:00).")]
        return DEFAULT_DUE_TIME
    return dt.time(int(match[1]), int(match[2]))


def _weekdays(frequency: str, weekdays: Sequence[Any], errors: dict[str, list[str]]) -> list[int]:
    if any(not isinstance(day, int) or isinstance(day, bool) or not 1 <= day <= 7 for day in weekdays):
        errors["weekdays"] = [_("Thứ trong tuần phải là số từ 1 (thứ Hai) đến 7 (Chủ nhật).")]
        return []
    days = sorted(set(weekdays))
    if frequency == ObligationFrequency.WEEKLY and not days:
        errors["weekdays"] = [_("Chọn ít nhất một thứ trong tuần.")]
    return days


def _day_month(frequency: str, day: int | None, month: int | None, errors: dict[str, list[str]]) -> None:
    by_day = frequency in (ObligationFrequency.MONTHLY, ObligationFrequency.QUARTERLY, ObligationFrequency.YEARLY)
    if by_day and (day is None or not 1 <= day <= 31):
        errors["day"] = [_("Ngày hạn phải từ 1 đến 31.")]
    if frequency == ObligationFrequency.YEARLY and (month is None or not 1 <= month <= 12):
        errors["month"] = [_("Tháng hạn phải từ 1 đến 12.")]


def _reminders(before: int, after: int, errors: dict[str, list[str]]) -> None:
    for name, value in (("remind_before_hours", before), ("remind_after_hours", after)):
        if not 0 <= value <= REMINDER_HOURS_MAX:
            errors[name] = [_("Số giờ nhắc phải từ 0 đến %(max)d.") % {"max": REMINDER_HOURS_MAX}]


@transaction.atomic
def obligation_set(
    *,
    actor: User,
    dataset: Dataset,
    agency: Agency,
    frequency: str,
    weekdays: Sequence[int] = (),
    day: int | None = None,
    month: int | None = None,
    due_time: dt.time | str = DEFAULT_DUE_TIME,
    remind_before_hours: int = 24,
    remind_after_hours: int = 2,
    is_active: bool = True,
    starts_on: dt.date | None = None,
) -> Obligation:
    """R1.3: create or change the obligation of `agency` to send `dataset` (one per pair). A weekly obligation
    names its ISO weekdays; a template one may leave them empty when the profile sets a template cadence; monthly,
    quarterly and yearly ones name a day (and yearly a month). Due at 17:00 local time unless `due_time` says;
    dues count from `starts_on` (today, local, when a new obligation does not say)."""
    actor_require_role(actor, CATALOG_ROLES, _("Chỉ quản trị hệ thống và cán bộ IOC được giao nghĩa vụ gửi dữ liệu."))
    errors: dict[str, list[str]] = {}
    if frequency not in ObligationFrequency.values:
        errors["frequency"] = [_("Chu kỳ không hợp lệ.")]
    days = _weekdays(frequency, weekdays, errors)
    if frequency == ObligationFrequency.TEMPLATE and not days and not Calendars().cadence:
        errors["weekdays"] = [_("Địa phương chưa quy định lịch gửi mẫu biểu: chọn các thứ trong tuần.")]
    _day_month(frequency, day, month, errors)
    at = _due_time(due_time, errors)
    _reminders(remind_before_hours, remind_after_hours, errors)
    if dataset.status != DatasetStatus.PUBLISHED:
        errors["dataset"] = [_("Chỉ giao nghĩa vụ gửi cho bộ dữ liệu đã công bố.")]
    if not agency.is_active:
        errors["agency"] = [_("Cơ quan đã ngừng hoạt động.")]
    if errors:
        raise ValidationError(errors)
    values: dict[str, Any] = {
        "frequency": frequency,
        "weekdays": days,
        "day": day,
        "month": month if frequency == ObligationFrequency.YEARLY else None,
        "due_time": at,
        "remind_before_hours": remind_before_hours,
        "remind_after_hours": remind_after_hours,
        "is_active": is_active,
    }
    existing = Obligation.objects.filter(dataset=dataset, agency=agency).values_list("starts_on", flat=True).first()
    values["starts_on"] = starts_on or existing or timezone.localdate(timezone.now(), LOCAL_TZ)
    obligation, created = Obligation.objects.update_or_create(dataset=dataset, agency=agency, defaults=values)
    changes = {
        **values,
        "due_time": at.strftime("%H:%M"),
        "starts_on": str(values["starts_on"]),
        "dataset": dataset.code,
        "agency": agency.code,
    }
    audit_record(
        actor=actor,
        action="datahub_obligation.create" if created else "datahub_obligation.update",
        obj=obligation,
        changes=changes,
    )
    return obligation


def _reminder_kind(due_at: dt.datetime, state: str, obligation: Obligation, now: dt.datetime) -> str | None:
    before = due_at - dt.timedelta(hours=obligation.remind_before_hours)
    if state == DueState.UPCOMING and before <= now < due_at:
        return ReminderKind.BEFORE
    if state == DueState.MISSING and now >= due_at + dt.timedelta(hours=obligation.remind_after_hours):
        return ReminderKind.AFTER
    return None


def _remind(obligation: Obligation, due_at: dt.datetime, kind: str, recipients: Sequence[User]) -> int:
    context = {
        "dataset_name": obligation.dataset.name,
        "agency_name": obligation.agency.name,
        "deadline": due_at.astimezone(LOCAL_TZ).strftime("%H:%M %d/%m/%Y"),
        "url": reverse("datahub:dataset_detail", args=[obligation.dataset.code]),
    }
    rows = notification_enqueue(
        event=f"datahub_obligation.remind_{kind}",
        recipients=recipients,
        template=notices.REMIND_BEFORE if kind == ReminderKind.BEFORE else notices.REMIND_AFTER,
        context=context,
        dedup_key=f"datahub.obligation:{obligation.pk}:{due_at.isoformat()}:{kind}",
    )
    return len(rows)


def obligation_reminders_send(*, now: dt.datetime | None = None) -> int:
    """R1.3: remind each agency before a due instant (within `remind_before_hours`) and chase it ("đôn đốc") once
    `remind_after_hours` have passed with nothing received. Each obligation × due instant × kind is sent once:
    the outbox refuses a repeated dedup key, so a second or concurrent run sends nothing twice. Returns the number
    of messages written."""
    now = now or timezone.now()
    today = now.astimezone(LOCAL_TZ).date()
    calendars = Calendars()
    sent = 0
    for obligation in Obligation.objects.filter(is_active=True).select_related("dataset", "agency"):
        ahead = dt.timedelta(hours=obligation.remind_before_hours, days=1)
        status = obligation_status(
            obligation=obligation,
            start=today - dt.timedelta(days=REMINDER_LOOKBACK_DAYS),
            end=(now + ahead).astimezone(LOCAL_TZ).date(),
            now=now,
            calendars=calendars,
        )
        due_kinds = [(due.at, _reminder_kind(due.at, due.state, obligation, now)) for due in status.dues]
        wanted = [(at, kind) for at, kind in due_kinds if kind is not None]
        if not wanted:
            continue
        recipients = agency_people(agency=obligation.agency, roles=REMINDED_ROLES)
        if not recipients:
            continue
        with transaction.atomic():
            sent += sum(_remind(obligation, at, kind, recipients) for at, kind in wanted)
    return sent
