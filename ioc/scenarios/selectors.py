"""Reads of scenarios, activations (the command view, R4.4), the dry run (R4.6) and public warnings (R5.2, R5.5).
Staff reads apply the user's scope: the whole territory sees every activation; an agency sees those it holds a
part of. Public reads give published warnings only."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import shapely
from django.db.models import Case, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ioc.accounts.selectors import user_scope
from ioc.common.choices import Severity
from ioc.geo.choices import Hierarchy
from ioc.geo.models import AdminUnit
from ioc.geo.selectors import BBox, GeoInputError, area_from_geojson
from ioc.incidents.choices import INCIDENT_OPEN_STATES
from ioc.incidents.models import Alert, Incident, IncidentEvent
from ioc.indicators.models import IndicatorWarning
from ioc.scenarios.choices import DRY_RUN_DAYS, MessageType, WarningState
from ioc.scenarios.definition import area_of
from ioc.scenarios.matching import AlertFacts, Watched, alert_trigger, indicator_trigger, watches_indicators
from ioc.scenarios.models import Activation, ChecklistItem, Decision, PublicWarning, Resource, Scenario

FEED_SIZE = 50


# --- Scenarios --------------------------------------------------------------------------------------------------


def scenario_list(*, include_retired: bool = True) -> QuerySet[Scenario]:
    """R4.6: scenarios by group and name (reference data every IOC role reads)."""
    qs = Scenario.objects.all()
    return qs if include_retired else qs.filter(is_active=True)


def scenario_get(*, pk: int) -> Scenario | None:
    return Scenario.objects.filter(pk=pk).first()


def scenario_graph() -> dict[str, list[str]]:
    return {s.code: list(s.definition.get("activates", [])) for s in Scenario.objects.filter(is_active=True)}


# --- Dry run ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Firing:
    """One moment the scenario would have fired: when, on what."""

    at: dt.datetime
    text: str


def dry_run(*, definition: Mapping[str, Any], now: dt.datetime | None = None) -> list[Firing]:
    """R4.6: against the last 30 days, when the scenario would have fired ("would have fired on …"): every alert
    and indicator warning meeting a trigger, a repeat while an earlier firing's alert stayed open counted once."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=DRY_RUN_DAYS)
    watched = Watched(definition)
    found: list[Firing] = []
    alerts = Alert.objects.filter(first_seen_at__gte=since, first_seen_at__lte=now).order_by("first_seen_at")
    fields = ("kind", "severity", "lat", "lon", "unit_id", "payload", "first_seen_at", "title")
    for kind, severity, lat, lon, unit_id, payload, at, title in alerts.values_list(*fields):
        reason = alert_trigger(definition, AlertFacts(kind, severity, lat, lon, unit_id, payload or {}), watched)
        if reason:
            found.append(Firing(at, f"{reason}: {title}"))
    codes = watches_indicators(definition)
    if codes:
        warnings = IndicatorWarning.objects.filter(created_at__gte=since, indicator__code__in=codes)
        for code, period, at in warnings.values_list("indicator__code", "period", "created_at"):
            found.append(Firing(at, f"{indicator_trigger(definition, code)} ({period})"))
    return sorted(found, key=lambda f: f.at)


# --- Activations and the command view ---------------------------------------------------------------------------


def activation_list(*, user: Any, open_only: bool = False) -> QuerySet[Activation]:
    """R4.4: activations the user may see, newest first."""
    scope = user_scope(user=user)
    qs = Activation.objects.select_related("scenario", "version", "incident", "incident__unit")
    if not scope.everything:
        held = ChecklistItem.objects.filter(assignment__agency_id__in=scope.agency_ids).values("activation_id")
        qs = qs.filter(pk__in=held)
    if open_only:
        qs = qs.filter(incident__state__in=INCIDENT_OPEN_STATES)
    return qs.order_by("-activated_at")


def activation_get(*, user: Any, pk: int) -> Activation | None:
    return activation_list(user=user).filter(pk=pk).first()


def activation_for_incident(*, incident: Incident) -> Activation | None:
    return Activation.objects.select_related("scenario", "version").filter(incident=incident).first()


@dataclass
class AgencyProgress:
    """One agency's checklist in the command view: its items, how many are done."""

    agency: Any
    items: list[ChecklistItem] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(1 for item in self.items if item.done_at is not None)

    @property
    def percent(self) -> int:
        return round(100 * self.done / len(self.items)) if self.items else 0


@dataclass
class CommandView:
    """R4.4: everything the command view shows of an activation."""

    activation: Activation
    incident: Incident
    area: dict[str, Any] | None
    point: tuple[float, float] | None
    progress: list[AgencyProgress]
    resources: list[Resource]
    timeline: list[IncidentEvent]
    decisions: list[Decision]
    assignments: dict[int, Any]  # step → its assignment (R4.6: one per step)

    @property
    def map_data(self) -> dict[str, Any]:
        return {"area": self.area, "point": list(self.point) if self.point else None}


def _area_geojson(activation: Activation, incident: Incident) -> dict[str, Any] | None:
    area = area_of(activation.version.definition.get("area"))
    if area is None and incident.unit_id and incident.unit is not None and incident.unit.geometry:
        return dict(shapely.geometry.mapping(shapely.from_geojson(incident.unit.geometry).simplify(0.0005)))
    return dict(shapely.geometry.mapping(area.geometry.simplify(0.0005))) if area is not None else None


def command_view(*, activation: Activation) -> CommandView:
    """R4.4: the incident on the map with its area, resources as records, each agency's checklist progress, the
    timeline, notes and decisions (a handful of queries whatever the size)."""
    incident = Incident.objects.select_related("unit").get(pk=activation.incident_id)
    grouped: dict[int, AgencyProgress] = {}
    items = ChecklistItem.objects.filter(activation=activation).select_related("agency", "assignment", "done_by")
    assignments: dict[int, Any] = {}
    for item in items:
        grouped.setdefault(item.agency_id, AgencyProgress(agency=item.agency)).items.append(item)
        if item.assignment is not None:
            assignments[item.step] = item.assignment
    point = (incident.lat, incident.lon) if incident.lat is not None and incident.lon is not None else None
    return CommandView(
        activation=activation,
        incident=incident,
        area=_area_geojson(activation, incident),
        point=point,
        progress=list(grouped.values()),
        resources=list(Resource.objects.filter(activation=activation).select_related("agency")),
        timeline=list(IncidentEvent.objects.filter(incident=incident).select_related("actor").order_by("-at", "-pk")),
        decisions=list(Decision.objects.filter(activation=activation).select_related("by")),
        assignments=assignments,
    )


def checklist_item_get(*, user: Any, pk: int) -> ChecklistItem | None:
    item = ChecklistItem.objects.select_related("activation", "assignment").filter(pk=pk).first()
    if item is None or activation_get(user=user, pk=item.activation_id) is None:
        return None
    return item


def resource_get(*, user: Any, pk: int) -> Resource | None:
    resource = Resource.objects.select_related("activation").filter(pk=pk).first()
    if resource is None or activation_get(user=user, pk=resource.activation_id) is None:
        return None
    return resource


# --- Public warnings --------------------------------------------------------------------------------------------


def warnings_live(*, now: dt.datetime | None = None) -> QuerySet[PublicWarning]:
    """R5.2: the warnings in force for the public: published alerts and updates, not expired, newest first."""
    now = now or timezone.now()
    qs = PublicWarning.objects.filter(state=WarningState.PUBLISHED, expires__gt=now)
    return qs.exclude(msg_type=MessageType.CANCEL).order_by("-sent_at", "-pk")


def _warning_points(warning: PublicWarning) -> list[tuple[str, float, float]]:
    """(feature id, lat, lon): a point inside the warning's polygon, else the centre of each of its communes."""
    if warning.area_geojson:
        try:
            point = area_from_geojson(warning.area_geojson).geometry.representative_point()
        except GeoInputError:  # checked when published; an area unreadable since is left off the map, not a 500
            return []
        return [(warning.identifier, float(point.y), float(point.x))]
    units = AdminUnit.objects.filter(hierarchy=Hierarchy.CURRENT, code__in=warning.unit_codes or [])
    rows = units.exclude(lat=None).exclude(lon=None).order_by("code").values_list("code", "lat", "lon")
    return [(f"{warning.identifier}:{code}", float(lat), float(lon)) for code, lat, lon in rows if lat and lon]


def warnings_features(*, user: Any, bbox: BBox, zoom: int | None = None, limit: int = 1000) -> list[dict[str, Any]]:
    """R5.2, R6.1 (map hook): the public warnings in force as points in `bbox`, most recent first, with what the
    public page shows (headline in the reader's language, severity, area, expiry, link); `user` is ignored: every
    field is public."""
    english = get_language() == "en"
    features: list[dict[str, Any]] = []
    for warning in warnings_live():
        headline = (english and warning.headline_en) or warning.headline_vi
        expires = _("hiệu lực đến %(time)s") % {"time": timezone.localtime(warning.expires).strftime("%H:%M %d/%m/%Y")}
        url = reverse("public_warnings:detail", kwargs={"identifier": warning.identifier})
        for fid, lat, lon in _warning_points(warning):
            if not (bbox.min_lat <= lat <= bbox.max_lat and bbox.min_lon <= lon <= bbox.max_lon):
                continue
            severity_label = str(Severity(warning.severity).label)
            features.append(
                {
                    "id": fid,
                    "lat": lat,
                    "lon": lon,
                    "title": headline,
                    "severity": warning.severity,
                    "severity_label": severity_label,
                    "area_desc": warning.area_desc,
                    "expires_label": expires,
                    "url": url,
                }
            )
    return features[: max(0, int(limit))]


def warnings_sent(*, start: dt.datetime, end: dt.datetime, scenario_code: str = "") -> QuerySet[PublicWarning]:
    """R5.2, R8.1: the messages sent to the public in [start, end) (alerts, updates, cancellations); with
    `scenario_code` (issue 17: a thematic briefing on one scenario) those about an incident the scenario ran for."""
    qs = PublicWarning.objects.filter(sent_at__gte=start, sent_at__lt=end)
    if scenario_code:
        qs = qs.filter(incident__scenario_activation__scenario__code=scenario_code)
    return qs.order_by("sent_at", "pk")


def warnings_feed(*, limit: int = FEED_SIZE) -> list[PublicWarning]:
    """R5.5: the latest sent messages (alerts, updates, cancellations) for the Atom index."""
    return list(PublicWarning.objects.filter(sent_at__isnull=False).order_by("-sent_at", "-pk")[:limit])


def warning_public_get(*, identifier: str) -> PublicWarning | None:
    """R5.5: a sent message by its CAP identifier (never one awaiting approval or rejected)."""
    qs = PublicWarning.objects.select_related("references", "references__references")
    return qs.filter(identifier=identifier, sent_at__isnull=False).first()


def warning_staff_list(*, state: str = "") -> QuerySet[PublicWarning]:
    """R5.2: every warning for the IOC, awaiting approval first."""
    qs = PublicWarning.objects.select_related("created_by", "approved_by", "references")
    if state:
        qs = qs.filter(state=state)
    waiting_first = Case(When(state=WarningState.AWAITING_APPROVAL, then=Value(0)), default=Value(1))
    return qs.order_by(waiting_first, "-created_at", "-pk")


def warning_get(*, pk: int) -> PublicWarning | None:
    return PublicWarning.objects.select_related("references", "incident").filter(pk=pk).first()


def warnings_by_severity() -> dict[int, int]:
    counts: dict[int, int] = defaultdict(int)
    for severity in warnings_live().values_list("severity", flat=True):
        counts[severity] += 1
    return dict(counts)
