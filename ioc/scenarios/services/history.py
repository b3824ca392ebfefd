"""The documented bulk loader of past scenario activations (R11, DESIGN "Demo data"): history older than the demo's
last 14 days, whose times the services would stamp "now". The incident itself, its alert, timeline and each step's
assignment are written first by `incidents.services.incident_history_bulk_create`; this writes the scenario's side —
the activation with the version it ran, each step's checklist ticked at its past time and linked to that step's
assignment, the resources and the leader's decisions — with `bulk_create` and **one audit entry per batch**
(`audit_record_bulk`, action `activation.bulk_load`). Live work goes through the other services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ioc.accounts.models import User
from ioc.agencies import selectors as agency_selectors
from ioc.agencies.models import Agency
from ioc.assignments.models import Assignment
from ioc.audit.services import audit_record_bulk
from ioc.common.roles import Role, actor_require_role
from ioc.incidents.models import Incident
from ioc.scenarios.choices import ActivationWay, ResourceStatus
from ioc.scenarios.models import Activation, ChecklistItem, Decision, Resource, Scenario, ScenarioVersion

BATCH = 200


@dataclass
class PastResource:
    """A resource committed to a past activation, as it ended."""

    unit_name: str
    kind: str
    count: int
    assigned_at: dt.datetime
    status: str = ResourceStatus.RELEASED
    lat: float | None = None
    lon: float | None = None


@dataclass
class PastActivation:
    """A past activation of `scenario` (its current version) on `incident`: `parts` is each step's assignment (in
    step order, None when the step had none), `ticks` when each checklist item was done ((step, position) → (at,
    by)), `decisions` (at, by, text, is_decision)."""

    scenario: Scenario
    incident: Incident
    activated_by: User
    activated_at: dt.datetime
    reason: str
    steps_forwarded_at: dt.datetime | None = None
    way: str = ActivationWay.LEADER
    parts: list[Assignment | None] = field(default_factory=list)
    ticks: dict[tuple[int, int], tuple[dt.datetime, User]] = field(default_factory=dict)
    resources: list[PastResource] = field(default_factory=list)
    decisions: list[tuple[dt.datetime, User, str, bool]] = field(default_factory=list)


def _activation(row: PastActivation, versions: dict[int, ScenarioVersion]) -> Activation:
    return Activation(
        scenario=row.scenario,
        version=versions[row.scenario.pk],
        incident=row.incident,
        way=row.way,
        reason=row.reason[:300],
        activated_by=row.activated_by,
        activated_at=row.activated_at,
        steps_forwarded_at=row.steps_forwarded_at,
    )


def _items(row: PastActivation, activation: Activation) -> list[ChecklistItem]:
    items = []
    for i, step in enumerate(activation.version.definition.get("steps", [])):
        part = row.parts[i] if i < len(row.parts) else None
        for j, text in enumerate([step["title"], *step["checklist"]]):
            at, by = row.ticks.get((i, j), (None, None))
            items.append(
                ChecklistItem(
                    activation=activation,
                    agency=part.agency if part is not None else _agency(step["agency"], i),
                    step=i,
                    position=j,
                    text=text,
                    assignment=part,
                    done_at=at,
                    done_by=by,
                )
            )
    return items


def _agency(code: str, i: int) -> Agency:
    agency = agency_selectors.agency_get(code=code)
    if agency is None:
        raise ValidationError({f"steps[{i}].agency": [_("Cơ quan không có: %(v)s / Unknown agency") % {"v": code}]})
    return agency


def _check(rows: Sequence[PastActivation]) -> None:
    for n, row in enumerate(rows):
        if row.incident.raised_at > row.activated_at or (
            row.steps_forwarded_at is not None and row.steps_forwarded_at < row.activated_at
        ):
            message = _("Các mốc thời gian không theo thứ tự / The times are out of order")
            raise ValidationError({f"rows[{n}].activated_at": [message]})


@transaction.atomic
def _load_batch(rows: Sequence[PastActivation], actor: User) -> dict[str, int]:
    codes = {row.scenario.pk: row.scenario.version for row in rows}
    versions = {
        v.scenario_id: v
        for v in ScenarioVersion.objects.filter(scenario_id__in=codes)
        if v.number == codes[v.scenario_id]
    }
    activations = Activation.objects.bulk_create([_activation(row, versions) for row in rows])
    pairs = list(zip(rows, activations, strict=True))
    items = ChecklistItem.objects.bulk_create([i for row, a in pairs for i in _items(row, a)])
    resources = Resource.objects.bulk_create(
        [Resource(activation=a, **vars(r)) for row, a in pairs for r in row.resources]
    )
    decisions = Decision.objects.bulk_create(
        [
            Decision(activation=a, at=at, by=by, text=text, is_decision=d)
            for row, a in pairs
            for at, by, text, d in row.decisions
        ]
    )
    audit_record_bulk(
        actor=actor,
        action="activation.bulk_load",
        object_type="scenarios.activation",
        rows=[
            (a.pk, row.scenario.code, a.version.number, a.incident_id, a.activated_at.isoformat()) for row, a in pairs
        ],
        changes={"checklist": len(items), "resources": len(resources), "decisions": len(decisions)},
    )
    return {"activations": len(activations), "checklist": len(items), "resources": len(resources)}


def activation_history_bulk_create(*, rows: Sequence[PastActivation], actor: User) -> dict[str, int]:
    """R11: write past activations in batches of BATCH, one audit entry (`activation.bulk_load`) per batch. Only
    the administrator (or the system account of a demo or an import) loads history."""
    actor_require_role(
        actor, [Role.SYSTEM_ADMIN], _("Chỉ quản trị hệ thống nạp lịch sử / Only the administrator loads history")
    )
    _check(rows)
    totals: dict[str, int] = {}
    for start in range(0, len(rows), BATCH):
        for key, value in _load_batch(rows[start : start + BATCH], actor).items():
            totals[key] = totals.get(key, 0) + value
    return totals
