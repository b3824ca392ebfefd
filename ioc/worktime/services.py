"""Writes of working time (R3.3, R4.3): the administrator edits exceptions and agencies' working hours."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.accounts.choices import Role
from ioc.accounts.models import User
from ioc.agencies.models import Agency
from ioc.audit.services import audit_record
from ioc.common.roles import WORKTIME_CONFIG_ROLES, actor_require_role
from ioc.worktime.calendar import is_statutory_working_day
from ioc.worktime.choices import ExceptionKind
from ioc.worktime.models import AgencyWorkingHours, CalendarException
from ioc.worktime.selectors import CALENDARS

if TYPE_CHECKING:
    from ioc.accounts.models import User


def _require_config(actor: User) -> None:
    """R7.1: the working calendar and hours are set by a system administrator or an IOC leader."""
    actor_require_role(
        actor,
        WORKTIME_CONFIG_ROLES,
        _(
            "Chỉ quản trị hệ thống, lãnh đạo IOC được sửa lịch làm việc / "
            "Only a system administrator or an IOC leader may change working time"
        ),
    )


def calendar_exception_validate(*, day: dt.date, kind: str, name: str, document_ref: str) -> None:
    """Raise ValidationError naming each bad field (forms call it to show the errors before saving)."""
    errors: dict[str, list[str]] = {}
    if kind not in ExceptionKind.values:
        errors["kind"] = [_("Loại không hợp lệ / Unknown kind")]
    elif kind == ExceptionKind.WORKING_DAY and is_statutory_working_day(day):
        errors["kind"] = [_("Ngày này vốn là ngày làm việc / This day is already a working day")]
    elif kind == ExceptionKind.DAY_OFF and not is_statutory_working_day(day):
        errors["kind"] = [_("Ngày này vốn là ngày nghỉ / This day is already a day off")]
    if not name.strip():
        errors["name"] = [_("Cần nhập tên / A name is required")]
    if not document_ref.strip():
        errors["document_ref"] = [_("Cần ghi văn bản quyết định / The deciding document is required")]
    if CalendarException.objects.filter(date=day).exists():
        errors["date"] = [_("Ngày này đã có ngoại lệ / This date already has an exception")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def calendar_exception_add(*, actor: User, day: dt.date, kind: str, name: str, document_ref: str) -> CalendarException:
    """R3.3, R4.3: declare an extra day off or a compensatory working day, citing its document."""
    _require_config(actor)
    calendar_exception_validate(day=day, kind=kind, name=name, document_ref=document_ref)
    exception = CalendarException.objects.create(
        date=day, kind=kind, name=name.strip(), document_ref=document_ref.strip()
    )
    audit_record(
        actor=actor,
        action="calendar_exception.add",
        obj=exception,
        changes={"date": day.isoformat(), "kind": kind, "name": exception.name, "document": exception.document_ref},
    )
    CALENDARS.changed()
    return exception


@transaction.atomic
def calendar_exception_remove(*, actor: User, exception: CalendarException) -> None:
    """R3.3, R4.3: withdraw an exception (the national calendar applies again on that date)."""
    _require_config(actor)
    changes = {"date": exception.date.isoformat(), "kind": exception.kind, "document": exception.document_ref}
    audit_record(actor=actor, action="calendar_exception.remove", obj=exception, changes=changes)
    CalendarException.objects.filter(pk=exception.pk).delete()
    CALENDARS.changed()


def working_hours_validate(periods: list[tuple[dt.time, dt.time]]) -> None:
    """Raise ValidationError naming the field when the periods are not increasing and disjoint."""
    names = [("morning_start", "morning_end"), ("afternoon_start", "afternoon_end")]
    previous = dt.time.min
    for (start, end), (start_name, end_name) in zip(periods, names, strict=True):
        if start < previous:
            raise ValidationError({start_name: [_("Buổi chiều phải sau buổi sáng / Afternoon must follow morning")]})
        if end <= start:
            raise ValidationError({end_name: [_("Giờ kết thúc phải sau giờ bắt đầu / End must be after start")]})
        previous = end


@transaction.atomic
def agency_working_hours_set(
    *,
    actor: User,
    agency: Agency | None,
    morning_start: dt.time,
    morning_end: dt.time,
    afternoon_start: dt.time,
    afternoon_end: dt.time,
    around_the_clock: bool = False,
) -> AgencyWorkingHours:
    """R3.3, R4.3: set an agency's working periods (agency None = the default for every agency), or 24/7."""
    _require_config(actor)
    working_hours_validate([(morning_start, morning_end), (afternoon_start, afternoon_end)])
    values = {
        "morning_start": morning_start,
        "morning_end": morning_end,
        "afternoon_start": afternoon_start,
        "afternoon_end": afternoon_end,
        "around_the_clock": around_the_clock,
        "updated_at": timezone.now(),
    }
    row = AgencyWorkingHours.objects.select_for_update().filter(agency=agency).first()
    if row is None:
        row = AgencyWorkingHours.objects.create(agency=agency, **values)
    else:
        AgencyWorkingHours.objects.filter(pk=row.pk).update(**values)
        row.refresh_from_db()
    changes = {k: (v.isoformat() if isinstance(v, dt.time) else v) for k, v in values.items() if k != "updated_at"}
    audit_record(actor=actor, action="working_hours.set", obj=row, changes=changes)
    CALENDARS.changed()
    return row


@transaction.atomic
def agency_working_hours_remove(*, actor: User, agency: Agency | None) -> None:
    """R3.3, R4.3: drop an agency's own working hours (the default then applies to it); agency None drops the
    default row (the built-in 7:30–11:30, 13:30–17:00 then applies). System administrator only."""
    if actor is None or not actor.has_role(Role.SYSTEM_ADMIN):
        raise PermissionDenied(_("Chỉ quản trị hệ thống được sửa lịch / Only administrators edit the calendar"))
    row = AgencyWorkingHours.objects.select_for_update().filter(agency=agency).first()
    if row is None:
        raise ValidationError({"agency": [_("Cơ quan không có giờ làm việc riêng / No own working hours")]})
    changes = {"agency": agency.code if agency is not None else None, "was": str(row)}
    audit_record(actor=actor, action="working_hours.remove", obj=row, changes=changes)
    row.delete()
    CALENDARS.changed()
