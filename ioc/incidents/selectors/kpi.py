"""KPIs of incidents for dashboards and reports (R4.3–R4.5): counts, times to verify, dispatch, reach the scene
and resolve, on-time rate by agency and kind. Plain rows in the user's scope over a period (the rollup cells of
docs/decisions/0005 are for a later round, if a year of incidents misses its budget).

Each can be narrowed (issue 17: a report of one agency or one commune) to `agency_id` — the incidents that
agency holds a part of (its assignments of the incidents process, any status) — and to `unit_id` — the incidents
whose commune (`Incident.unit`) is that unit or lies under it; both inside the user's scope, never widening it."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from statistics import mean
from typing import Any

from django.db.models import CharField, Count, IntegerField, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from ioc.accounts.selectors import Scope, scope_filter, user_scope
from ioc.assignments.choices import AssignmentStatus
from ioc.assignments.models import Assignment
from ioc.common.choices import Severity
from ioc.geo.models import AdminUnit
from ioc.incidents.choices import INCIDENT_OPEN_STATES, PROCESS
from ioc.incidents.models import Incident
from ioc.incidents.selectors._base import scoped_alerts, scoped_incidents


def _in_unit(qs: QuerySet[Any], unit_id: int, field: str) -> QuerySet[Any]:
    """Rows whose `field` (a FK to geo.AdminUnit) is the unit or lies under it (an unknown unit: none)."""
    path = AdminUnit.objects.filter(pk=unit_id).values_list("path", flat=True).first()
    return scope_filter(qs, scope=Scope(unit_paths=(path,)), unit_field=field) if path else qs.none()


def _period(
    user: Any, start: dt.datetime, end: dt.datetime, agency_id: int | None = None, unit_id: int | None = None
) -> QuerySet[Incident]:
    qs = scoped_incidents(user).filter(raised_at__gte=start, raised_at__lt=end)
    if agency_id is not None:
        # The agency's parts' subject ids, once (an uncorrelated IN: a correlated EXISTS scanned the agency's parts
        # once per incident). The cast is in the SELECT list, so it only meets the incidents process's rows, whose
        # subject ids are incident ids (another process's need not be numbers).
        parts = Assignment.objects.filter(process=PROCESS, agency_id=agency_id)
        qs = qs.filter(pk__in=parts.annotate(incident_id=Cast("subject_id", IntegerField())).values("incident_id"))
    if unit_id is not None:
        qs = _in_unit(qs, unit_id, "unit")
    return qs


def incidents_counts(
    *, user: Any, start: dt.datetime, end: dt.datetime, agency_id: int | None = None, unit_id: int | None = None
) -> dict[str, Any]:
    """Incidents raised in [start, end): total, open, severe, by state, by kind, by process (narrowed to an
    agency's or a commune's incidents when given)."""
    qs = _period(user, start, end, agency_id, unit_id).order_by()

    def by(field: str) -> dict[str, int]:
        return {row[field]: row["n"] for row in qs.values(field).annotate(n=Count("pk"))}

    by_state = by("state")
    return {
        "total": sum(by_state.values()),
        "open": sum(n for state, n in by_state.items() if state in INCIDENT_OPEN_STATES),
        "severe": qs.filter(severity__gte=Severity.HIGH).count(),
        "by_state": by_state,
        "by_kind": by("kind"),
        "by_process": by("process"),
    }


def alerts_counts(*, user: Any, start: dt.datetime, end: dt.datetime, unit_id: int | None = None) -> dict[str, Any]:
    """R4.1: alerts first seen in [start, end) in the user's scope (the inbox is the IOC's): total and by source;
    narrowed to the alerts whose commune (`Alert.unit`) is `unit_id` or lies under it, when given. Alerts belong
    to no agency, so there is no agency narrowing."""
    qs = scoped_alerts(user).filter(first_seen_at__gte=start, first_seen_at__lt=end).order_by()
    if unit_id is not None:
        qs = _in_unit(qs, unit_id, "unit")
    by_source = dict(qs.values_list("source").annotate(n=Count("pk")))
    return {"total": sum(by_source.values()), "by_source": by_source}


def _minutes(pairs: list[tuple[dt.datetime | None, dt.datetime | None]]) -> float | None:
    values = [(b - a).total_seconds() / 60 for a, b in pairs if a is not None and b is not None]
    return round(mean(values), 1) if values else None


def incidents_times(
    *, user: Any, start: dt.datetime, end: dt.datetime, agency_id: int | None = None, unit_id: int | None = None
) -> dict[str, float | None]:
    """Mean minutes: raised → verified, call → dispatch, dispatch → on scene, raised → resolved (of an agency's or a
    commune's incidents when given)."""
    qs = _period(user, start, end, agency_id, unit_id)
    rows = list(qs.values_list("raised_at", "verified_at", "dispatched_at", "on_scene_at", "resolved_at"))
    return {
        "to_verify": _minutes([(r[0], r[1]) for r in rows]),
        "call_to_dispatch": _minutes([(r[0], r[2]) for r in rows]),
        "dispatch_to_scene": _minutes([(r[2], r[3]) for r in rows]),
        "to_resolve": _minutes([(r[0], r[4]) for r in rows]),
    }


@dataclass(frozen=True)
class OnTime:
    agency: str
    kind: str
    total: int
    on_time: int

    @property
    def rate(self) -> float | None:
        return round(self.on_time / self.total, 3) if self.total else None


def incidents_on_time(
    *,
    user: Any,
    start: dt.datetime,
    end: dt.datetime,
    now: dt.datetime | None = None,
    agency_id: int | None = None,
    unit_id: int | None = None,
) -> list[OnTime]:
    """On-time rate of agencies' parts forwarded in [start, end), by agency and kind: a part is judged when
    resolved (by its deadline), or when its deadline passed while still open (late); returned or cancelled parts
    and open parts still in time are left out. Narrowed to one agency's parts, or to the parts of the incidents
    whose commune is `unit_id`, when given."""
    now = now or timezone.now()
    parts = scope_filter(
        Assignment.objects.filter(process=PROCESS, forwarded_at__gte=start, forwarded_at__lt=end),
        scope=user_scope(user=user),
        agency_field="agency",
        unit_field="unit",
    )
    if agency_id is not None:
        parts = parts.filter(agency_id=agency_id)
    if unit_id is not None:
        there = _in_unit(Incident.objects.all(), unit_id, "unit").annotate(text_id=Cast("pk", output_field=CharField()))
        parts = parts.filter(subject_id__in=there.values("text_id"))
    tally: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    rows = parts.values_list("agency__name", "category_code", "status", "resolved_at", "deadline_at")
    for agency, kind, status, resolved, deadline in rows:
        if status in (AssignmentStatus.RETURNED, AssignmentStatus.CANCELLED):
            continue
        if resolved is None and deadline > now:
            continue
        cell = tally[(agency, kind)]
        cell[0] += 1
        cell[1] += int(resolved is not None and resolved <= deadline)
    return [OnTime(agency, kind, total, ok) for (agency, kind), (total, ok) in sorted(tally.items())]
