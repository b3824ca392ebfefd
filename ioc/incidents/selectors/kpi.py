"""KPIs of incidents for dashboards and reports (R4.3–R4.5): counts, times to verify, dispatch, reach the scene
and resolve, on-time rate by agency and kind. Plain rows in the user's scope over a period (the rollup cells of
docs/decisions/0005 are for a later round, if a year of incidents misses its budget)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from statistics import mean
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from ioc.accounts.selectors import scope_filter, user_scope
from ioc.assignments.choices import AssignmentStatus
from ioc.assignments.models import Assignment
from ioc.common.choices import Severity
from ioc.incidents.choices import INCIDENT_OPEN_STATES, PROCESS
from ioc.incidents.models import Incident
from ioc.incidents.selectors._base import scoped_incidents


def _period(user: Any, start: dt.datetime, end: dt.datetime) -> QuerySet[Incident]:
    return scoped_incidents(user).filter(raised_at__gte=start, raised_at__lt=end)


def incidents_counts(*, user: Any, start: dt.datetime, end: dt.datetime) -> dict[str, Any]:
    """Incidents raised in [start, end): total, open, severe, by state, by kind, by process."""
    qs = _period(user, start, end).order_by()

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


def _minutes(pairs: list[tuple[dt.datetime | None, dt.datetime | None]]) -> float | None:
    values = [(b - a).total_seconds() / 60 for a, b in pairs if a is not None and b is not None]
    return round(mean(values), 1) if values else None


def incidents_times(*, user: Any, start: dt.datetime, end: dt.datetime) -> dict[str, float | None]:
    """Mean minutes: raised → verified, call → dispatch, dispatch → on scene, raised → resolved."""
    rows = list(
        _period(user, start, end).values_list("raised_at", "verified_at", "dispatched_at", "on_scene_at", "resolved_at")
    )
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
    *, user: Any, start: dt.datetime, end: dt.datetime, now: dt.datetime | None = None
) -> list[OnTime]:
    """On-time rate of agencies' parts forwarded in [start, end), by agency and kind: a part is judged when
    resolved (by its deadline), or when its deadline passed while still open (late); returned or cancelled parts
    and open parts still in time are left out."""
    now = now or timezone.now()
    parts = scope_filter(
        Assignment.objects.filter(process=PROCESS, forwarded_at__gte=start, forwarded_at__lt=end),
        scope=user_scope(user=user),
        agency_field="agency",
        unit_field="unit",
    )
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
