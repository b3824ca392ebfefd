"""Reads of the IOC's pages (R4.1–R4.5): the alert inbox, the incident list, one incident with its timeline and
agencies' parts, and the actions the user may take on it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import Http404

from ioc.accounts.choices import IOC_STAFF_ROLES, Role
from ioc.agencies.models import Agency
from ioc.assignments import selectors as assignment_selectors
from ioc.assignments.models import Assignment
from ioc.common.choices import Severity
from ioc.common.roles import actor_has_role
from ioc.incidents.choices import (
    INCIDENT_FINAL_STATES,
    INCIDENT_OPEN_STATES,
    PROCESS,
    REINFORCE_STATES,
    TRANSITIONS,
    AlertState,
    IncidentState,
    Process,
)
from ioc.incidents.models import Alert, Incident, IncidentEvent
from ioc.incidents.selectors._base import scoped_alerts, scoped_incidents

S = IncidentState
OPEN = "open"


def alert_inbox(*, user: Any) -> QuerySet[Alert]:
    """R4.1, R4.2: alerts waiting for verification; severe ones not yet acknowledged first, then by severity."""
    loud = Q(severity__gte=Severity.HIGH, acknowledged_at__isnull=True)
    return (
        scoped_alerts(user)
        .filter(state=AlertState.NEW)
        .select_related("unit")
        .defer("unit__geometry")
        .annotate(loud=Case(When(loud, then=Value(0)), default=Value(1), output_field=IntegerField()))
        .order_by("loud", "-severity", "-last_seen_at", "-pk")
    )


def alert_get_for(*, user: Any, pk: int) -> Alert:
    found = scoped_alerts(user).filter(pk=pk).first()
    if found is None:
        raise Http404("Không tìm thấy / Not found")
    return found


def alert_unacknowledged_severe(*, user: Any) -> int:
    """How many severe alerts still sound on operators' screens."""
    return alert_inbox(user=user).filter(severity__gte=Severity.HIGH, acknowledged_at__isnull=True).count()


def incident_list(
    *, user: Any, state: str | None = None, process: str | None = None, kind: str | None = None
) -> QuerySet[Incident]:
    """R4.3–R4.5: incidents the user may see, newest first; `state` "open", one IncidentState value, or None."""
    qs = scoped_incidents(user).select_related("unit").defer("unit__geometry")
    if state == OPEN:
        qs = qs.filter(state__in=INCIDENT_OPEN_STATES)
    elif state:
        qs = qs.filter(state=state)
    if process:
        qs = qs.filter(process=process)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-raised_at", "-pk")


def incident_open_choices(*, user: Any) -> QuerySet[Incident]:
    """Open incidents an alert may be merged into."""
    open_ones = scoped_incidents(user).filter(state__in=INCIDENT_OPEN_STATES)
    return open_ones.only("pk", "title", "kind").order_by("-raised_at", "-pk")


def incident_get_for(*, user: Any, pk: int) -> Incident:
    """R4.5: one incident with its timeline and alerts, or 404 outside the user's scope."""
    events = IncidentEvent.objects.select_related("actor").order_by("at", "pk")
    found = (
        scoped_incidents(user)
        .select_related("unit", "verified_by", "approved_by")
        .defer("unit__geometry")
        .prefetch_related(Prefetch("events", queryset=events), "alerts")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404("Không tìm thấy / Not found")
    return found


def incident_parts(*, incident: Incident) -> list[Assignment]:
    """R4.3: every agency's part of an incident (the incident itself was read through the user's scope)."""
    qs = Assignment.objects.select_related("agency").filter(process=PROCESS, subject_id=str(incident.pk))
    return list(qs.order_by("forwarded_at", "pk"))


def incident_event_file(*, user: Any, incident_pk: int, pk: int) -> IncidentEvent:
    """A photo of the timeline, served only to those who may see the incident."""
    found = IncidentEvent.objects.filter(pk=pk, incident__in=scoped_incidents(user).filter(pk=incident_pk)).first()
    if found is None or not found.file:
        raise Http404("Không tìm thấy / Not found")
    return found


def agencies_to_forward() -> QuerySet[Agency]:
    return Agency.objects.filter(is_active=True).order_by("name")


def forces_to_dispatch() -> QuerySet[Agency]:
    """R4.4: 24/7 forces (police 113, fire and rescue 114, ambulance 115, local forces)."""
    return Agency.objects.filter(is_active=True, works_24x7=True).order_by("kind", "name")


@dataclass(frozen=True)
class Actions:
    """What the user may do on an incident now (the page shows only these; the services check again)."""

    names: frozenset[str]

    def __contains__(self, name: object) -> bool:
        return name in self.names


def _is_party(user: Any, parts: list[Assignment]) -> bool:
    return any(assignment_selectors.user_can_act(user=user, assignment=a) for a in parts)


def _ioc_actions(user: Any, incident: Incident) -> set[str]:
    allowed = TRANSITIONS[incident.process].get(incident.state, frozenset())
    names: set[str] = set()
    if incident.state == S.AWAITING_APPROVAL and actor_has_role(user, [Role.IOC_LEADER]):
        names.add("approve")
    if incident.process == Process.TIME_BOUND:
        names |= {"forward"} if S.FORWARDED in allowed else set()
        names |= {"confirm"} if S.CONFIRMED in allowed else set()
    elif S.DISPATCHED in allowed or incident.state in REINFORCE_STATES:
        names.add("dispatch")
    names |= {"close"} if S.CLOSED in allowed else set()
    names |= {"cancel"} if S.CANCELLED in allowed else set()
    return names


def _step_actions(incident: Incident) -> set[str]:
    if incident.process != Process.IMMEDIATE:
        return set()
    allowed = TRANSITIONS[incident.process].get(incident.state, frozenset())
    steps = {S.EN_ROUTE: "en_route", S.ON_SCENE: "on_scene", S.CLEARED: "clear"}
    return {name for target, name in steps.items() if target in allowed}


def incident_actions(*, user: Any, incident: Incident, parts: list[Assignment]) -> Actions:
    """R4.3, R4.4: the IOC's actions by state and role; an agency holding a part records its forces' steps
    and notes; nobody acts on a closed or cancelled incident."""
    if incident.state in INCIDENT_FINAL_STATES:
        return Actions(frozenset())
    names: set[str] = set()
    is_ioc = actor_has_role(user, IOC_STAFF_ROLES)
    if is_ioc:
        names |= _ioc_actions(user, incident)
    if is_ioc or _is_party(user, parts):
        names |= _step_actions(incident) | {"note"}
    return Actions(frozenset(names))
