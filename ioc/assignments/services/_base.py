"""What the assignment services share (R3.3, R4.2; DESIGN "Agency work"): the actor and transition checks, the
row lock, the clock (deadline, at-risk moment, escalation due times in working hours), the timeline row, the
audit entry and the notifications. Not imported outside the package."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from ioc.accounts.choices import IOC_STAFF_ROLES, SYSTEM_USERNAME, Role
from ioc.accounts.models import User
from ioc.assignments import selectors
from ioc.assignments.choices import AT_RISK_SHARE, TRANSITIONS, AssignmentStatus, UpdateKind
from ioc.assignments.models import Assignment, AssignmentUpdate, EscalationStep
from ioc.assignments.services.handlers import call_handler
from ioc.audit.services import audit_record
from ioc.notifications.services import notification_enqueue
from ioc.worktime.selectors import LOCAL_TZ, WorkCalendar, calendar_for, deadline_add

S = AssignmentStatus
IOC_ROLES = tuple(IOC_STAFF_ROLES)  # the set is defined once, in accounts.choices
AGENCY_ROLES = (Role.AGENCY_OFFICER, Role.AGENCY_HEAD)
CHAIN_EDITOR_ROLES = (Role.IOC_LEADER, Role.SYSTEM_ADMIN)


# --- Checks ---------------------------------------------------------------------------------------------------


def require_ioc(actor: User) -> User:
    if not actor.is_active or not actor.has_role(*IOC_ROLES):
        raise PermissionDenied(_("Chỉ cán bộ vận hành, lãnh đạo IOC được thực hiện / Only IOC operators and leaders"))
    return actor


def require_ioc_or_system(actor: User) -> User:
    """R4.6: as `require_ioc`, and the system account forwarding an operating scenario's steps."""
    if actor.is_active and actor.username == SYSTEM_USERNAME and actor.has_role(Role.SYSTEM_ADMIN):
        return actor
    return require_ioc(actor)


def require_agency_actor(assignment: Assignment, actor: User) -> User:
    """An officer or head of the holding agency (or of a parent agency)."""
    if not selectors.user_can_act(user=actor, assignment=assignment):
        raise PermissionDenied(
            _("Chỉ cán bộ của cơ quan đang giữ việc này được thực hiện / Only the holding agency may do this")
        )
    return actor


def check_transition(assignment: Assignment, target: str) -> None:
    if target not in TRANSITIONS[assignment.status]:
        message = _("Không thể chuyển từ “%(current)s” sang “%(target)s” / Transition not allowed") % {
            "current": AssignmentStatus(assignment.status).label,
            "target": AssignmentStatus(target).label,
        }
        raise ValidationError({"status": [message]})


def lock(assignment: Assignment) -> Assignment:
    """The row, locked for this transaction (PostgreSQL; SQLite's IMMEDIATE transaction already serialises)."""
    return Assignment.objects.select_for_update().select_related("agency").get(pk=assignment.pk)


def sync(target: Assignment, source: Assignment) -> Assignment:
    """Copy the written row onto the caller's instance so it sees the new state."""
    for field in Assignment._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
    return source


# --- Clock ----------------------------------------------------------------------------------------------------


def local_text(moment: dt.datetime) -> str:
    return moment.astimezone(LOCAL_TZ).strftime("%H:%M %d/%m/%Y")


def step_due(assignment: Assignment, step: EscalationStep, calendar: WorkCalendar) -> dt.datetime:
    """R3.3: when `step` falls due: its share of the working hours, counted from the start of the clock."""
    hours = assignment.working_hours * step.at_share
    return deadline_add(start=assignment.started_at, working_hours=hours, calendar=calendar)


def due_plan(
    assignment: Assignment, steps: list[EscalationStep], calendar: WorkCalendar
) -> list[list[float | str]] | None:
    """Every step's due time, computed once when the clock starts (`Assignment.escalation_due`; issue 12)."""
    return [[step.at_share, step_due(assignment, step, calendar).isoformat()] for step in steps] or None


def planned_due(assignment: Assignment, step: EscalationStep, calendar: WorkCalendar) -> dt.datetime:
    """`step_due` read from the plan stored when the clock started; computed when there is none or the chain's
    step changed since (its share differs)."""
    plan, index = assignment.escalation_due, assignment.escalation_level
    if plan and index < len(plan) and plan[index][0] == step.at_share:
        return dt.datetime.fromisoformat(plan[index][1])
    return step_due(assignment, step, calendar)


def accept_pending(assignment: Assignment) -> bool:
    """R4.3: the work waits for acceptance under an accept clock whose breach has not been escalated yet."""
    return (
        assignment.status == S.FORWARDED
        and assignment.accept_deadline_at is not None
        and assignment.accept_escalated_at is None
    )


def next_wakeup(assignment: Assignment, step_at: dt.datetime | None) -> dt.datetime | None:
    """When the sweeper must look at the row again: the next step's due time or a pending accept deadline."""
    moments = [step_at] if step_at is not None else []
    if accept_pending(assignment) and assignment.accept_deadline_at is not None:
        moments.append(assignment.accept_deadline_at)
    return min(moments, default=None)


def start_clock(assignment: Assignment, start: dt.datetime, accept_within: float | None = None) -> None:
    """Deadline, at-risk moment and first escalation step of a round that starts at `start`; with
    `accept_within` (working hours, R4.3) also the accept deadline, which then wakes the sweeper too."""
    calendar = calendar_for(agency=assignment.agency)
    assignment.started_at = start
    assignment.deadline_at = deadline_add(start=start, working_hours=assignment.working_hours, calendar=calendar)
    assignment.at_risk_at = deadline_add(
        start=start, working_hours=assignment.working_hours * AT_RISK_SHARE, calendar=calendar
    )
    if accept_within is not None:
        assignment.accept_within_hours = float(accept_within)
        assignment.accept_deadline_at = deadline_add(start=start, working_hours=accept_within, calendar=calendar)
        assignment.accept_escalated_at = None
    assignment.escalation_level = 0
    assignment.escalation_lease_until = None
    steps = (
        selectors.escalation_steps(chain_id=assignment.escalation_chain_id) if assignment.escalation_chain_id else []
    )
    assignment.escalation_due = due_plan(assignment, steps, calendar)
    assignment.next_escalation_at = next_wakeup(
        assignment, planned_due(assignment, steps[0], calendar) if steps else None
    )


# --- Records and notifications --------------------------------------------------------------------------------


def record(
    assignment: Assignment, kind: UpdateKind, actor: User | None, text: str, now: dt.datetime, is_public: bool = False
) -> AssignmentUpdate:
    return AssignmentUpdate.objects.create(
        assignment=assignment, kind=kind, at=now, actor=actor, text=text, is_public=is_public
    )


def audit(actor: User | None, action: str, assignment: Assignment, **changes: Any) -> None:
    audit_record(actor=actor, action=f"assignment.{action}", obj=assignment, changes=changes)


def notice_context(assignment: Assignment, text: str, url: str | None = None) -> dict[str, Any]:
    """The context of an assignment's notices; `url` when the caller already has the work's page address."""
    return {
        "subject_label": assignment.subject_label or assignment.subject_id,
        "agency_name": assignment.agency.name,
        "deadline": local_text(assignment.deadline_at),
        "url": reverse("assignments:detail", args=[assignment.pk]) if url is None else url,
        "text": text,
    }


def notify(
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
        context=notice_context(assignment, text),
        dedup_key=f"assignment:{assignment.pk}:update:{update.pk}",
        urgent=urgent,
    )


def officers(assignment: Assignment) -> list[User]:
    return selectors.agency_people(agency=assignment.agency, roles=[Role.AGENCY_OFFICER])


def operators() -> list[User]:
    return selectors.role_holders(roles=[Role.IOC_OPERATOR])


def finish(
    assignment: Assignment,
    kind: UpdateKind,
    actor: User | None,
    text: str,
    now: dt.datetime,
    changes: dict[str, Any],
    is_public: bool = False,
) -> AssignmentUpdate:
    """The common tail of a transition: the timeline row, the audit entry, the subject's handler."""
    update = record(assignment, kind, actor, text, now, is_public)
    audit(actor, str(kind), assignment, update=update.pk, **changes)
    call_handler(assignment, kind, actor, text)
    return update
