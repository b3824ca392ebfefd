"""Activating a scenario (R4.6): by a trigger (an alert, a surge of citizen reports, an indicator warning) or by
the IOC leader. It opens an incident recording the scenario version, its checklist per agency and each agency's
assignment (through the incidents and assignments services); a repeated trigger joins the open activation
(dedup); scenarios activated with it follow, never in a cycle."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.accounts.models import User
from ioc.accounts.selectors import system_account
from ioc.agencies import selectors as agency_selectors
from ioc.agencies.models import Agency
from ioc.assignments import selectors as assignment_selectors
from ioc.assignments import services as assignment_services
from ioc.assignments.models import Assignment
from ioc.audit.services import audit_record
from ioc.common.roles import IOC_STAFF_ROLES, Role, actor_has_role
from ioc.geo import selectors as geo_selectors
from ioc.incidents import services as incident_services
from ioc.incidents.choices import INCIDENT_OPEN_STATES, KINDS, PROCESS, IncidentState, Process
from ioc.incidents.models import Alert, Incident
from ioc.notifications.services import notification_enqueue
from ioc.scenarios.choices import ActivationWay
from ioc.scenarios.models import Activation, ChecklistItem, Scenario, ScenarioVersion, TriggerHit

logger = logging.getLogger(__name__)
ACTIVATED_TEMPLATE = "scenarios.activated"


def _require_activator(actor: User, way: str) -> None:
    if way == ActivationWay.LEADER:
        if not actor_has_role(actor, [Role.IOC_LEADER]):
            raise PermissionDenied(_("Chỉ lãnh đạo IOC được kích hoạt kịch bản / Only the IOC leader activates"))
    elif not (actor_has_role(actor, IOC_STAFF_ROLES) or actor == system_account()):
        raise PermissionDenied(_("Chỉ IOC hoặc hệ thống được kích hoạt kịch bản / Only the IOC or the system"))


def open_activation(scenario: Scenario) -> Activation | None:
    """The scenario's activation whose incident is still open, if any."""
    qs = Activation.objects.select_related("incident").filter(
        scenario=scenario, incident__state__in=INCIDENT_OPEN_STATES
    )
    return qs.order_by("-activated_at").first()


def _current_version(scenario: Scenario) -> ScenarioVersion:
    return ScenarioVersion.objects.get(scenario=scenario, number=scenario.version)


def _open_incident(scenario: Scenario, actor: User, alert: Alert | None, reason: str) -> Incident:
    """The incident: verified from the alert when it is of the scenario's kind and still new, the alert's incident
    when it already joined one, else opened at the alert's place or the watched area's unit, with the alert (of
    another kind) attached to it."""
    spec = scenario.definition["incident"]
    if alert is not None and alert.incident_id is not None:
        return Incident.objects.get(pk=alert.incident_id)
    if alert is not None and alert.kind == spec["kind"] and alert.state == "new":
        return incident_services.alert_verify(
            alert=alert, actor=actor, severity=max(spec["severity"], alert.severity), description=reason
        )
    point = (alert.lat, alert.lon) if alert is not None and alert.lat is not None and alert.lon is not None else None
    area = scenario.definition.get("area") or {}
    unit = alert.unit if alert is not None else None
    if point is None and unit is None and area.get("type") in ("point", "circle"):
        point = (area["lat"], area["lon"])
    if point is None and unit is None and area.get("type") == "unit":
        unit = geo_selectors.unit_get(ref=area["unit"])
    incident = incident_services.incident_start(
        kind=spec["kind"],
        severity=max(spec["severity"], alert.severity if alert is not None else 1),
        title=spec["title"],
        description=reason,
        point=point,
        unit=unit,
        actor=actor,
    )
    # Another kind (a `cyber.*` alert of an intrusion) joins the new incident, if it is still new when locked: an
    # operator may have handled it since the trigger fired, and that must not undo the activation. Its own title
    # is the timeline's note (the activation's reason is free text, already on the incident).
    if alert is not None:
        fresh = Alert.objects.select_for_update().filter(pk=alert.pk, state="new").first()
        if fresh is not None:
            incident = incident_services.alert_merge(alert=fresh, incident=incident, actor=actor)
    return incident


def _checklist(activation: Activation, steps: Sequence[dict[str, Any]], agencies: dict[str, Agency]) -> None:
    items = [
        ChecklistItem(activation=activation, agency=agencies[step["agency"]], step=i, position=j, text=text)
        for i, step in enumerate(steps)
        for j, text in enumerate([step["title"], *step["checklist"]])
    ]
    ChecklistItem.objects.bulk_create(items)


def _agencies(steps: Sequence[dict[str, Any]]) -> dict[str, Agency]:
    found: dict[str, Agency] = {}
    for i, step in enumerate(steps):
        agency = agency_selectors.agency_get(code=step["agency"])
        if agency is None or not agency.is_active:
            message = _("Cơ quan không còn hoạt động: %(v)s / The agency is no longer active") % {"v": step["agency"]}
            raise ValidationError({f"steps[{i}].agency": [message]})
        found[step["agency"]] = agency
    return found


def _instructions(i: int, steps: Sequence[dict[str, Any]]) -> str:
    step = steps[i]
    text = f"{_('Bước')} {i + 1}/{len(steps)}: {step['title']} (+{step['deadline_hours']:g} h)"
    if step["checklist"]:
        text += ". " + _("Việc cần làm") + ": " + "; ".join(step["checklist"])
    return text[:4000]


def _first_part(incident: Incident, agency: Agency, hours: float, instructions: str, actor: User) -> Assignment:
    """An agency's first step goes through the incident's own flow (its state and timeline move)."""
    if incident.process == Process.IMMEDIATE:
        return incident_services.incident_dispatch(
            incident=incident,
            agencies=[agency],
            minutes=max(1, round(hours * 60)),
            instructions=instructions,
            actor=actor,
        )[0]
    return incident_services.incident_forward(
        incident=incident, agencies=[agency], working_hours=hours, instructions=instructions, actor=actor
    )[0]


def _next_part(incident: Incident, agency: Agency, hours: float, instructions: str, actor: User) -> Assignment:
    """A further step of an agency already holding one: its own assignment beside the first (R4.6), with its own
    deadline counted like the first (immediate: round minutes), and a line on the incident's timeline."""
    if incident.process == Process.IMMEDIATE:
        hours = max(1, round(hours * 60)) / 60
    part = assignment_services.assignment_forward(
        process=PROCESS,
        subject_id=str(incident.pk),
        subject_label=f"{incident.reference} {incident.title}"[:200],
        category_code=incident.kind,
        agency=agency,
        unit=incident.unit,
        working_hours=hours,
        instructions=instructions,
        accept_within=min(KINDS[incident.kind].accept_hours, hours),
        actor=actor,
        parallel=True,
    )
    text = f"{agency.name}: {instructions}"[:2000]
    incident_services.incident_note(incident=incident, actor=actor, text=text)
    return part


@transaction.atomic
def activation_forward_steps(*, activation: Activation, actor: User) -> Activation:
    """R4.6: each step of the scenario becomes its agency's assignment, with the step's own relative deadline
    (time-bound: working hours; immediate: minutes round the clock) and its checklist; an agency with several
    steps holds several assignments. Waits while the incident awaits the leader's approval."""
    locked = Activation.objects.select_for_update().select_related("incident", "version").get(pk=activation.pk)
    if locked.steps_forwarded_at is not None:
        raise ValidationError({"steps": [_("Đã giao nhiệm vụ cho các cơ quan / The steps were already forwarded")]})
    incident = locked.incident
    if incident.state == IncidentState.AWAITING_APPROVAL:
        raise ValidationError({"state": [_("Sự cố đang chờ lãnh đạo IOC duyệt / Awaiting the leader's approval")]})
    steps = locked.version.definition.get("steps", [])
    agencies = _agencies(steps)
    parts: list[Assignment] = []
    for i, step in enumerate(steps):
        agency, hours = agencies[step["agency"]], float(step["deadline_hours"])
        first = all(part.agency_id != agency.pk for part in parts)
        forward = _first_part if first else _next_part
        parts.append(forward(incident, agency, hours, _instructions(i, steps), actor))
        incident.refresh_from_db()
    for i, part in enumerate(parts):
        ChecklistItem.objects.filter(activation=locked, step=i).update(assignment=part)
    locked.steps_forwarded_at = timezone.now()
    locked.save(update_fields=["steps_forwarded_at"])
    audit_record(actor=actor, action="activation.forward", obj=locked, changes={"assignments": len(parts)})
    return locked


def _notify(activation: Activation, agencies: dict[str, Agency]) -> None:
    people = {u.pk: u for u in assignment_selectors.role_holders(roles=[Role.IOC_LEADER])}
    for agency in agencies.values():
        for user in assignment_selectors.agency_people(agency=agency, roles=[Role.AGENCY_OFFICER, Role.AGENCY_HEAD]):
            people[user.pk] = user
    if not people:
        return
    scenario = activation.scenario
    notification_enqueue(
        event="scenario.activated",
        recipients=list(people.values()),
        template=ACTIVATED_TEMPLATE,
        context={
            "scenario": scenario.name,
            "version": activation.version.number,
            "reference": activation.incident.reference,
            "reason": activation.reason,
            "message": scenario.definition.get("message", ""),
            "url": reverse("scenarios:command", args=[activation.pk]),
        },
        dedup_key=f"scenario-activation:{activation.pk}",
        urgent=True,
    )


def _hit(scenario: Scenario, key: str, activation: Activation) -> None:
    try:
        with transaction.atomic():
            TriggerHit.objects.create(scenario=scenario, key=key, activation=activation)
    except IntegrityError:
        return
    Activation.objects.filter(pk=activation.pk).update(trigger_count=activation.trigger_count + 1)
    activation.trigger_count += 1


def _repeat(scenario: Scenario, key: str, way: str) -> Activation | None:
    """Dedup: a trigger seen before, or any trigger while an activation is open, joins it (the leader is told
    the scenario is already active)."""
    if key:
        seen = TriggerHit.objects.select_related("activation").filter(scenario=scenario, key=key).first()
        if seen is not None:
            return seen.activation
    current = open_activation(scenario)
    if current is None:
        return None
    if way == ActivationWay.LEADER:
        message = _("Kịch bản đang được kích hoạt với sự cố %(ref)s / Already active") % {
            "ref": current.incident.reference
        }
        raise ValidationError({"scenario": [message]})
    if key:
        _hit(scenario, key, current)
    return current


@transaction.atomic
def scenario_activate(
    *,
    scenario: Scenario,
    actor: User,
    reason: str = "",
    alert: Alert | None = None,
    trigger_key: str = "",
    way: str = ActivationWay.LEADER,
    parent: Activation | None = None,
    chain: Sequence[str] = (),
) -> Activation:
    """R4.6: activate a scenario. `way` "leader" (the IOC leader, with a reason), "trigger" (the system account
    or the IOC, naming the trigger by `trigger_key` — `alert:<id>`, `warning:<id>` — and the alert if any) or
    "chained" (a scenario it activates). Returns the open activation when the trigger repeats (dedup)."""
    _require_activator(actor, way)
    reason = str(reason or "").strip()[:300]
    if way == ActivationWay.LEADER and not reason:
        raise ValidationError({"reason": [_("Cần nêu lý do kích hoạt / A reason is required")]})
    if scenario.code in chain:
        cycle = " → ".join([*chain, scenario.code])
        raise ValidationError({"activates": [_("Vòng kích hoạt: %(c)s / Activation cycle") % {"c": cycle}]})
    locked = Scenario.objects.select_for_update().get(pk=scenario.pk)
    if not locked.is_active:
        raise ValidationError({"scenario": [_("Kịch bản đã ngừng sử dụng / The scenario is retired")]})
    existing = _repeat(locked, trigger_key, way)
    if existing is not None:
        return existing
    agencies = _agencies(locked.definition.get("steps", []))
    incident = _open_incident(locked, actor, alert, reason or locked.name)
    if Activation.objects.filter(incident=incident).exists():  # the alert joined another scenario's incident
        return Activation.objects.get(incident=incident)
    activation = Activation.objects.create(
        scenario=locked,
        version=_current_version(locked),
        incident=incident,
        way=way,
        reason=reason or locked.name,
        parent=parent,
        activated_by=actor,
        trigger_count=1 if trigger_key else 0,
    )
    if trigger_key:
        TriggerHit.objects.create(scenario=locked, key=trigger_key, activation=activation)
    _checklist(activation, locked.definition.get("steps", []), agencies)
    audit_record(
        actor=actor,
        action="scenario.activate",
        obj=activation,
        changes={"scenario": locked.code, "version": locked.version, "incident": incident.pk, "way": way},
    )
    _start(activation, actor, way)
    activation.refresh_from_db()
    activation.incident.refresh_from_db()
    _notify(activation, agencies)
    _chained(activation, actor, [*chain, locked.code])
    return activation


def _start(activation: Activation, actor: User, way: str) -> None:
    incident = activation.incident
    if incident.state == IncidentState.AWAITING_APPROVAL and way == ActivationWay.LEADER:
        incident_services.incident_approve(incident=incident, actor=actor, note=activation.reason)
        incident.refresh_from_db()
    if incident.state in (IncidentState.VERIFIED, IncidentState.NEW) and activation.version.definition.get("steps"):
        activation_forward_steps(activation=activation, actor=actor)


def _chained(activation: Activation, actor: User, chain: list[str]) -> None:
    codes = activation.version.definition.get("activates", [])
    for child in Scenario.objects.filter(code__in=codes, is_active=True):
        if child.code in chain:
            cycle = " → ".join([*chain, child.code])
            raise ValidationError({"activates": [_("Vòng kích hoạt: %(c)s / Activation cycle") % {"c": cycle}]})
        if open_activation(child) is None:
            scenario_activate(
                scenario=child,
                actor=actor,
                reason=activation.reason,
                way=ActivationWay.CHAINED,
                parent=activation,
                chain=chain,
            )
