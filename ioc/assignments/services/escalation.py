"""Escalation (R3.3, R4.5; DESIGN "Durable work"): chains as data (set and removed by IOC leaders and
administrators) and the sweeper that fires the steps that fall due, each once, under a lease."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.accounts.choices import Role
from ioc.accounts.models import User
from ioc.accounts.selectors import system_account
from ioc.assignments import notices, selectors
from ioc.assignments.choices import (
    ESCALATION_AGENCY_ROLES,
    ESCALATION_LEASE_SECONDS,
    ESCALATION_ROLES,
    MAX_ESCALATION_STEPS,
    OPEN_STATUSES,
    UpdateKind,
)
from ioc.assignments.models import Assignment, EscalationChain, EscalationStep
from ioc.assignments.services._base import (
    CHAIN_EDITOR_ROLES,
    accept_pending,
    audit,
    local_text,
    next_wakeup,
    notify,
    record,
    step_due,
)
from ioc.assignments.services.handlers import call_handler
from ioc.assignments.validation import clean_text
from ioc.audit.services import audit_record
from ioc.worktime.selectors import calendar_for

logger = logging.getLogger("ioc.assignments")


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
        "due": local_text(due),
        "role": role_label,
    }
    system = system_account()  # the sweeper is a background process: it acts as the system account (R7.3)
    update = record(assignment, UpdateKind.ESCALATE, system, text, now)
    audit(system, "escalate", assignment, step=step.order, role=step.role, due=due.isoformat(), update=update.pk)
    call_handler(assignment, UpdateKind.ESCALATE, system, text)
    template = notices.AT_RISK if step.at_share < 1 else notices.OVERDUE
    notify(assignment, update, _step_recipients(assignment, step), template, text, urgent=step.urgent)


def _fire_accept_breach(assignment: Assignment, steps: Sequence[EscalationStep], now: dt.datetime) -> None:
    """R4.3: the work was not accepted by its accept deadline: the breach goes one tier up the chain (the role of
    the next step, or of the last once the chain is used up; the IOC operators without a chain), recorded once
    (accept_escalated_at). The resolve deadline's steps keep their own schedule: each breach escalates."""
    tier = steps[min(assignment.escalation_level, len(steps) - 1)] if steps else None
    due = assignment.accept_deadline_at or now
    role = tier.role if tier is not None else Role.IOC_OPERATOR
    role_label = Role(role).label if role in Role.values else role
    text = _("Chưa tiếp nhận khi đến hạn tiếp nhận (%(due)s), báo %(role)s") % {
        "due": local_text(due),
        "role": role_label,
    }
    system = system_account()
    update = record(assignment, UpdateKind.ESCALATE, system, text, now)
    audit(system, "escalate", assignment, accept_due=due.isoformat(), role=role, update=update.pk)
    call_handler(assignment, UpdateKind.ESCALATE, system, text)
    recipients = _step_recipients(assignment, tier) if tier is not None else selectors.role_holders(roles=[role])
    notify(assignment, update, recipients, notices.NOT_ACCEPTED, text, urgent=bool(tier and tier.urgent))
    assignment.accept_escalated_at = now


class _LeaseLost(Exception):
    pass


def _fire_due_steps(assignment: Assignment, steps: Sequence[EscalationStep], now: dt.datetime) -> int:
    """Fire the steps due at `now` (each once) and, first, a missed acceptance; leave the next wake-up."""
    fired, step_at = 0, None
    accept_due = assignment.accept_deadline_at
    if accept_pending(assignment) and accept_due is not None and accept_due <= now:
        _fire_accept_breach(assignment, steps, now)
        fired += 1
    calendar = calendar_for(agency=assignment.agency)
    while assignment.escalation_level < len(steps):
        step = steps[assignment.escalation_level]
        due = step_due(assignment, step, calendar)
        if due > now:
            step_at = due
            break
        _fire(assignment, step, due, now)
        assignment.escalation_level += 1
        fired += 1
    assignment.next_escalation_at = next_wakeup(assignment, step_at)
    return fired


@transaction.atomic
def _escalate_claimed(pk: int, lease: dt.datetime, now: dt.datetime) -> int:
    """Fire every step of a claimed row that is due at `now` (each once), then release the lease."""
    mine = Assignment.objects.select_for_update().select_related("agency").filter(pk=pk, escalation_lease_until=lease)
    assignment = mine.first()
    if assignment is None:
        return 0
    fired, assignment.next_escalation_at = 0, None
    if assignment.status in OPEN_STATUSES:
        chain_id = assignment.escalation_chain_id
        steps = selectors.escalation_steps(chain_id=chain_id) if chain_id else []
        fired = _fire_due_steps(assignment, steps, now)
    changed = Assignment.objects.filter(pk=pk, escalation_lease_until=lease).update(
        escalation_level=assignment.escalation_level,
        next_escalation_at=assignment.next_escalation_at,
        accept_escalated_at=assignment.accept_escalated_at,
        escalation_lease_until=None,
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
