"""The flow of agency work (R3.3, R4.2): the IOC forwards with a deadline, the agency accepts, returns, notes
progress and resolves with evidence, the IOC confirms, reopens or cancels. Every transition locks the row,
checks the actor and the TRANSITIONS table, writes an AssignmentUpdate, records its audit entry, calls the
subject's handler and writes its notifications to the outbox, all in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.accounts.models import User
from ioc.agencies.models import Agency
from ioc.assignments import notices, selectors
from ioc.assignments.choices import MAX_EVIDENCE_FILES, MAX_WORKING_HOURS, OPEN_STATUSES, UpdateKind
from ioc.assignments.models import Assignment, AssignmentUpdate, Evidence
from ioc.assignments.services._base import (
    S,
    audit,
    check_transition,
    finish,
    lock,
    notify,
    officers,
    operators,
    record,
    require_agency_actor,
    require_ioc,
    require_ioc_or_system,
    start_clock,
    sync,
)
from ioc.assignments.services.handlers import call_handler, photo_required
from ioc.assignments.validation import clean_text
from ioc.common.images import CleanImage
from ioc.geo.models import AdminUnit

# --- Forwarding -----------------------------------------------------------------------------------------------


def _forward_errors(
    process: str, subject_id: str, subject_label: str, category_code: str, agency: Agency, working_hours: float
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not process or len(process) > 40:
        errors["process"] = [_("Quy trình không hợp lệ / Invalid process")]
    if not subject_id or len(subject_id) > 64:
        errors["subject_id"] = [_("Mã đối tượng không hợp lệ / Invalid subject id")]
    if len(subject_label) > 200:
        errors["subject_label"] = [_("Tối đa %(n)d ký tự / At most %(n)d characters") % {"n": 200}]
    if len(category_code) > 60:
        errors["category_code"] = [_("Tối đa %(n)d ký tự / At most %(n)d characters") % {"n": 60}]
    if agency is None or not agency.is_active:
        errors["agency"] = [_("Cơ quan không tồn tại hoặc đã ngừng hoạt động / Unknown or inactive agency")]
    if not isinstance(working_hours, int | float) or not 0 < working_hours <= MAX_WORKING_HOURS:
        errors["working_hours"] = [
            _("Thời hạn phải lớn hơn 0 và không quá %(n)d giờ làm việc / Must be > 0 and at most %(n)d working hours")
            % {"n": int(MAX_WORKING_HOURS)}
        ]
    return errors


def _accept_errors(accept_within: float | None, working_hours: float) -> dict[str, list[str]]:
    """R4.3: the time to accept is optional; given, it is > 0 and no longer than the time to resolve."""
    if accept_within is None:
        return {}
    bounded = isinstance(working_hours, int | float) and 0 < working_hours <= MAX_WORKING_HOURS
    limit = float(working_hours) if bounded else MAX_WORKING_HOURS
    if isinstance(accept_within, bool) or not isinstance(accept_within, int | float) or not 0 < accept_within <= limit:
        message = _(
            "Thời hạn tiếp nhận phải lớn hơn 0 và không quá thời hạn xử lý / "
            "The time to accept must be > 0 and at most the time to resolve"
        )
        return {"accept_within": [message]}
    return {}


@transaction.atomic
def assignment_forward(
    *,
    process: str,
    subject_id: str,
    subject_label: str,
    category_code: str,
    agency: Agency,
    unit: AdminUnit | None = None,
    working_hours: float,
    instructions: str = "",
    accept_within: float | None = None,
    actor: User,
    parallel: bool = False,
) -> Assignment:
    """R3.3, R4.2, R4.3: forward a piece of work to `agency` with a deadline in the agency's working hours.

    The deadline and at-risk moment come from `worktime` (AT_RISK_SHARE of the time); the escalation chain is
    (process, category_code), else (process, ""); the agency's officers are notified. With `accept_within`
    (working hours) the work also has an accept deadline: not accepted by then, it escalates one tier (once).
    One agency holds one open piece of a subject, unless `parallel` (R4.6: one per step of an operating scenario).
    """
    require_ioc_or_system(actor)
    subject_id, subject_label = str(subject_id).strip(), (subject_label or "").strip()
    errors = _forward_errors(process, subject_id, subject_label, category_code or "", agency, working_hours)
    errors.update(_accept_errors(accept_within, working_hours))
    if errors:
        raise ValidationError(errors)
    instructions = clean_text(instructions, field="instructions", required=False)
    open_work = Assignment.objects.filter(process=process, subject_id=subject_id, agency=agency)
    if not parallel and open_work.filter(status__in=OPEN_STATUSES).exists():
        raise ValidationError({"agency": [_("Cơ quan này đang xử lý việc này / The agency already holds this work")]})
    now = timezone.now()
    chain = selectors.escalation_chain_for(process=process, category_code=category_code or "")
    assignment = Assignment(
        process=process,
        subject_id=subject_id,
        subject_label=subject_label,
        category_code=category_code or "",
        agency=agency,
        unit=unit,
        instructions=instructions,
        working_hours=float(working_hours),
        forwarded_at=now,
        forwarded_by=actor,
        escalation_chain=chain,
    )
    start_clock(assignment, now, accept_within)
    assignment.save()
    changes = {"agency": agency.code, "deadline_at": assignment.deadline_at.isoformat(), "hours": working_hours}
    if assignment.accept_deadline_at is not None:
        changes["accept_deadline_at"] = assignment.accept_deadline_at.isoformat()
    update = finish(assignment, UpdateKind.FORWARD, actor, instructions, now, changes)
    notify(assignment, update, officers(assignment), notices.NEW_WORK, instructions)
    return assignment


# --- The agency's moves ---------------------------------------------------------------------------------------


@transaction.atomic
def assignment_accept(*, assignment: Assignment, actor: User) -> Assignment:
    """R3.3: the holding agency accepts the work (the clock keeps running)."""
    locked = lock(assignment)
    require_agency_actor(locked, actor)
    check_transition(locked, S.ACCEPTED)
    now = timezone.now()
    previous = locked.status
    locked.status, locked.accepted_at, locked.handled_by = S.ACCEPTED, now, actor
    locked.save(update_fields=["status", "accepted_at", "handled_by"])
    finish(locked, UpdateKind.ACCEPT, actor, "", now, {"status": [previous, locked.status]})
    return sync(assignment, locked)


@transaction.atomic
def assignment_return(*, assignment: Assignment, actor: User, reason: str) -> Assignment:
    """R3.3: the agency returns work that is not its to do, with a reason; the IOC operators are told."""
    locked = lock(assignment)
    require_agency_actor(locked, actor)
    check_transition(locked, S.RETURNED)
    reason = clean_text(reason, field="reason", required=True)
    now = timezone.now()
    previous = locked.status
    locked.status, locked.return_reason, locked.closed_at = S.RETURNED, reason, now
    locked.handled_by, locked.next_escalation_at = actor, None
    locked.save(update_fields=["status", "return_reason", "closed_at", "handled_by", "next_escalation_at"])
    update = finish(locked, UpdateKind.RETURN, actor, reason, now, {"status": [previous, locked.status]})
    notify(locked, update, operators(), notices.RETURNED, reason)
    return sync(assignment, locked)


@transaction.atomic
def assignment_progress(*, assignment: Assignment, actor: User, text: str, is_public: bool = False) -> Assignment:
    """R3.3: a progress note (public when `is_public`, e.g. shown to the reporter)."""
    locked = lock(assignment)
    require_agency_actor(locked, actor)
    check_transition(locked, S.IN_PROGRESS)
    text = clean_text(text, field="text", required=True)
    now = timezone.now()
    previous = locked.status
    locked.status = S.IN_PROGRESS
    locked.handled_by = locked.handled_by or actor
    locked.save(update_fields=["status", "handled_by"])
    changes = {"status": [previous, locked.status], "is_public": bool(is_public)}
    finish(locked, UpdateKind.PROGRESS, actor, text, now, changes, is_public=bool(is_public))
    return sync(assignment, locked)


def _check_evidence(assignment: Assignment, evidence: Sequence[CleanImage]) -> None:
    if any(not isinstance(image, CleanImage) for image in evidence):
        raise TypeError("evidence must be CleanImage objects from ioc.common.images.image_clean()")
    if len(evidence) > MAX_EVIDENCE_FILES:
        message = _("Tối đa %(n)d ảnh / At most %(n)d photos") % {"n": MAX_EVIDENCE_FILES}
        raise ValidationError({"evidence": [message]})
    if not evidence and photo_required(assignment):
        raise ValidationError(
            {"evidence": [_("Cần ít nhất một ảnh minh chứng kết quả / At least one photo of the result is required")]}
        )


def _store_evidence(
    assignment: Assignment, update: AssignmentUpdate, evidence: Sequence[CleanImage], actor: User, now: dt.datetime
) -> list[Evidence]:
    """R3.3, R7.5: cleaned photos under random names in private storage (served only by scoped views)."""
    rows = []
    for image in evidence:
        row = Evidence(
            assignment=assignment,
            update=update,
            content_type=image.content_type,
            sha256=image.sha256,
            uploaded_at=now,
            uploaded_by=actor,
        )
        row.file.save(image.random_name(), ContentFile(image.content), save=False)
        row.save()
        rows.append(row)
    return rows


@transaction.atomic
def assignment_resolve(
    *, assignment: Assignment, actor: User, resolution: str, evidence: Sequence[CleanImage] = ()
) -> Assignment:
    """R3.3: the agency reports the result with evidence (text always; a photo when the handler requires it)."""
    locked = lock(assignment)
    require_agency_actor(locked, actor)
    check_transition(locked, S.RESOLVED)
    resolution = clean_text(resolution, field="resolution", required=True)
    evidence = list(evidence)
    _check_evidence(locked, evidence)
    now = timezone.now()
    previous = locked.status
    locked.status, locked.resolution, locked.resolved_at = S.RESOLVED, resolution, now
    locked.handled_by = locked.handled_by or actor
    locked.next_escalation_at = None
    locked.save(update_fields=["status", "resolution", "resolved_at", "handled_by", "next_escalation_at"])
    update = record(locked, UpdateKind.RESOLVE, actor, resolution, now)
    stored = _store_evidence(locked, update, evidence, actor, now)
    changes = {"status": [previous, locked.status], "update": update.pk, "evidence": [e.sha256 for e in stored]}
    audit(actor, "resolve", locked, **changes)
    call_handler(locked, UpdateKind.RESOLVE, actor, resolution)
    notify(locked, update, operators(), notices.RESOLVED, resolution)
    return sync(assignment, locked)


# --- The IOC's moves ------------------------------------------------------------------------------------------


@transaction.atomic
def assignment_confirm(*, assignment: Assignment, actor: User) -> Assignment:
    """R3.3: the IOC confirms the agency's result; the work is closed."""
    locked = lock(assignment)
    require_ioc(actor)
    check_transition(locked, S.CONFIRMED)
    now = timezone.now()
    previous = locked.status
    locked.status, locked.confirmed_at, locked.closed_at, locked.next_escalation_at = S.CONFIRMED, now, now, None
    locked.save(update_fields=["status", "confirmed_at", "closed_at", "next_escalation_at"])
    finish(locked, UpdateKind.CONFIRM, actor, "", now, {"status": [previous, locked.status]})
    return sync(assignment, locked)


@transaction.atomic
def assignment_reopen(*, assignment: Assignment, actor: User | None, reason: str) -> Assignment:
    """R3.3: the IOC sends resolved (or confirmed) work back to the agency; a new round of the clock starts.

    `actor=None` is the reporter, a citizen who is not an account, after the subject's app checked the request
    itself (the private link of their report); it is audited as an anonymous citizen, never as the system.
    """
    locked = lock(assignment)
    if actor is not None:
        require_ioc(actor)
    check_transition(locked, S.REOPENED)
    reason = clean_text(reason, field="reason", required=True)
    now = timezone.now()
    previous = locked.status
    locked.status = S.REOPENED
    locked.resolved_at = locked.confirmed_at = locked.closed_at = None
    start_clock(locked, now)
    locked.save()
    changes = {"status": [previous, locked.status], "deadline_at": locked.deadline_at.isoformat()}
    update = finish(locked, UpdateKind.REOPEN, actor, reason, now, changes)
    notify(locked, update, officers(locked), notices.REOPENED, reason)
    return sync(assignment, locked)


@transaction.atomic
def assignment_cancel(*, assignment: Assignment, actor: User, reason: str) -> Assignment:
    """R3.3: the IOC withdraws the work (the subject was rejected, merged…); the agency is told."""
    locked = lock(assignment)
    require_ioc(actor)
    check_transition(locked, S.CANCELLED)
    reason = clean_text(reason, field="reason", required=True)
    now = timezone.now()
    previous = locked.status
    locked.status, locked.closed_at, locked.next_escalation_at = S.CANCELLED, now, None
    locked.save(update_fields=["status", "closed_at", "next_escalation_at"])
    update = finish(locked, UpdateKind.CANCEL, actor, reason, now, {"status": [previous, locked.status]})
    notify(locked, update, officers(locked), notices.CANCELLED, reason)
    return sync(assignment, locked)
