"""Shared pieces of the citizen-report services: refusals, text checks, locking, transitions, the timeline,
notifications to reporters (R3.3, R3.4, R7.5)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, NoReturn

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.accounts.models import User
from ioc.assignments.models import Assignment
from ioc.audit.services import audit_record
from ioc.citizen_reports import permissions
from ioc.citizen_reports.choices import TRANSITIONS, ReportStatus
from ioc.citizen_reports.models import Report, ReporterContact, ReportEvent
from ioc.citizen_reports.privacy import DecryptionError, decrypt
from ioc.common import plaintext
from ioc.common.bulk import insert_returning
from ioc.common.plaintext import TextProblem
from ioc.notifications.services import Address, notification_enqueue
from ioc.worktime.selectors import LOCAL_TZ

PROCESS = "citizen_reports"  # the assignments process of citizen reports
DEFAULT_PUBLIC_BASE_URL = "http://127.0.0.1:8000"


def refuse(field: str, message: str, code: str = "invalid") -> NoReturn:
    """Raise the ValidationError an API turns into a 400 naming `field`, a form into a field error."""
    raise ValidationError({field: [ValidationError(message, code=code)]})


def text_problem(value: str, *, max_length: int, required: bool) -> TextProblem | None:
    """`plaintext.text_problem` with control characters refused too (free text from citizens)."""
    return plaintext.text_problem(value, max_length=max_length, required=required, control_chars=True)


def clean_text(value: Any, *, field: str, max_length: int, required: bool = False) -> str:
    """Free text from a citizen or an officer: `plaintext.clean_text`, control characters refused too."""
    return plaintext.clean_text(value, field=field, max_length=max_length, required=required, control_chars=True)


def require_ioc(actor: User) -> None:
    if not permissions.is_ioc_staff(actor):
        raise PermissionDenied(
            _("Chỉ cán bộ vận hành, lãnh đạo IOC được làm việc này / Only IOC operators and leaders may do this")
        )


def require_approver(actor: User) -> None:
    if not permissions.is_approver(actor):
        raise PermissionDenied(_("Chỉ lãnh đạo IOC được duyệt / Only an IOC leader may approve"))


def user_or_none(actor: User | None) -> User | None:
    return actor if isinstance(actor, User) and actor.pk else None


def lock(report: Report) -> Report:
    """The report's row, locked for this transaction (PostgreSQL; SQLite's IMMEDIATE transaction serialises).

    Its current assignment is locked first: the assignment services lock the assignment and then (through the
    subject handler) the report, so every path takes the two locks in the same order.
    """
    current = Report.objects.filter(pk=report.pk).values_list("assignment_id", flat=True).first()
    if current:
        list(Assignment.objects.select_for_update().filter(pk=current).values_list("pk", flat=True))
    return Report.objects.select_for_update(of=("self",)).select_related("category").get(pk=report.pk)


def check_move(fresh: Report, to: str) -> None:
    if to not in TRANSITIONS.get(fresh.status, frozenset()):
        refuse(
            "status",
            _("Không thể chuyển phản ánh từ “%(from)s” sang “%(to)s” / Not allowed: %(from_code)s → %(to_code)s")
            % {
                "from": ReportStatus(fresh.status).label,
                "to": ReportStatus(to).label,
                "from_code": fresh.status,
                "to_code": to,
            },
            code="transition",
        )


def apply(original: Report, fresh: Report, changes: dict[str, Any]) -> None:
    """Write `changes` to the locked row and mirror them on the caller's instance."""
    for name, value in changes.items():
        setattr(fresh, name, value)
        if original is not fresh:
            setattr(original, name, value)
    fresh.save(update_fields=list(changes))


def event(
    report: Report, *, actor: User | None, from_status: str, to_status: str, note: str = "", is_public: bool = True
) -> ReportEvent:
    row = ReportEvent(
        report=report,
        actor=user_or_none(actor),
        from_status=from_status,
        to_status=to_status,
        note=note,
        is_public=is_public,
    )
    insert_returning([row], prepared=True)  # the same statement on every step: prepared on PostgreSQL
    return row


def move(
    original: Report,
    fresh: Report,
    *,
    to: str,
    actor: User | None,
    action: str,
    note: str = "",
    is_public: bool = True,
    changes: dict[str, Any] | None = None,
    audit: dict[str, Any] | None = None,
) -> Report:
    """R3.3: one allowed transition: the row, its timeline event and its audit entry (`actor=None`: the reporter,
    a citizen who is not an account, acting through the report's private link)."""
    check_move(fresh, to)
    from_status = fresh.status
    apply(original, fresh, {**(changes or {}), "status": to})
    event(fresh, actor=actor, from_status=from_status, to_status=to, note=note, is_public=is_public)
    audit_record(
        actor=actor, action=f"report.{action}", obj=fresh, changes={"from": from_status, "to": to, **(audit or {})}
    )
    return fresh


def now() -> dt.datetime:
    return timezone.now()


# --- links and notifications -------------------------------------------------------------------------------


def public_base_url() -> str:
    return str(getattr(settings, "IOC_PUBLIC_BASE_URL", "") or DEFAULT_PUBLIC_BASE_URL).rstrip("/")


def tracking_url(code: str) -> str:
    return f"{public_base_url()}/phan-anh/tra-cuu/{code}/"


def private_url(code: str, token: str) -> str:
    return f"{tracking_url(code)}?t={token}"


def contact_addresses(contact: ReporterContact | None) -> list[Address]:
    """The reporter's e-mail and SMS addresses (none once erased or unreadable)."""
    if contact is None or contact.erased_at is not None:
        return []
    try:
        email = decrypt(contact.email_encrypted)
        phone = decrypt(contact.phone_encrypted)
        name = decrypt(contact.name_encrypted)
    except DecryptionError:
        return []
    return addresses_of(email=email, phone=phone, name=name)


def addresses_of(*, email: str, phone: str, name: str) -> list[Address]:
    """The e-mail and SMS addresses of a reporter's contact in clear (a new report's, before it is sealed)."""
    found = []
    if email:
        found.append(Address(channel="email", address=email, name=name))
    if phone:
        found.append(Address(channel="sms", address=phone, name=name))
    return found


def _contact_of(report: Report) -> ReporterContact | None:
    return ReporterContact.objects.filter(report_id=report.pk).first()


def followers(report: Report) -> list[tuple[Report, list[Address]]]:
    """R3.4: the report's own reporter and the reporters of reports marked as its duplicates."""
    reports = [report, *Report.objects.filter(duplicate_of=report, status=ReportStatus.DUPLICATE).order_by("pk")]
    contacts = {c.report_id: c for c in ReporterContact.objects.filter(report_id__in=[r.pk for r in reports])}
    found = []
    for item in reports:
        addresses = contact_addresses(contacts.get(item.pk))
        if addresses:
            found.append((item, addresses))
    return found


def notify_followers(report: Report, *, event_name: str, template: str, stamp: str, extra: dict[str, Any]) -> None:
    """Tell everyone following `report` (its reporter, its duplicates' reporters) about a step of it."""
    for item, addresses in followers(report):
        context = {
            "tracking_code": report.tracking_code,
            "own_tracking_code": item.tracking_code,
            "tracking_url": tracking_url(report.tracking_code),
            "category": report.category.name,
            "is_duplicate": item.pk != report.pk,
            **extra,
        }
        notification_enqueue(
            event=event_name,
            recipients=addresses,
            template=template,
            context=context,
            dedup_key=f"{PROCESS}:{report.pk}:{event_name}:{stamp}:{item.pk}",
        )


def stamp_of(moment: dt.datetime | None) -> str:
    return moment.strftime("%Y%m%dT%H%M%S%f") if moment else "none"


def ids(values: Iterable[Any], *, field: str) -> list[int]:
    """Integer ids from user input; a clear error naming `field` otherwise."""
    found = []
    for value in values:
        try:
            found.append(int(value))
        except (TypeError, ValueError):
            refuse(field, _("Mã không hợp lệ: %(v)s / Invalid id: %(v)s") % {"v": str(value)[:20]})
    return found


def notify_duplicate(duplicate: Report, original: Report) -> None:
    """R3.4: the duplicate's reporter learns which report they now follow."""
    addresses = contact_addresses(_contact_of(duplicate))
    if not addresses:
        return
    notification_enqueue(
        event="citizen_reports.duplicate",
        recipients=addresses,
        template="citizen_reports.duplicate",
        context={
            "own_tracking_code": duplicate.tracking_code,
            "tracking_code": original.tracking_code,
            "tracking_url": tracking_url(original.tracking_code),
            "category": original.category.name,
        },
        dedup_key=f"{PROCESS}:{duplicate.pk}:duplicate:{original.pk}",
    )


def local_text(moment: dt.datetime | None) -> str:
    """A moment as people in Vietnam read it: "17:00 15/07/2025"."""
    if moment is None:
        return ""
    return timezone.localtime(moment, LOCAL_TZ).strftime("%H:%M %d/%m/%Y")
