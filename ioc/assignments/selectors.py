"""Reads of agency work (R3.3, R4.2, R4.3), scoped by `accounts.selectors.user_scope`.

Other apps call: `assignment_inbox`, `assignment_get_for`, `deadline_state`, `assignments_work_items`,
`assignment_for_subject`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Case, Count, DateTimeField, F, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from ioc.accounts.choices import IOC_STAFF_ROLES, Role
from ioc.accounts.models import User
from ioc.accounts.selectors import scope_filter, user_scope
from ioc.agencies.models import Agency
from ioc.assignments.choices import OPEN_STATUSES, AssignmentStatus, DeadlineState
from ioc.assignments.models import Assignment, AssignmentUpdate, EscalationChain, EscalationStep, Evidence
from ioc.common.workitems import WorkFilter, WorkItem

# deadline_rank: the order of the inbox (overdue first).
_RANK = {DeadlineState.OVERDUE: 0, DeadlineState.AT_RISK: 1, DeadlineState.ON_TRACK: 2}
STATE_BY_RANK = {rank: state for state, rank in _RANK.items()}
RANK_FIELD = "deadline_rank"
OPEN = "open"  # the inbox's default status filter: work still with the agency
WORK_ITEMS_LIMIT = 50


def deadline_state(*, assignment: Assignment, now: dt.datetime | None = None) -> DeadlineState:
    """R3.3: on track, at risk (from AT_RISK_SHARE of the time) or overdue (after the deadline).

    Open work is judged at `now`; resolved work by when it was resolved; returned or cancelled work when closed.
    """
    now = now or timezone.now()
    reference = assignment.resolved_at or assignment.closed_at or now
    if reference > assignment.deadline_at:
        return DeadlineState.OVERDUE
    if assignment.status in OPEN_STATUSES and reference >= assignment.at_risk_at:
        return DeadlineState.AT_RISK
    return DeadlineState.ON_TRACK


def with_deadline_rank(qs: QuerySet[Assignment], *, now: dt.datetime) -> QuerySet[Assignment]:
    """Annotate `deadline_rank` (0 overdue, 1 at risk, 2 on track) the way `deadline_state` decides."""
    reference = Coalesce("resolved_at", "closed_at", Value(now, output_field=DateTimeField()))
    return qs.annotate(
        reference_at=reference,
        deadline_rank=Case(
            When(reference_at__gt=F("deadline_at"), then=Value(0)),
            When(Q(status__in=OPEN_STATUSES, reference_at__gte=F("at_risk_at")), then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        ),
    )


def _scoped(user: Any) -> QuerySet[Assignment]:
    return scope_filter(Assignment.objects.all(), scope=user_scope(user=user), agency_field="agency", unit_field="unit")


def assignment_inbox(
    *,
    user: Any,
    status: str | None = None,
    deadline: str | None = None,
    escalated: bool = False,
    now: dt.datetime | None = None,
) -> QuerySet[Assignment]:
    """R3.3: the work this user may see (IOC roles: all; agency roles: their agency's), overdue first.

    `status`: None for every status, "open" for work still with the agency, or one AssignmentStatus value.
    `deadline`: None or one DeadlineState value. `escalated`: only work escalated at least once in its current
    round (a tier reached or a missed acceptance; the escalation digest's link, docs/decisions/0011). Each row
    carries `deadline_rank` (see STATE_BY_RANK).
    """
    now = now or timezone.now()
    qs = with_deadline_rank(_scoped(user).select_related("agency", "unit").defer("unit__geometry"), now=now)
    if status == OPEN:
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if deadline:
        qs = qs.filter(**{RANK_FIELD: _RANK[DeadlineState(deadline)]})
    if escalated:
        qs = qs.filter(Q(escalation_level__gt=0) | Q(accept_escalated_at__isnull=False))
    return qs.order_by(F(RANK_FIELD).asc(), "deadline_at", "pk")


def assignment_inbox_counts(*, user: Any, now: dt.datetime | None = None) -> dict[str, int]:
    """R3.3: counts of the user's work (one query): open work by deadline state, and every status."""
    now = now or timezone.now()
    qs = with_deadline_rank(_scoped(user), now=now)
    is_open = Q(status__in=OPEN_STATUSES)
    aggregates: dict[str, Any] = {
        OPEN: Count("pk", filter=is_open),
        **{state.value: Count("pk", filter=is_open & Q(deadline_rank=rank)) for state, rank in _RANK.items()},
        **{status.value: Count("pk", filter=Q(status=status)) for status in AssignmentStatus},
    }
    return {key: int(value or 0) for key, value in qs.aggregate(**aggregates).items()}


def assignment_get_for(*, user: Any, pk: int) -> Assignment:
    """R3.3: one piece of work with its timeline and evidence, or 404 outside the user's scope."""
    updates = AssignmentUpdate.objects.select_related("actor").order_by("at", "pk")
    found = (
        _scoped(user)
        .select_related("agency", "unit", "forwarded_by", "handled_by")
        .defer("unit__geometry")
        .prefetch_related(Prefetch("updates", queryset=updates), "evidence")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404("Không tìm thấy / Not found")
    return found


def evidence_get_for(*, user: Any, assignment_pk: int, pk: int) -> Evidence:
    """R3.3: one evidence file of a piece of work the user may see, or 404."""
    found = Evidence.objects.filter(pk=pk, assignment__in=_scoped(user).filter(pk=assignment_pk)).first()
    if found is None:
        raise Http404("Không tìm thấy / Not found")
    return found


def assignment_for_subject(*, process: str, subject_id: str) -> Assignment | None:
    """The latest piece of work on a subject (a report, an incident), if any (no scope: for the owning app)."""
    return (
        Assignment.objects.select_related("agency")
        .filter(process=process, subject_id=str(subject_id))
        .order_by("-forwarded_at", "-pk")
        .first()
    )


def escalation_chain_for(*, process: str, category_code: str) -> EscalationChain | None:
    """The chain of (process, category) falling back to the process default (category "")."""
    chains = {
        c.category_code: c
        for c in EscalationChain.objects.filter(process=process, category_code__in={category_code, ""})
    }
    return chains.get(category_code) or chains.get("")


def escalation_steps(*, chain_id: int) -> list[EscalationStep]:
    return list(EscalationStep.objects.filter(chain_id=chain_id).order_by("order"))


def escalation_chain_list() -> QuerySet[EscalationChain]:
    return EscalationChain.objects.prefetch_related("steps").order_by("process", "category_code")


def agency_ancestor_ids(*, agency_id: int) -> list[int]:
    """The agency and its parents, nearest first."""
    found: list[int] = []
    current: int | None = agency_id
    while current is not None and current not in found:
        found.append(current)
        current = Agency.objects.filter(pk=current).values_list("parent_id", flat=True).first()
    return found


def acting_agency_ids(*, user: Any) -> set[int]:
    """Agencies whose work `user` may act on as an officer or head (the role's agency, else the account's)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    rows = user.role_assignments.filter(revoked_at__isnull=True, role__in=[Role.AGENCY_OFFICER, Role.AGENCY_HEAD])
    return {agency_id or user.agency_id for agency_id in rows.values_list("agency_id", flat=True)} - {None}


def user_can_act(*, user: Any, assignment: Assignment) -> bool:
    """R3.3: whether `user` acts for the holding agency (an officer or head of it or of a parent agency)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if not user.has_role(Role.AGENCY_OFFICER, Role.AGENCY_HEAD):
        return False
    return bool(acting_agency_ids(user=user) & set(agency_ancestor_ids(agency_id=assignment.agency_id)))


def agency_people(*, agency: Agency, roles: Iterable[str]) -> list[User]:
    """Active accounts holding one of `roles` inside `agency` (the role's agency, or the account's)."""
    in_agency = Q(role_assignments__agency=agency) | Q(role_assignments__agency__isnull=True, agency=agency)
    held = Q(role_assignments__role__in=list(roles), role_assignments__revoked_at__isnull=True)
    return list(User.objects.filter(held & in_agency, is_active=True, is_removed=False).distinct().order_by("pk"))


def role_holders(*, roles: Iterable[str]) -> list[User]:
    """Active accounts holding one of `roles` (IOC operators, the IOC leader…)."""
    held = Q(role_assignments__role__in=list(roles), role_assignments__revoked_at__isnull=True)
    return list(User.objects.filter(held, is_active=True, is_removed=False).distinct().order_by("pk"))


def _work_item(assignment: Assignment) -> WorkItem:
    state = STATE_BY_RANK[getattr(assignment, "deadline_rank", 2)]
    unit = assignment.unit
    return WorkItem(
        source="assignments",
        kind="assignment",
        title=f"{assignment.subject_label or assignment.subject_id} — {assignment.agency}",
        url=reverse("assignments:detail", args=[assignment.pk]),
        at=assignment.started_at,
        due_at=assignment.deadline_at,
        state=state.value,
        status=assignment.status,
        code=assignment.subject_id,
        object_id=assignment.pk,
        agency_id=assignment.agency_id,
        agency=assignment.agency.name,
        commune_id=assignment.unit_id,
        commune=unit.name if unit is not None else "",
    )


def assignments_work_items(*, user: Any, where: WorkFilter | None = None) -> list[WorkItem]:
    """DESIGN "Map hooks": an officer's open work of their agency; an IOC operator's or leader's overdue work.
    `where`: the queue's agency and commune filters, applied before the LIMIT."""
    roles = set(getattr(user, "role_codes", ()))
    if roles & {Role.AGENCY_OFFICER, Role.AGENCY_HEAD}:
        qs = assignment_inbox(user=user, status=OPEN)
    elif roles & IOC_STAFF_ROLES:
        qs = assignment_inbox(user=user, status=OPEN, deadline=DeadlineState.OVERDUE)
    else:
        return []
    narrow = (where or WorkFilter()).q(agency="agency_id", commune="unit_id") or Q()
    return [_work_item(a) for a in qs.filter(narrow)[:WORK_ITEMS_LIMIT]]


def escalation_chain_get(*, pk: int) -> EscalationChain | None:
    """R3.3, R4.5: one chain with its steps (the configuration page edits it)."""
    return escalation_chain_list().filter(pk=pk).first()
