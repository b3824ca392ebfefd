"""The staff's reads of citizen reports (R3.3, R7.1, R7.5): scoped lists and details, timelines, photos, the
reporter's contact (audited), the mailbox's new items (R3.1) and the operators' queue (R3.3)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from ioc.accounts.choices import Role
from ioc.accounts.selectors import user_scope
from ioc.audit.services import audit_personal_data_read
from ioc.citizen_reports import permissions
from ioc.citizen_reports.choices import LOCATABLE_STATUSES, IntakeStatus
from ioc.citizen_reports.models import IntakeItem, Report, ReporterContact, ReportEvent, ReportPhoto
from ioc.citizen_reports.privacy import DecryptionError, blind_index, decrypt, normalize_phone
from ioc.citizen_reports.selectors._base import UNIT_GEOMETRY, S, apply_filters, scoped_reports
from ioc.common.roles import actor_require_role

# Every tab of the operators' queue holds reports in one of these.
QUEUE_STATUSES = frozenset({S.RECEIVED, S.AWAITING_APPROVAL, S.VERIFIED, S.RESOLVED})


# --- staff reads -------------------------------------------------------------------------------------------


def report_list_for(*, user: Any, filters: Mapping[str, Any] | None = None) -> QuerySet[Report]:
    """R3.3, R7.1: the reports `user` may see, filtered (see `apply_filters`), newest first."""
    qs = apply_filters(scoped_reports(user), filters)
    return qs.select_related("category", "unit", "agency").defer(UNIT_GEOMETRY).order_by("-received_at", "-pk")


def report_get_for(*, user: Any, pk: Any) -> Report:
    """R7.1: one report in `user`'s scope; Http404 otherwise (the same answer as for a missing one)."""
    try:
        key = int(pk)
    except (TypeError, ValueError):
        key = 0
    report = (
        scoped_reports(user)
        .select_related("category", "unit", "agency", "assignment", "duplicate_of", "verified_by", "approved_by")
        .defer(UNIT_GEOMETRY)
        .filter(pk=key)
        .first()
    )
    if report is None:
        raise Http404(_("Không tìm thấy phản ánh / Report not found"))
    return report


def report_events(*, report: Report) -> QuerySet[ReportEvent]:
    """The whole timeline (staff pages; the caller already holds the report through `report_get_for`)."""
    return ReportEvent.objects.filter(report=report).select_related("actor").order_by("at", "pk")


def report_photos(*, report: Report) -> QuerySet[ReportPhoto]:
    """Every photo of a report (staff pages; served by scoped views only)."""
    return ReportPhoto.objects.filter(report=report).order_by("kind", "uploaded_at", "pk")


def report_photo_get_for(*, user: Any, pk: Any) -> ReportPhoto:
    """A photo of a report in `user`'s scope; Http404 otherwise."""
    photo = ReportPhoto.objects.filter(pk=int(pk) if str(pk).isdigit() else 0).first()
    if photo is None or not scoped_reports(user).filter(pk=photo.report_id).exists():
        raise Http404(_("Không tìm thấy ảnh / Photo not found"))
    return photo


def report_duplicates(*, report: Report) -> QuerySet[Report]:
    """Reports marked as duplicates of `report` (their reporters follow it)."""
    return Report.objects.filter(duplicate_of=report).select_related("category").order_by("received_at")


@dataclass(frozen=True)
class ContactView:
    """R7.5: the reporter's contact as one authorised person reads it (the read is audited)."""

    name: str
    phone: str
    email: str
    consent_processing: bool
    consent_share_with_agency: bool


def _may_read_contact(user: Any, report: Report, contact: ReporterContact) -> bool:
    if permissions.is_ioc_staff(user):
        return True
    if not permissions.is_agency_person(user) or not contact.consent_share_with_agency or report.agency_id is None:
        return False
    return report.agency_id in user_scope(user=user).agency_ids


def report_contact_for(*, user: Any, report: Report, purpose: str = "") -> ContactView | None:
    """R7.5: the contact for IOC operators and leaders, and for the holding agency's officers when the reporter
    consented to sharing; None otherwise (or when there is none, or it was erased). Every view is audited."""
    contact = ReporterContact.objects.filter(report_id=report.pk, erased_at__isnull=True).first()
    if contact is None or not _may_read_contact(user, report, contact):
        return None
    try:
        view = ContactView(
            name=decrypt(contact.name_encrypted),
            phone=decrypt(contact.phone_encrypted),
            email=decrypt(contact.email_encrypted),
            consent_processing=contact.consent_processing,
            consent_share_with_agency=contact.consent_share_with_agency,
        )
    except DecryptionError:
        return None
    fields = [f"reporter_{name}" for name in ("name", "phone", "email") if getattr(view, name)]
    if not fields:
        return None
    audit_personal_data_read(
        actor=user, obj=report, fields=fields, purpose=purpose or _("Xử lý phản ánh / Handling the report")
    )
    return view


PHONE_SEARCH_LIMIT = 20


def reports_by_reporter_phone(*, user: Any, phone: str, limit: int = PHONE_SEARCH_LIMIT) -> list[Report]:
    """R7.5, issue 20: IOC operators (only) find the reports a phone number sent, through the blind index (the
    number is never decrypted to compare); newest first. Each report found is an audited personal-data read."""
    actor_require_role(user, {Role.IOC_OPERATOR}, _("Chỉ cán bộ vận hành được tra cứu theo số điện thoại"))
    digits = normalize_phone(phone)
    if not 9 <= len(digits) <= 12:
        raise ValidationError({"phone": [_("Số điện thoại không hợp lệ / Not a phone number")]})
    index = blind_index(digits)
    matched = ReporterContact.objects.filter(phone_index=index, erased_at__isnull=True).values("report_id")
    found = list(
        scoped_reports(user)
        .filter(pk__in=matched)
        .select_related("category", "unit", "agency")
        .defer(UNIT_GEOMETRY)
        .order_by("-received_at", "-pk")[: max(1, min(limit, PHONE_SEARCH_LIMIT))]
    )
    purpose = _("Tra cứu phản ánh theo số điện thoại người phản ánh / Search by the reporter's phone")
    for report in found:
        audit_personal_data_read(actor=user, obj=report, fields=["reporter_phone"], purpose=purpose)
    return found


def intake_items_new(*, user: Any) -> QuerySet[IntakeItem]:
    """R3.1: the mailbox's new items, oldest first, for IOC operators and leaders only; the sender stays
    encrypted and is not part of the listing."""
    if not permissions.is_ioc_staff(user):
        return IntakeItem.objects.none()
    return (
        IntakeItem.objects.filter(status=IntakeStatus.NEW)
        .annotate(n_attachments=Count("attachments"))
        .order_by("received_at", "pk")
    )


# --- the operators' queue (R3.3) ----------------------------------------------------------------------------


def queue_buckets(*, user: Any) -> dict[str, Q]:
    """R3.3: what each tab of the queue holds, "all" last; leaders also get the reports awaiting their approval."""
    buckets = {
        "received": Q(status=S.RECEIVED, needs_location=False),
        "needs_location": Q(status__in=list(LOCATABLE_STATUSES), needs_location=True),
        "awaiting_approval": Q(status=S.AWAITING_APPROVAL),
        "to_forward": Q(status=S.VERIFIED, needs_location=False),
        "resolved": Q(status=S.RESOLVED),
    }
    if not permissions.is_approver(user):
        buckets.pop("awaiting_approval")
    buckets["all"] = Q(pk__in=[])
    for name, condition in list(buckets.items()):
        if name != "all":
            buckets["all"] |= condition
    return buckets


def queue_counts(*, reports: QuerySet[Report], buckets: Mapping[str, Q]) -> dict[str, int]:
    """R3.3: how many of `reports` (scoped and filtered by `report_list_for`) each tab holds, in one query that
    reads the status index rather than the whole table."""
    waiting = reports.order_by().filter(status__in=list(QUEUE_STATUSES))
    counts = waiting.aggregate(**{f"n_{name}": Count("pk", filter=condition) for name, condition in buckets.items()})
    return {name: counts[f"n_{name}"] for name in buckets}
