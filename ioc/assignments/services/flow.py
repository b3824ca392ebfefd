"""Writes of agency work (R3.3, R4.2, R4.3, R4.5; DESIGN "Agency work", "Durable work").

Other apps call: `register_subject_handler`, `assignment_forward`, `assignment_accept`, `assignment_return`,
`assignment_progress`, `assignment_resolve`, `assignment_confirm`, `assignment_reopen`, `assignment_cancel`,
`escalation_chain_set`, `assignment_escalate_due`. Every transition locks the row, checks the actor and the
TRANSITIONS table, writes an AssignmentUpdate, records its audit entry, calls the subject's handler (inside the
transaction, after the write) and writes its notifications to the outbox in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.accounts.choices import IOC_STAFF_ROLES, Role
from ioc.accounts.models import User
from ioc.accounts.selectors import system_account
from ioc.agencies.models import Agency
from ioc.assignments import notices, selectors
from ioc.assignments.choices import (
    AT_RISK_SHARE,
    ESCALATION_AGENCY_ROLES,
    ESCALATION_LEASE_SECONDS,
    ESCALATION_ROLES,
    MAX_ESCALATION_STEPS,
    MAX_EVIDENCE_FILES,
    MAX_WORKING_HOURS,
    OPEN_STATUSES,
    TRANSITIONS,
    AssignmentStatus,
    UpdateKind,
)
from ioc.assignments.models import Assignment, AssignmentUpdate, EscalationChain, EscalationStep, Evidence
from ioc.assignments.validation import clean_text
from ioc.audit.services import audit_record
from ioc.common.images import CleanImage
from ioc.geo.models import AdminUnit
from ioc.notifications.services import notification_enqueue
from ioc.worktime.selectors import LOCAL_TZ, WorkCalendar, calendar_for, deadline_add

__all__ = [
    "StepSpec",
    "SubjectHandler",
    "assignment_accept",
    "assignment_cancel",
    "assignment_confirm",
    "assignment_escalate_due",
    "assignment_escalation_claim",
    "assignment_forward",
    "assignment_progress",
    "assignment_reopen",
    "assignment_resolve",
    "assignment_return",
    "escalation_chain_set",
    "register_subject_handler",
    "subject_handler_get",
    "unregister_subject_handler",
]

logger = logging.getLogger("ioc.assignments")
S = AssignmentStatus
IOC_ROLES = tuple(IOC_STAFF_ROLES)  # the set is defined once, in accounts.choices
AGENCY_ROLES = (Role.AGENCY_OFFICER, Role.AGENCY_HEAD)
CHAIN_EDITOR_ROLES = (Role.IOC_LEADER, Role.SYSTEM_ADMIN)


# --- Subject handlers -----------------------------------------------------------------------------------------


class SubjectHandler(Protocol):
    """What the app owning the subject (a citizen report, an incident) is told and asked (DESIGN "Agency work").

    `on_transition` is called inside the service's transaction, after the write, for every kind: forward,
    accept, return, progress, resolve, confirm, reopen, cancel and escalate (the system account escalates;
    actor None only when a citizen reopens through their subject's private link).
    Raising refuses the whole transition (nothing is written). `evidence_photo_required` decides whether
    `assignment_resolve` refuses a resolution without a photo.
    """

    def on_transition(self, *, assignment: Assignment, kind: UpdateKind, actor: User | None, text: str) -> None: ...

    def evidence_photo_required(self, *, assignment: Assignment) -> bool: ...


_HANDLERS: dict[str, SubjectHandler] = {}


def register_subject_handler(process: str, handler: SubjectHandler) -> None:
    """Register the handler of a process ("citizen_reports", "incidents"); the last registration wins."""
    _HANDLERS[process] = handler


def unregister_subject_handler(process: str) -> None:
    _HANDLERS.pop(process, None)


def subject_handler_get(process: str) -> SubjectHandler | None:
    return _HANDLERS.get(process)


def _call_handler(assignment: Assignment, kind: UpdateKind, actor: User | None, text: str) -> None:
    handler = _HANDLERS.get(assignment.process)
    if handler is not None:
        handler.on_transition(assignment=assignment, kind=kind, actor=actor, text=text)


def _photo_required(assignment: Assignment) -> bool:
    handler = _HANDLERS.get(assignment.process)
    return bool(handler is not None and handler.evidence_photo_required(assignment=assignment))


# --- Checks ---------------------------------------------------------------------------------------------------


def _require_ioc(actor: User) -> User:
    if not actor.is_active or not actor.has_role(*IOC_ROLES):
        raise PermissionDenied(_("Chỉ cán bộ vận hành, lãnh đạo IOC được thực hiện / Only IOC operators and leaders"))
    return actor


def _require_agency_actor(assignment: Assignment, actor: User) -> User:
    """An officer or head of the holding agency (or of a parent agency)."""
    if not selectors.user_can_act(user=actor, assignment=assignment):
        raise PermissionDenied(
            _("Chỉ cán bộ của cơ quan đang giữ việc này được thực hiện / Only the holding agency may do this")
        )
    return actor


def _check_transition(assignment: Assignment, target: str) -> None:
    if target not in TRANSITIONS[assignment.status]:
        message = _("Không thể chuyển từ “%(current)s” sang “%(target)s” / Transition not allowed") % {
            "current": AssignmentStatus(assignment.status).label,
            "target": AssignmentStatus(target).label,
        }
        raise ValidationError({"status": [message]})


def _lock(assignment: Assignment) -> Assignment:
    """The row, locked for this transaction (PostgreSQL; SQLite's IMMEDIATE transaction already serialises)."""
    return Assignment.objects.select_for_update().select_related("agency").get(pk=assignment.pk)


def _sync(target: Assignment, source: Assignment) -> Assignment:
    """Copy the written row onto the caller's instance so it sees the new state."""
    for field in Assignment._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
    return source


# --- Clock ----------------------------------------------------------------------------------------------------


def _local_text(moment: dt.datetime) -> str:
    return moment.astimezone(LOCAL_TZ).strftime("%H:%M %d/%m/%Y")


def _step_due(assignment: Assignment, step: EscalationStep, calendar: WorkCalendar) -> dt.datetime:
    """R3.3: when `step` falls due: its share of the working hours, counted from the start of the clock."""
    hours = assignment.working_hours * step.at_share
    return deadline_add(start=assignment.started_at, working_hours=hours, calendar=calendar)


def _start_clock(assignment: Assignment, start: dt.datetime) -> None:
    """Deadline, at-risk moment and first escalation step of a round that starts at `start`."""
    calendar = calendar_for(agency=assignment.agency)
    assignment.started_at = start
    assignment.deadline_at = deadline_add(start=start, working_hours=assignment.working_hours, calendar=calendar)
    assignment.at_risk_at = deadline_add(
        start=start, working_hours=assignment.working_hours * AT_RISK_SHARE, calendar=calendar
    )
    assignment.escalation_level = 0
    assignment.escalation_lease_until = None
    steps = (
        selectors.escalation_steps(chain_id=assignment.escalation_chain_id) if assignment.escalation_chain_id else []
    )
    assignment.next_escalation_at = _step_due(assignment, steps[0], calendar) if steps else None


# --- Records and notifications --------------------------------------------------------------------------------


def _record(
    assignment: Assignment, kind: UpdateKind, actor: User | None, text: str, now: dt.datetime, is_public: bool = False
) -> AssignmentUpdate:
    return AssignmentUpdate.objects.create(
        assignment=assignment, kind=kind, at=now, actor=actor, text=text, is_public=is_public
    )


def _audit(actor: User | None, action: str, assignment: Assignment, **changes: Any) -> None:
    audit_record(actor=actor, action=f"assignment.{action}", obj=assignment, changes=changes)


def _context(assignment: Assignment, text: str) -> dict[str, Any]:
    return {
        "subject_label": assignment.subject_label or assignment.subject_id,
        "agency_name": assignment.agency.name,
        "deadline": _local_text(assignment.deadline_at),
        "url": reverse("assignments:detail", args=[assignment.pk]),
        "text": text,
    }


def _notify(
    assignment: Assignment,
    update: AssignmentUpdate,
    recipients: Sequence[User],
    template: str,
    text: str,
    urgent: bool = False,
) -> None:
    if not recipients:
        return
    notification_enqueue(
        event=f"assignment.{update.kind}",
        recipients=recipients,
        template=template,
        context=_context(assignment, text),
        dedup_key=f"assignment:{assignment.pk}:update:{update.pk}",
        urgent=urgent,
    )


def _officers(assignment: Assignment) -> list[User]:
    return selectors.agency_people(agency=assignment.agency, roles=[Role.AGENCY_OFFICER])


def _operators() -> list[User]:
    return selectors.role_holders(roles=[Role.IOC_OPERATOR])


def _finish(
    assignment: Assignment,
    kind: UpdateKind,
    actor: User | None,
    text: str,
    now: dt.datetime,
    changes: dict[str, Any],
    is_public: bool = False,
) -> AssignmentUpdate:
    """The common tail of a transition: the timeline row, the audit entry, the subject's handler."""
    update = _record(assignment, kind, actor, text, now, is_public)
    _audit(actor, str(kind), assignment, update=update.pk, **changes)
    _call_handler(assignment, kind, actor, text)
    return update


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
    actor: User,
) -> Assignment:
    """R3.3, R4.2: forward a piece of work to `agency` with a deadline in the agency's working hours.

    The deadline and at-risk moment come from `worktime` (AT_RISK_SHARE of the time); the escalation chain is
    (process, category_code), else (process, ""); the agency's officers are notified.
    """
    _require_ioc(actor)
    subject_id, subject_label = str(subject_id).strip(), (subject_label or "").strip()
    errors = _forward_errors(process, subject_id, subject_label, category_code or "", agency, working_hours)
    if errors:
        raise ValidationError(errors)
    instructions = clean_text(instructions, field="instructions", required=False)
    open_work = Assignment.objects.filter(process=process, subject_id=subject_id, agency=agency)
    if open_work.filter(status__in=OPEN_STATUSES).exists():
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
    _start_clock(assignment, now)
    assignment.save()
    changes = {"agency": agency.code, "deadline_at": assignment.deadline_at.isoformat(), "hours": working_hours}
    update = _finish(assignment, UpdateKind.FORWARD, actor, instructions, now, changes)
    _notify(assignment, update, _officers(assignment), notices.NEW_WORK, instructions)
    return assignment


# --- The agency's moves ---------------------------------------------------------------------------------------


@transaction.atomic
def assignment_accept(*, assignment: Assignment, actor: User) -> Assignment:
    """R3.3: the holding agency accepts the work (the clock keeps running)."""
    locked = _lock(assignment)
    _require_agency_actor(locked, actor)
    _check_transition(locked, S.ACCEPTED)
    now = timezone.now()
    previous = locked.status
    locked.status, locked.accepted_at, locked.handled_by = S.ACCEPTED, now, actor
    locked.save(update_fields=["status", "accepted_at", "handled_by"])
    _finish(locked, UpdateKind.ACCEPT, actor, "", now, {"status": [previous, locked.status]})
    return _sync(assignment, locked)


@transaction.atomic
def assignment_return(*, assignment: Assignment, actor: User, reason: str) -> Assignment:
    """R3.3: the agency returns work that is not its to do, with a reason; the IOC operators are told."""
    locked = _lock(assignment)
    _require_agency_actor(locked, actor)
    _check_transition(locked, S.RETURNED)
    reason = clean_text(reason, field="reason", required=True)
    now = timezone.now()
    previous = locked.status
    locked.status, locked.return_reason, locked.closed_at = S.RETURNED, reason, now
    locked.handled_by, locked.next_escalation_at = actor, None
    locked.save(update_fields=["status", "return_reason", "closed_at", "handled_by", "next_escalation_at"])
    update = _finish(locked, UpdateKind.RETURN, actor, reason, now, {"status": [previous, locked.status]})
    _notify(locked, update, _operators(), notices.RETURNED, reason)
    return _sync(assignment, locked)


@transaction.atomic
def assignment_progress(*, assignment: Assignment, actor: User, text: str, is_public: bool = False) -> Assignment:
    """R3.3: a progress note (public when `is_public`, e.g. shown to the reporter)."""
    locked = _lock(assignment)
    _require_agency_actor(locked, actor)
    _check_transition(locked, S.IN_PROGRESS)
    text = clean_text(text, field="text", required=True)
    now = timezone.now()
    previous = locked.status
    locked.status = S.IN_PROGRESS
    locked.handled_by = locked.handled_by or actor
    locked.save(update_fields=["status", "handled_by"])
    changes = {"status": [previous, locked.status], "is_public": bool(is_public)}
    _finish(locked, UpdateKind.PROGRESS, actor, text, now, changes, is_public=bool(is_public))
    return _sync(assignment, locked)


def _check_evidence(assignment: Assignment, evidence: Sequence[CleanImage]) -> None:
    if any(not isinstance(image, CleanImage) for image in evidence):
        raise TypeError("evidence must be CleanImage objects from ioc.common.images.image_clean()")
    if len(evidence) > MAX_EVIDENCE_FILES:
        message = _("Tối đa %(n)d ảnh / At most %(n)d photos") % {"n": MAX_EVIDENCE_FILES}
        raise ValidationError({"evidence": [message]})
    if not evidence and _photo_required(assignment):
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
    locked = _lock(assignment)
    _require_agency_actor(locked, actor)
    _check_transition(locked, S.RESOLVED)
    resolution = clean_text(resolution, field="resolution", required=True)
    evidence = list(evidence)
    _check_evidence(locked, evidence)
    now = timezone.now()
    previous = locked.status
    locked.status, locked.resolution, locked.resolved_at = S.RESOLVED, resolution, now
    locked.handled_by = locked.handled_by or actor
    locked.next_escalation_at = None
    locked.save(update_fields=["status", "resolution", "resolved_at", "handled_by", "next_escalation_at"])
    update = _record(locked, UpdateKind.RESOLVE, actor, resolution, now)
    stored = _store_evidence(locked, update, evidence, actor, now)
    changes = {"status": [previous, locked.status], "update": update.pk, "evidence": [e.sha256 for e in stored]}
    _audit(actor, "resolve", locked, **changes)
    _call_handler(locked, UpdateKind.RESOLVE, actor, resolution)
    _notify(locked, update, _operators(), notices.RESOLVED, resolution)
    return _sync(assignment, locked)


# --- The IOC's moves ------------------------------------------------------------------------------------------


@transaction.atomic
def assignment_confirm(*, assignment: Assignment, actor: User) -> Assignment:
    """R3.3: the IOC confirms the agency's result; the work is closed."""
    locked = _lock(assignment)
    _require_ioc(actor)
    _check_transition(locked, S.CONFIRMED)
    now = timezone.now()
    previous = locked.status
    locked.status, locked.confirmed_at, locked.closed_at, locked.next_escalation_at = S.CONFIRMED, now, now, None
    locked.save(update_fields=["status", "confirmed_at", "closed_at", "next_escalation_at"])
    _finish(locked, UpdateKind.CONFIRM, actor, "", now, {"status": [previous, locked.status]})
    return _sync(assignment, locked)


@transaction.atomic
def assignment_reopen(*, assignment: Assignment, actor: User | None, reason: str) -> Assignment:
    """R3.3: the IOC sends resolved (or confirmed) work back to the agency; a new round of the clock starts.

    `actor=None` is the reporter, a citizen who is not an account, after the subject's app checked the request
    itself (the private link of their report); it is audited as an anonymous citizen, never as the system.
    """
    locked = _lock(assignment)
    if actor is not None:
        _require_ioc(actor)
    _check_transition(locked, S.REOPENED)
    reason = clean_text(reason, field="reason", required=True)
    now = timezone.now()
    previous = locked.status
    locked.status = S.REOPENED
    locked.resolved_at = locked.confirmed_at = locked.closed_at = None
    _start_clock(locked, now)
    locked.save()
    changes = {"status": [previous, locked.status], "deadline_at": locked.deadline_at.isoformat()}
    update = _finish(locked, UpdateKind.REOPEN, actor, reason, now, changes)
    _notify(locked, update, _officers(locked), notices.REOPENED, reason)
    return _sync(assignment, locked)


@transaction.atomic
def assignment_cancel(*, assignment: Assignment, actor: User, reason: str) -> Assignment:
    """R3.3: the IOC withdraws the work (the subject was rejected, merged…); the agency is told."""
    locked = _lock(assignment)
    _require_ioc(actor)
    _check_transition(locked, S.CANCELLED)
    reason = clean_text(reason, field="reason", required=True)
    now = timezone.now()
    previous = locked.status
    locked.status, locked.closed_at, locked.next_escalation_at = S.CANCELLED, now, None
    locked.save(update_fields=["status", "closed_at", "next_escalation_at"])
    update = _finish(locked, UpdateKind.CANCEL, actor, reason, now, {"status": [previous, locked.status]})
    _notify(locked, update, _officers(locked), notices.CANCELLED, reason)
    return _sync(assignment, locked)


# --- Escalation chains (data) ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepSpec:
    """One step of `escalation_chain_set`: at this share of the time (1.0 = the deadline), tell this role."""

    at_share: float
    role: str
    urgent: bool = False


def _step_errors(steps: Sequence[StepSpec]) -> list[str]:
    errors: list[str] = []
    if len(steps) > MAX_ESCALATION_STEPS:
        errors.append(_("Tối đa %(n)d bước / At most %(n)d steps") % {"n": MAX_ESCALATION_STEPS})
    previous = 0.0
    for number, step in enumerate(steps, start=1):
        share = step.at_share
        if not isinstance(share, int | float) or not previous < share <= 5:
            errors.append(
                _("Bước %(n)d: tỷ lệ phải tăng dần, trong (0; 5] / Step %(n)d: shares must increase, within (0, 5]")
                % {"n": number}
            )
        else:
            previous = share
        if step.role not in ESCALATION_ROLES:
            errors.append(_("Bước %(n)d: vai trò không hợp lệ / Step %(n)d: unknown role") % {"n": number})
    return errors


@transaction.atomic
def escalation_chain_set(
    *, actor: User, process: str, category_code: str, name: str, steps: Sequence[StepSpec]
) -> EscalationChain:
    """R3.3, R4.5: set (create or replace) the escalation chain of (process, category); IOC leader or admin.

    Work already forwarded keeps its next due time and follows the new steps from its current level.
    """
    if actor is None or not actor.has_role(*CHAIN_EDITOR_ROLES):
        raise PermissionDenied(_("Chỉ lãnh đạo IOC, quản trị hệ thống được sửa / Only IOC leaders and administrators"))
    errors: dict[str, list[str]] = {}
    if not process or len(process) > 40 or not process.replace("_", "").isalnum():
        errors["process"] = [_("Quy trình không hợp lệ / Invalid process")]
    if len(category_code or "") > 60:
        errors["category_code"] = [_("Tối đa %(n)d ký tự / At most %(n)d characters") % {"n": 60}]
    try:
        name = clean_text(name, field="name", required=True, max_length=200)
    except ValidationError as error:
        errors.update(error.message_dict)
    if step_errors := _step_errors(steps):
        errors["steps"] = step_errors
    if errors:
        raise ValidationError(errors)
    chain, created = EscalationChain.objects.get_or_create(
        process=process, category_code=category_code or "", defaults={"name": name}
    )
    before = [(s.order, s.at_share, s.role, s.urgent) for s in chain.steps.order_by("order")]
    chain.name = name
    chain.save(update_fields=["name"])
    chain.steps.all().delete()
    EscalationStep.objects.bulk_create(
        EscalationStep(chain=chain, order=n, at_share=float(s.at_share), role=s.role, urgent=bool(s.urgent))
        for n, s in enumerate(steps, start=1)
    )
    after = [(n, float(s.at_share), s.role, bool(s.urgent)) for n, s in enumerate(steps, start=1)]
    audit_record(
        actor=actor,
        action="escalation_chain.set",
        obj=chain,
        changes={"created": created, "name": name, "before": before, "after": after},
    )
    return chain


# --- Escalation (durable work) --------------------------------------------------------------------------------


def _due(now: dt.datetime) -> Q:
    """Open work whose next step is due and that nobody holds (or whose holder's lease has expired)."""
    free = Q(escalation_lease_until__isnull=True) | Q(escalation_lease_until__lt=now)
    return Q(status__in=OPEN_STATUSES, next_escalation_at__lte=now) & free


def assignment_escalation_claim(*, pk: int, now: dt.datetime | None = None) -> dt.datetime | None:
    """Claim one row by a conditional UPDATE; returns the lease (the claimer's token) or None if taken."""
    now = now or timezone.now()
    lease = now + dt.timedelta(seconds=ESCALATION_LEASE_SECONDS)
    changed = Assignment.objects.filter(_due(now), pk=pk).update(escalation_lease_until=lease)
    return lease if changed == 1 else None


def _step_recipients(assignment: Assignment, step: EscalationStep) -> list[User]:
    if step.role in ESCALATION_AGENCY_ROLES:
        return selectors.agency_people(agency=assignment.agency, roles=[step.role])
    return selectors.role_holders(roles=[step.role])


def _fire(assignment: Assignment, step: EscalationStep, due: dt.datetime, now: dt.datetime) -> None:
    """One escalation step: the timeline row, the audit entry, the handler and the notification."""
    role_label = Role(step.role).label if step.role in Role.values else step.role
    text = _("Bước %(n)d: đã dùng %(share)d%% thời hạn (lúc %(due)s), báo %(role)s") % {
        "n": step.order,
        "share": round(step.at_share * 100),
        "due": _local_text(due),
        "role": role_label,
    }
    system = system_account()  # the sweeper is a background process: it acts as the system account (R7.3)
    update = _record(assignment, UpdateKind.ESCALATE, system, text, now)
    _audit(system, "escalate", assignment, step=step.order, role=step.role, due=due.isoformat(), update=update.pk)
    _call_handler(assignment, UpdateKind.ESCALATE, system, text)
    template = notices.AT_RISK if step.at_share < 1 else notices.OVERDUE
    _notify(assignment, update, _step_recipients(assignment, step), template, text, urgent=step.urgent)


class _LeaseLost(Exception):
    pass


@transaction.atomic
def _escalate_claimed(pk: int, lease: dt.datetime, now: dt.datetime) -> int:
    """Fire every step of a claimed row that is due at `now` (each once), then release the lease."""
    mine = Assignment.objects.select_for_update().select_related("agency").filter(pk=pk, escalation_lease_until=lease)
    assignment = mine.first()
    if assignment is None:
        return 0
    fired, next_at = 0, None
    if assignment.status in OPEN_STATUSES and assignment.escalation_chain_id:
        steps = selectors.escalation_steps(chain_id=assignment.escalation_chain_id)
        calendar = calendar_for(agency=assignment.agency)
        while assignment.escalation_level < len(steps):
            step = steps[assignment.escalation_level]
            due = _step_due(assignment, step, calendar)
            if due > now:
                next_at = due
                break
            _fire(assignment, step, due, now)
            assignment.escalation_level += 1
            fired += 1
    changed = Assignment.objects.filter(pk=pk, escalation_lease_until=lease).update(
        escalation_level=assignment.escalation_level, next_escalation_at=next_at, escalation_lease_until=None
    )
    if changed != 1:  # another worker took the row after our lease expired: undo everything we wrote
        raise _LeaseLost
    return fired


def assignment_escalate_due(*, now: dt.datetime | None = None, limit: int = 100) -> int:
    """R3.3, R4.5 (DESIGN "Durable work"): fire the escalation steps that are due; returns how many fired.

    Each candidate is claimed by a conditional UPDATE with a lease, so concurrent workers never fire a step
    twice; a worker killed mid-way leaves a lease that expires and the row is taken again.
    """
    now = now or timezone.now()
    candidates = Assignment.objects.filter(_due(now)).order_by("next_escalation_at", "pk")
    fired = 0
    for pk in list(candidates.values_list("pk", flat=True)[:limit]):
        lease = assignment_escalation_claim(pk=pk, now=now)
        if lease is None:
            continue
        try:
            fired += _escalate_claimed(pk, lease, now)
        except _LeaseLost:
            logger.warning("escalation of assignment %s lost its lease", pk)
        except Exception:  # the lease expires and the next run retries this row
            logger.exception("escalation of assignment %s failed", pk)
    return fired


# --- Escalation chains: the configuration page (issue 8) ------------------------------------------------------


def subject_processes() -> list[str]:
    """The processes whose work runs through assignments (their handlers are registered), for the chain page."""
    return sorted(_HANDLERS)


@transaction.atomic
def escalation_chain_remove(*, actor: User, chain: EscalationChain) -> None:
    """R3.3, R4.5: retire a chain (the process default then applies to its category); IOC leader or admin.

    A chain that work has already followed stays, for that work's history: change its steps instead.
    """
    if actor is None or not actor.has_role(*CHAIN_EDITOR_ROLES):
        raise PermissionDenied(_("Chỉ lãnh đạo IOC, quản trị hệ thống được sửa / Only IOC leaders and administrators"))
    locked = EscalationChain.objects.select_for_update().filter(pk=chain.pk).first()
    if locked is None:
        raise ValidationError({"chain": [_("Chuỗi không còn tồn tại / The chain no longer exists")]})
    if Assignment.objects.filter(escalation_chain=locked).exists():
        raise ValidationError(
            {"chain": [_("Chuỗi đã được dùng cho việc được giao: hãy sửa các bước / Work used it: edit its steps")]}
        )
    steps = [(s.order, s.at_share, s.role, s.urgent) for s in locked.steps.order_by("order")]
    changes = {"process": locked.process, "category_code": locked.category_code, "name": locked.name, "steps": steps}
    audit_record(actor=actor, action="escalation_chain.remove", obj=locked, changes=changes)
    locked.delete()
