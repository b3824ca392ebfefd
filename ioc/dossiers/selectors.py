"""Every read of dossiers that applies rights (R5.3, R4.2): violations by scope, a dossier's lookup by citizens,
agencies ranked, a procedure's figures; and the procedures' reference rows the intake judges by, per process
(`version_shape`, `versions_in_force`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from ioc.accounts.selectors import scope_filter, user_scope
from ioc.common.privacy import blind_index
from ioc.common.refcache import RefCache
from ioc.common.roles import IOC_STAFF_ROLES, actor_has_role
from ioc.common.workitems import WorkFilter, WorkItem
from ioc.dossiers import score766
from ioc.dossiers.checks import StepShape, VersionShape
from ioc.dossiers.choices import OPEN_STATUSES, EventKind, ViolationState
from ioc.dossiers.models import Dossier, Procedure, ProcedureStep, ProcedureVersion, ServiceScore, Violation

__all__ = [
    "agencies_ranked",
    "dossier_lookup",
    "dossiers_overview",
    "dossiers_work_items",
    "procedure_figures",
    "procedure_get",
    "procedure_list",
    "procedure_overview",
    "service_scores",
    "version_shape",
    "versions_in_force",
    "violation_get",
    "violation_list",
]

# Per process (issue 23 "Speed": read by every pushed event). A version never changes once written
# (`procedure_version_set` only adds), so its shape needs no invalidation; the versions of a procedure change when
# one is added: that service calls PROCEDURE_VERSIONS.changed().
VERSION_SHAPES: RefCache[VersionShape | None] = RefCache("dossiers.version_shapes")
PROCEDURE_VERSIONS: RefCache[tuple[tuple[int, dt.date], ...]] = RefCache("dossiers.procedure_versions")


def version_shape(*, version_id: int) -> VersionShape | None:
    """R5.3: a procedure version's limit, documents and ordered steps as the checks take them (None: no such
    version). Shared between threads: read it, never change it."""

    def load() -> VersionShape | None:
        version = ProcedureVersion.objects.filter(pk=version_id).first()
        if version is None:
            return None
        steps = ProcedureStep.objects.filter(version_id=version_id).order_by("order")
        return VersionShape(
            limit_days=version.limit_days,
            documents=tuple(version.documents or ()),
            steps=tuple(StepShape(o, c, d) for o, c, d in steps.values_list("order", "code", "allotted_days")),
            stop_clock_on_supplement=version.stop_clock_on_supplement,
        )

    return VERSION_SHAPES.get(version_id, load)


def versions_in_force(*, code: str) -> tuple[tuple[int, dt.date], ...]:
    """R5.3: (version id, effective from) of the active procedure `code`, the latest first (empty: unknown or
    inactive procedure). A dossier takes the first whose date is not after its receipt."""

    def load() -> tuple[tuple[int, dt.date], ...]:
        versions = ProcedureVersion.objects.filter(procedure__code=code, procedure__is_active=True)
        return tuple(versions.order_by("-effective_from").values_list("pk", "effective_from"))

    return PROCEDURE_VERSIONS.get(code, load)


def violation_list(*, user: Any, state: str | None = ViolationState.OPEN) -> QuerySet[Violation]:
    """R4.2: violations the user may see (IOC: all; an agency: its own), newest first."""
    qs = Violation.objects.select_related("dossier", "dossier__version__procedure", "agency")
    if state:
        qs = qs.filter(state=state)
    return scope_filter(qs, scope=user_scope(user=user), agency_field="agency_id").order_by("-detected_at", "-pk")


def violation_get(*, user: Any, pk: int) -> Violation | None:
    return violation_list(user=user, state=None).filter(pk=pk).first()


def dossier_lookup(*, code: str, contact: str) -> dict[str, Any] | None:
    """R5.3: what a citizen may read of a dossier, or None when the code or the number does not match (one answer
    for both: the caller cannot tell which)."""
    index = blind_index(contact)
    if not index:
        return None
    dossier = (
        Dossier.objects.select_related("version__procedure", "agency")
        .filter(Q(contact_index=index) | Q(id_index=index), code=code.strip())
        .first()
    )
    if dossier is None:
        return None
    done: dict[str, dt.datetime] = dict(  # oldest first: a step done again shows its last time
        dossier.events.filter(kind=EventKind.STEP_DONE).order_by("occurred_at").values_list("step_code", "occurred_at")
    )
    steps = [{"name": s.name, "done_at": done.get(s.code)} for s in dossier.version.steps.all()]
    return {
        "code": dossier.code,
        "procedure": dossier.version.procedure.name,
        "agency": dossier.agency.name,
        "status": dossier.status,
        "status_label": str(dossier.get_status_display()),
        "received_at": dossier.received_at,
        "due_at": dossier.due_at,
        "expected_at": dossier.promised_at or dossier.due_at,
        "returned_at": dossier.returned_at,
        "steps": steps,
    }


def agencies_ranked(*, user: Any, since: dt.datetime) -> list[dict[str, Any]]:
    """R5.3: agencies by on-time share of dossiers finished since `since` (and their open violations)."""
    qs = scope_filter(
        Dossier.objects.filter(finished_at__gte=since), scope=user_scope(user=user), agency_field="agency_id"
    )
    rows = qs.values("agency_id", "agency__name").annotate(total=Count("pk"), late=Count("pk", filter=Q(is_late=True)))
    ranked = [
        {**row, "on_time_rate": round(100 * (row["total"] - row["late"]) / row["total"], 1) if row["total"] else None}
        for row in rows
    ]
    return sorted(ranked, key=lambda r: (-(r["on_time_rate"] or 0), r["agency__name"]))


def procedure_list() -> QuerySet[Procedure]:
    """R5.3: procedures (public reference data of the national database: no scope)."""
    return Procedure.objects.order_by("field", "code")


def procedure_get(*, code: str) -> Procedure | None:
    return Procedure.objects.filter(code=code).first()


def _hours(delta: dt.timedelta | None) -> float | None:
    return round(delta.total_seconds() / 3600, 1) if delta is not None else None


def procedure_figures(*, user: Any, procedure: Procedure, since: dt.datetime) -> dict[str, Any]:
    """R5.3: a procedure's volumes, times against its limit and bottlenecks (steps most often late, steps where
    open dossiers wait), over the dossiers received since `since` that the user may see."""
    scope = user_scope(user=user)
    dossiers = scope_filter(
        Dossier.objects.filter(version__procedure=procedure, received_at__gte=since),
        scope=scope,
        agency_field="agency_id",
    )
    totals = dossiers.aggregate(
        received=Count("pk"),
        finished=Count("pk", filter=Q(finished_at__isnull=False)),
        late=Count("pk", filter=Q(is_late=True)),
        open=Count("pk", filter=Q(finished_at__isnull=True)),
        online=Count("pk", filter=Q(channel__in=["online_full", "online_partial"])),
    )
    late_steps = dict(
        Violation.objects.filter(dossier__in=dossiers, rule="step_late")
        .values_list("step_code")
        .annotate(n=Count("pk"))
        .values_list("step_code", "n")
    )
    waiting = dict(
        dossiers.filter(finished_at__isnull=True)
        .values_list("current_step")
        .annotate(n=Count("pk"))
        .values_list("current_step", "n")
    )
    version = procedure.versions.order_by("-effective_from").first()
    steps = list(version.steps.all()) if version is not None else []
    bottlenecks = [{"step": s, "late": late_steps.get(s.code, 0), "waiting": waiting.get(s.code, 0)} for s in steps]
    return {
        **totals,
        "version": version,
        "on_time_rate": round(100 * (totals["finished"] - totals["late"]) / totals["finished"], 1)
        if totals["finished"]
        else None,
        "bottlenecks": sorted(bottlenecks, key=lambda b: (-b["late"], -b["waiting"])),
    }


def procedure_overview(*, user: Any, since: dt.datetime) -> list[dict[str, Any]]:
    """R5.3: procedures by volume of dossiers received since `since` (in the user's scope)."""
    dossiers = scope_filter(
        Dossier.objects.filter(received_at__gte=since), scope=user_scope(user=user), agency_field="agency_id"
    )
    rows = dossiers.values("version__procedure__code", "version__procedure__name").annotate(
        received=Count("pk"), late=Count("pk", filter=Q(is_late=True))
    )
    return sorted((dict(row) for row in rows), key=lambda r: -r["received"])


def _dossiers_in_scope(user: Any) -> QuerySet[Dossier]:
    return scope_filter(Dossier.objects.all(), scope=user_scope(user=user), agency_field="agency_id")


def dossiers_overview(*, user: Any, period: str | None = None, now: dt.datetime | None = None) -> dict[str, Any]:
    """DESIGN "Domain overview": counters for the operations room's tile — open dossiers, those past due, violations
    awaiting verification, the on-time share of the last 30 days — and a status (ok, warning, alert)."""
    now = now or timezone.now()
    dossiers = _dossiers_in_scope(user)
    figures = dossiers.aggregate(
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, due_at__lt=now)),
        finished=Count("pk", filter=Q(finished_at__gte=now - dt.timedelta(days=30))),
        late=Count("pk", filter=Q(finished_at__gte=now - dt.timedelta(days=30), is_late=True)),
    )
    violations = violation_list(user=user, state=ViolationState.OPEN).count()
    finished = figures["finished"]
    rate = round(100 * (finished - figures["late"]) / finished, 1) if finished else None
    status = "alert" if figures["overdue"] else ("warning" if violations else "ok")
    return {**figures, "violations_open": violations, "on_time_rate": rate, "status": status}


WORK_ITEMS_MAX = 50


def dossiers_work_items(*, user: Any, where: WorkFilter | None = None) -> list[WorkItem]:
    """DESIGN "Map hooks": for the IOC, violations awaiting verification (most severe first, oldest first)."""
    narrow = (where or WorkFilter()).q(agency="agency_id", commune="dossier__unit_id")
    if not actor_has_role(user, IOC_STAFF_ROLES) or narrow is None:
        return []
    rows = violation_list(user=user).filter(narrow).order_by("-severity", "detected_at", "pk")[:WORK_ITEMS_MAX]
    url = reverse("dossiers:violation_list")
    return [
        WorkItem(
            source="dossiers",
            kind="verify",
            title=f"{v.get_rule_display()}: {v.dossier.code}",
            url=f"{url}#violation-{v.pk}",
            at=v.detected_at,
            severity=v.severity,
            code=v.dossier.code,
            object_id=v.pk,
            agency_id=v.agency_id,
            agency=v.agency.short_name or v.agency.name,
        )
        for v in rows
    ]


def service_scores(*, user: Any, period: str = "") -> tuple[str, list[dict[str, Any]]]:
    """R5.3: Decision 766's scores of the agencies the user may see for `period` (the latest computed by default),
    best first; (period, rows: agency, its points per group in `score766.GROUPS` order, total, measurable)."""
    agencies = ServiceScore.objects.filter(scope=ServiceScore.Scope.AGENCY)
    period = period or (agencies.order_by("-period").values_list("period", flat=True).first() or "")
    rows = scope_filter(
        agencies.filter(period=period).select_related("agency"), scope=user_scope(user=user), agency_field="agency_id"
    )
    return period, [
        {
            "agency": row.agency.name if row.agency else "",
            "groups": [row.groups.get(g.code) for g in score766.GROUPS],
            "total": row.total,
            "measurable": row.measurable,
        }
        for row in rows.order_by("-total", "agency__name")
    ]
