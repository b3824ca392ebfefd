"""The documented bulk loader of past incidents (R11, DESIGN "Demo data"): the demo's months of history are built
in memory and written with `bulk_create` — incidents, their alerts, timelines, each agency's assignment and its
updates — with **one audit entry per batch** (`audit_record_bulk`, action `incident.bulk_load`, the row count and
a digest of the rows). Only history: live work goes through the other services, one step at a time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction

from ioc.accounts.models import User
from ioc.agencies.models import Agency
from ioc.assignments.choices import AssignmentStatus, UpdateKind
from ioc.assignments.models import Assignment, AssignmentUpdate
from ioc.audit.services import audit_record_bulk
from ioc.geo.models import AdminUnit
from ioc.incidents.choices import KINDS, PROCESS, AlertState, EventKind, IncidentState, Process
from ioc.incidents.models import Alert, Incident, IncidentEvent

BATCH = 500


@dataclass
class PastPart:
    """One agency's part of a past incident."""

    agency: Agency
    forwarded_at: dt.datetime
    deadline_at: dt.datetime
    working_hours: float
    resolved_at: dt.datetime | None
    status: str = AssignmentStatus.CONFIRMED
    escalated_at: dt.datetime | None = None  # the deadline passed before it was resolved


@dataclass
class PastIncident:
    """A past incident with its times (None: the step did not happen) and its agencies' parts."""

    kind: str
    severity: int
    title: str
    source: str
    raised_at: dt.datetime
    verified_at: dt.datetime
    closed_at: dt.datetime
    state: str = IncidentState.CLOSED
    description: str = ""
    lat: float | None = None
    lon: float | None = None
    unit: AdminUnit | None = None
    grid_cell: str = ""
    dispatched_at: dt.datetime | None = None
    en_route_at: dt.datetime | None = None
    on_scene_at: dt.datetime | None = None
    cleared_at: dt.datetime | None = None
    resolved_at: dt.datetime | None = None
    confirmed_at: dt.datetime | None = None
    result: str = ""
    parts: list[PastPart] = field(default_factory=list)
    notes: list[tuple[dt.datetime, str]] = field(default_factory=list)  # (at, text): notes, decisions (R4.4)


def _incident(row: PastIncident) -> Incident:
    spec = KINDS[row.kind]
    forwarded = min((p.forwarded_at for p in row.parts), default=None)
    return Incident(
        kind=row.kind,
        process=spec.process,
        state=row.state,
        severity=row.severity,
        title=row.title[:200],
        description=row.description,
        lat=row.lat,
        lon=row.lon,
        unit=row.unit,
        grid_cell=row.grid_cell,
        raised_at=row.raised_at,
        verified_at=row.verified_at,
        forwarded_at=forwarded if spec.process == Process.TIME_BOUND else None,
        dispatched_at=row.dispatched_at,
        en_route_at=row.en_route_at,
        on_scene_at=row.on_scene_at,
        cleared_at=row.cleared_at,
        resolved_at=row.resolved_at,
        confirmed_at=row.confirmed_at,
        closed_at=row.closed_at,
        response_deadline_at=(
            row.dispatched_at + dt.timedelta(minutes=spec.response_minutes) if row.dispatched_at else None
        ),
        result=row.result,
        cancel_reason="" if row.state == IncidentState.CLOSED else row.result,
    )


def _alert(row: PastIncident, incident: Incident, index: int, actor: User) -> Alert:
    return Alert(
        source=row.source,
        dedup_key=f"history:{incident.pk}:{index}",
        kind=row.kind,
        severity=row.severity,
        title=row.title[:200],
        occurred_at=row.raised_at,
        first_seen_at=row.raised_at,
        last_seen_at=row.raised_at,
        lat=row.lat,
        lon=row.lon,
        unit=row.unit,
        grid_cell=row.grid_cell,
        state=AlertState.RESOLVED,
        incident=incident,
        acknowledged_at=row.verified_at,
        decided_at=row.verified_at,
        resolved_at=row.closed_at,
    )


def _events(row: PastIncident, incident: Incident, actor: User) -> list[IncidentEvent]:
    steps = [
        (EventKind.OPENED, row.verified_at, row.title),
        (EventKind.DISPATCHED, row.dispatched_at, ""),
        (EventKind.EN_ROUTE, row.en_route_at, ""),
        (EventKind.ON_SCENE, row.on_scene_at, ""),
        (EventKind.CLEARED, row.cleared_at, ""),
        (EventKind.RESOLVED, row.resolved_at if incident.process == Process.TIME_BOUND else None, ""),
        (EventKind.CONFIRMED, row.confirmed_at, ""),
        (EventKind.CLOSED if row.state == IncidentState.CLOSED else EventKind.CANCELLED, row.closed_at, row.result),
    ]
    if incident.process == Process.TIME_BOUND and row.parts:
        names = "; ".join(p.agency.name for p in row.parts)
        steps.append((EventKind.FORWARDED, min(p.forwarded_at for p in row.parts), names))
    for part in row.parts:
        if part.escalated_at is not None:
            text = f"{part.agency.name}: {UpdateKind.ESCALATE.label}"
            steps.append((EventKind.ASSIGNMENT, part.escalated_at, text))
    steps += [(EventKind.NOTE, at, text) for at, text in row.notes]
    dated = [(at, kind, text) for kind, at, text in steps if at is not None]
    return [
        IncidentEvent(incident=incident, kind=kind, at=at, actor=actor, text=text)
        for at, kind, text in sorted(dated, key=lambda s: s[0])
    ]


def _assignment(row: PastIncident, incident: Incident, part: PastPart, actor: User) -> Assignment:
    return Assignment(
        process=PROCESS,
        subject_id=str(incident.pk),
        subject_label=f"{incident.reference} {incident.title}"[:200],
        category_code=incident.kind,
        agency=part.agency,
        unit=incident.unit,
        status=part.status,
        working_hours=part.working_hours,
        forwarded_at=part.forwarded_at,
        started_at=part.forwarded_at,
        at_risk_at=part.forwarded_at + (part.deadline_at - part.forwarded_at) * 0.8,
        deadline_at=part.deadline_at,
        accepted_at=part.forwarded_at if part.resolved_at else None,
        resolved_at=part.resolved_at,
        confirmed_at=row.closed_at if part.status == AssignmentStatus.CONFIRMED else None,
        closed_at=row.closed_at,
        resolution=row.result if part.resolved_at else "",
        forwarded_by=actor,
        escalation_level=1 if part.escalated_at else 0,
    )


def _updates(assignment: Assignment, part: PastPart, actor: User) -> list[AssignmentUpdate]:
    steps = [
        (UpdateKind.FORWARD, part.forwarded_at),
        (UpdateKind.ESCALATE, part.escalated_at),
        (UpdateKind.RESOLVE, part.resolved_at),
        (UpdateKind.CONFIRM if part.status == AssignmentStatus.CONFIRMED else UpdateKind.CANCEL, assignment.closed_at),
    ]
    return [AssignmentUpdate(assignment=assignment, kind=k, at=at, actor=actor) for k, at in steps if at is not None]


@transaction.atomic
def _load_batch(rows: Sequence[PastIncident], actor: User) -> dict[str, int]:
    incidents = Incident.objects.bulk_create([_incident(row) for row in rows])
    alerts = Alert.objects.bulk_create([_alert(row, inc, 0, actor) for row, inc in zip(rows, incidents, strict=True)])
    events = IncidentEvent.objects.bulk_create(
        [e for row, inc in zip(rows, incidents, strict=True) for e in _events(row, inc, actor)]
    )
    pairs = [(row, inc, part) for row, inc in zip(rows, incidents, strict=True) for part in row.parts]
    assignments = Assignment.objects.bulk_create([_assignment(r, i, p, actor) for r, i, p in pairs])
    updates = AssignmentUpdate.objects.bulk_create(
        [u for a, (_r, _i, p) in zip(assignments, pairs, strict=True) for u in _updates(a, p, actor)]
    )
    audit_record_bulk(
        actor=actor,
        action="incident.bulk_load",
        object_type="incidents.incident",
        rows=[(i.pk, i.kind, i.state, i.severity, i.raised_at.isoformat()) for i in incidents],
        changes={"alerts": len(alerts), "events": len(events), "assignments": len(assignments)},
    )
    return {
        "incidents": len(incidents),
        "alerts": len(alerts),
        "events": len(events),
        "assignments": len(assignments),
        "updates": len(updates),
    }


def incident_history_bulk_create(*, rows: Sequence[PastIncident], actor: User) -> dict[str, int]:
    """R11: write past incidents in batches of BATCH, one audit entry (`incident.bulk_load`) per batch."""
    totals: dict[str, int] = {}
    for start in range(0, len(rows), BATCH):
        for key, value in _load_batch(rows[start : start + BATCH], actor).items():
            totals[key] = totals.get(key, 0) + value
    return totals
