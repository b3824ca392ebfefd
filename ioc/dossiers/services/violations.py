"""The IOC verifies violations (R4.2, act 004:6.4): confirmed, or dismissed with a reason. A confirmed time-bound
violation is forwarded to the agency through `assignments` (process "dossiers", deadline and escalation chain);
the subject handler marks it handled when the IOC confirms the agency's answer."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.accounts.models import User
from ioc.assignments.models import Assignment
from ioc.assignments.services import assignment_forward
from ioc.audit.services import audit_record
from ioc.common.roles import IOC_STAFF_ROLES, actor_has_role
from ioc.dossiers.choices import PROCESS, VIOLATION_TRANSITIONS, Handling, ViolationState
from ioc.dossiers.models import Violation
from ioc.dossiers.rules import RULES_BY_CODE

REASON_MAX = 2000


def _require_ioc(actor: User) -> None:
    if not actor_has_role(actor, IOC_STAFF_ROLES):
        raise PermissionDenied(_("Chỉ cán bộ IOC xác minh vi phạm / Only IOC staff verify violations"))


def _move(violation: Violation, to: str) -> None:
    if to not in VIOLATION_TRANSITIONS[violation.state]:
        raise ValidationError({"state": [_("Vi phạm không ở trạng thái chờ xác minh / Not awaiting verification")]})


def _forward(violation: Violation, actor: User) -> Assignment:
    rule = RULES_BY_CODE[violation.rule]
    return assignment_forward(
        process=PROCESS,
        subject_id=str(violation.pk),
        subject_label=f"{violation.dossier.code}: {rule.label}"[:200],
        category_code=rule.code,
        agency=violation.agency,
        unit=violation.dossier.unit,
        working_hours=rule.handling_hours,
        instructions=_("Giải trình và khắc phục vi phạm; căn cứ: %(basis)s") % {"basis": rule.basis},
        actor=actor,
    )


@transaction.atomic
def violation_confirm(*, violation: Violation, actor: User) -> Violation:
    """R4.2: the IOC confirms a violation; a time-bound one goes to its agency with a deadline."""
    _require_ioc(actor)
    violation = Violation.objects.select_for_update().select_related("dossier", "agency").get(pk=violation.pk)
    _move(violation, ViolationState.CONFIRMED)
    violation.state, violation.verified_by, violation.verified_at = ViolationState.CONFIRMED, actor, timezone.now()
    if violation.handling == Handling.TIME_BOUND:
        violation.assignment_id = _forward(violation, actor).pk
    violation.save(update_fields=["state", "verified_by", "verified_at", "assignment_id"])
    audit_record(actor=actor, action="violation.confirm", obj=violation, changes={"rule": violation.rule})
    return violation


@transaction.atomic
def violation_dismiss(*, violation: Violation, reason: str, actor: User) -> Violation:
    """R4.2: the IOC dismisses a violation, giving its reason."""
    _require_ioc(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Cần nêu lý do loại bỏ / Give the reason")]})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": [_("Lý do quá dài / Reason too long")]})
    violation = Violation.objects.select_for_update().get(pk=violation.pk)
    _move(violation, ViolationState.DISMISSED)
    violation.state, violation.verified_by, violation.verified_at = ViolationState.DISMISSED, actor, timezone.now()
    violation.dismiss_reason = reason
    violation.save(update_fields=["state", "verified_by", "verified_at", "dismiss_reason"])
    audit_record(actor=actor, action="violation.dismiss", obj=violation, changes={"reason": reason})
    return violation


def violation_follow_assignment(*, assignment: Assignment, kind: str, actor: User | None) -> None:
    """R4.2: the violation mirrors its assignment: handled once the IOC confirms the agency's result."""
    if kind != "confirm":
        return
    updated = Violation.objects.filter(pk=int(assignment.subject_id), state=ViolationState.CONFIRMED)
    if updated.update(state=ViolationState.HANDLED):
        audit_record(
            actor=actor, action="violation.handled", object_type="dossiers.Violation", object_id=assignment.subject_id
        )
