"""The IOC's steps on a report (R3.3): verify, approve, reject, spam, duplicate, locate, forward, publish."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from ioc.accounts.models import User
from ioc.agencies.models import Agency
from ioc.assignments import services as assignment_services
from ioc.assignments.choices import AssignmentStatus
from ioc.assignments.models import Assignment
from ioc.audit.services import audit_record
from ioc.citizen_reports.choices import DESCRIPTION_MAX, LOCATABLE_STATUSES, ReportStatus
from ioc.citizen_reports.models import Report, ReportPhoto, RoutingRule
from ioc.citizen_reports.services import _base
from ioc.citizen_reports.services.evidence import evidence_copy
from ioc.citizen_reports.services.location import location_resolve
from ioc.geo.models import AdminUnit

S = ReportStatus
REASON_MAX = 2000
NOT_ORIGINALS = frozenset({S.DUPLICATE, S.SPAM, S.REJECTED})


@transaction.atomic
def report_verify(*, report: Report, actor: User, note: str = "") -> Report:
    """R3.3: an IOC operator finds the report authentic and in scope; categories that require it then wait for
    the IOC leader's approval."""
    _base.require_ioc(actor)
    note = _base.clean_text(note, field="note", max_length=REASON_MAX)
    fresh = _base.lock(report)
    to = S.AWAITING_APPROVAL if fresh.category.requires_leader_approval else S.VERIFIED
    changes = {"verified_at": _base.now(), "verified_by": _base.user_or_none(actor)}
    return _base.move(report, fresh, to=to, actor=actor, action="verify", note=note, changes=changes)


@transaction.atomic
def report_approve(*, report: Report, actor: User, note: str = "") -> Report:
    """R3.3: the IOC leader approves a report of a category that requires it before forwarding."""
    _base.require_approver(actor)
    note = _base.clean_text(note, field="note", max_length=REASON_MAX)
    fresh = _base.lock(report)
    if fresh.status != S.AWAITING_APPROVAL:
        _base.refuse(
            "status",
            _("Phản ánh không chờ duyệt (đang “%(status)s”) / The report is not awaiting approval")
            % {"status": S(fresh.status).label},
            "transition",
        )
    changes = {"approved_at": _base.now(), "approved_by": _base.user_or_none(actor)}
    return _base.move(report, fresh, to=S.VERIFIED, actor=actor, action="approve", note=note, changes=changes)


@transaction.atomic
def report_reject(*, report: Report, actor: User, reason: str) -> Report:
    """R3.3: not accepted (not authentic, out of scope); the reason is required and shown to the citizen."""
    _base.require_ioc(actor)
    reason = _base.clean_text(reason, field="reason", max_length=REASON_MAX, required=True)
    fresh = _base.lock(report)
    if fresh.status == S.AWAITING_APPROVAL:
        _base.require_approver(actor)
    changes = {"rejection_reason": reason, "closed_at": _base.now()}
    return _base.move(report, fresh, to=S.REJECTED, actor=actor, action="reject", note=reason, changes=changes)


@transaction.atomic
def report_mark_spam(*, report: Report, actor: User, reason: str = "") -> Report:
    """R3.3: spam or abuse; hidden from every public list from then on."""
    _base.require_ioc(actor)
    reason = _base.clean_text(reason, field="reason", max_length=REASON_MAX)
    fresh = _base.lock(report)
    changes = {"rejection_reason": reason, "closed_at": _base.now()}
    return _base.move(
        report, fresh, to=S.SPAM, actor=actor, action="mark_spam", note=reason, is_public=False, changes=changes
    )


@transaction.atomic
def report_mark_duplicate(*, report: Report, original: Report, actor: User) -> Report:
    """R3.3, R3.4: the report repeats `original`; its reporter follows the original from now on."""
    _base.require_ioc(actor)
    fresh = _base.lock(report)
    target = Report.objects.select_related("category").get(pk=original.pk)
    if target.pk == fresh.pk or target.status in NOT_ORIGINALS or target.duplicate_of_id is not None:
        _base.refuse(
            "original",
            _(
                "Phản ánh gốc không hợp lệ (trùng chính nó, là tin trùng, tin rác hoặc bị từ chối) / "
                "Invalid original (itself, a duplicate, spam or rejected)"
            ),
        )
    _base.check_move(fresh, S.DUPLICATE)
    Report.objects.filter(duplicate_of=fresh).update(duplicate_of=target)  # no chains of duplicates
    changes = {"duplicate_of": target, "closed_at": _base.now()}
    note = _("Trùng với phản ánh %(code)s / Duplicate of %(code)s") % {"code": target.tracking_code}
    _base.move(
        report,
        fresh,
        to=S.DUPLICATE,
        actor=actor,
        action="mark_duplicate",
        note=note,
        changes=changes,
        audit={"original": target.tracking_code},
    )
    _base.notify_duplicate(fresh, target)
    return fresh


@transaction.atomic
def report_locate(
    *, report: Report, actor: User, lat: Any = None, lon: Any = None, unit: AdminUnit | str | None = None
) -> Report:
    """R3.1: the operator places a report (a point, or a commune) during verification; routing can then run."""
    _base.require_ioc(actor)
    fresh = _base.lock(report)
    if fresh.status not in LOCATABLE_STATUSES:
        _base.refuse("status", _("Chỉ xác định vị trí trước khi chuyển / Locate before forwarding"), "transition")
    location = location_resolve(lat=lat, lon=lon, unit=unit)
    if location.unit is None:
        _base.refuse("lat", _("Cần vị trí hoặc xã, phường / Give a point or a commune"), "required")
    changes = {
        "lat": location.lat,
        "lon": location.lon,
        "unit": location.unit,
        "grid_cell": location.grid_cell,
        "needs_location": False,
    }
    _base.apply(report, fresh, changes)
    _base.event(
        fresh,
        actor=actor,
        from_status=fresh.status,
        to_status=fresh.status,
        is_public=False,
        note=_("Đã xác định vị trí / Location set"),
    )
    audit_record(
        actor=actor,
        action="report.locate",
        obj=fresh,
        changes={"unit": location.unit.code, "point": location.has_point},
    )
    return fresh


def route(report: Report) -> Agency | None:
    """R3.3: RoutingRule(category, commune) → RoutingRule(category, whole territory) → category default."""
    rules = RoutingRule.objects.filter(category_id=report.category_id).filter(
        Q(unit_id=report.unit_id) | Q(unit__isnull=True) if report.unit_id else Q(unit__isnull=True)
    )
    by_unit = {rule.unit_id: rule.agency for rule in rules.select_related("agency")}
    return by_unit.get(report.unit_id) or by_unit.get(None) or report.category.default_agency


@transaction.atomic
def report_forward(*, report: Report, actor: User, agency: Agency | None = None, instructions: str = "") -> Report:
    """R3.3, R4.2: to the agency chosen by category and commune (or the operator's choice), through
    `assignments`, with a deadline of the category's working hours in the agency's calendar."""
    _base.require_ioc(actor)
    instructions = _base.clean_text(instructions, field="instructions", max_length=DESCRIPTION_MAX)
    fresh = _base.lock(report)
    _base.check_move(fresh, S.FORWARDED)
    if fresh.needs_location or fresh.unit_id is None:
        _base.refuse(
            "unit", _("Cần xác định vị trí trước khi chuyển / Locate the report before forwarding"), "needs_location"
        )
    agency = agency or route(fresh)
    if agency is None or not agency.is_active:
        _base.refuse(
            "agency",
            _(
                "Chưa có cơ quan xử lý cho lĩnh vực, địa bàn này; hãy chọn cơ quan / "
                "No agency handles this category here; choose one"
            ),
            "no_agency",
        )
    assignment = assignment_services.assignment_forward(
        process=_base.PROCESS,
        subject_id=str(fresh.pk),
        subject_label=f"{fresh.tracking_code} — {fresh.category.name}"[:200],
        category_code=fresh.category.code,
        agency=agency,
        unit=fresh.unit,
        working_hours=fresh.category.handling_hours,
        instructions=instructions,
        actor=actor,
    )
    changes = {
        "agency": agency,
        "assignment": assignment,
        "deadline_at": assignment.deadline_at,
        "forwarded_at": assignment.forwarded_at,
    }
    note = _("Đã chuyển %(agency)s / Forwarded to %(agency)s") % {"agency": agency.name}
    _base.move(
        report,
        fresh,
        to=S.FORWARDED,
        actor=actor,
        action="forward",
        note=note,
        changes=changes,
        audit={"agency": agency.code, "assignment": assignment.pk},
    )
    _base.notify_followers(
        fresh,
        event_name="citizen_reports.forwarded",
        template="citizen_reports.forwarded",
        stamp=str(assignment.pk),
        extra={"agency": agency.name, "deadline": _base.local_text(assignment.deadline_at)},
    )
    return fresh


def _public_photos(report: Report, photo_ids: Iterable[Any]) -> list[int]:
    wanted = set(_base.ids(photo_ids, field="public_photo_ids"))
    known = set(ReportPhoto.objects.filter(report=report, pk__in=wanted).values_list("pk", flat=True))
    if wanted - known:
        _base.refuse("public_photo_ids", _("Ảnh không thuộc phản ánh này / Photo not of this report"), "unknown_photo")
    return sorted(known)


@transaction.atomic
def report_publish(*, report: Report, actor: User, result: str, public_photo_ids: Iterable[Any] = ()) -> Report:
    """R3.3, R3.4: the IOC confirms the agency's result and publishes it with the photos it chose."""
    _base.require_ioc(actor)
    result = _base.clean_text(result, field="result", max_length=DESCRIPTION_MAX, required=True)
    fresh = _base.lock(report)
    _base.check_move(fresh, S.PUBLISHED)
    photo_ids = _public_photos(fresh, public_photo_ids)
    assignment = Assignment.objects.filter(pk=fresh.assignment_id).first() if fresh.assignment_id else None
    if assignment is not None and assignment.status == AssignmentStatus.RESOLVED:
        assignment_services.assignment_confirm(assignment=assignment, actor=actor)
    if assignment is not None:
        evidence_copy(fresh, assignment)
    ReportPhoto.objects.filter(pk__in=photo_ids).update(is_public=True)
    moment = _base.now()
    on_time = fresh.resolved_at <= fresh.deadline_at if fresh.resolved_at and fresh.deadline_at else None
    changes = {"result": result, "published_at": moment, "closed_at": moment, "handled_on_time": on_time}
    _base.move(
        report,
        fresh,
        to=S.PUBLISHED,
        actor=actor,
        action="publish",
        note=result,
        changes=changes,
        audit={"public_photos": photo_ids, "on_time": on_time},
    )
    _base.notify_followers(
        fresh,
        event_name="citizen_reports.published",
        template="citizen_reports.published",
        stamp=_base.stamp_of(moment),
        extra={"result": result},
    )
    return fresh


@transaction.atomic
def photo_set_public(*, photo: ReportPhoto, actor: User, is_public: bool) -> ReportPhoto:
    """R3.4: an operator chooses which photos the public sees (none by default)."""
    _base.require_ioc(actor)
    fresh = ReportPhoto.objects.select_for_update().get(pk=photo.pk)
    fresh.is_public = photo.is_public = bool(is_public)
    fresh.save(update_fields=["is_public"])
    audit_record(
        actor=actor,
        action="report_photo.set_public",
        obj=fresh,
        changes={"report": fresh.report_id, "is_public": fresh.is_public},
    )
    return fresh
