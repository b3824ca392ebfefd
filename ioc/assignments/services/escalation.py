"""Escalation (R3.3, R4.5; DESIGN "Durable work"): chains as data (set and removed by IOC leaders and
administrators); the sweeper that fires the steps that fall due, each once, under a lease, is in
`escalation_sweep` (set-based, issue 12 "Speed") and re-exported here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ioc.accounts.models import User
from ioc.assignments.choices import ESCALATION_ROLES, MAX_ESCALATION_STEPS
from ioc.assignments.models import Assignment, EscalationChain, EscalationStep
from ioc.assignments.services._base import CHAIN_EDITOR_ROLES
from ioc.assignments.services.escalation_sweep import (
    assignment_escalate_due,
    assignment_escalation_claim,
    escalate_claimed,
)
from ioc.assignments.validation import clean_text
from ioc.audit.services import audit_record

__all__ = [
    "StepSpec",
    "assignment_escalate_due",
    "assignment_escalation_claim",
    "escalation_chain_remove",
    "escalation_chain_set",
]


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


# --- Escalation (durable work): the sweep lives in escalation_sweep -----------------------------------------

_escalate_claimed = escalate_claimed  # one claimed row under its lease (a worker that wakes up late gets 0)
