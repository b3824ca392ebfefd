"""Every read of sensor data (R5.5, R6.1), through the viewer's visibility.

Visibility: a Thing's sensitivity is `properties.sensitivity` when given, else its owner agency's
`default_sensitivity`, else public. Anonymous callers see public Things; signed-in accounts (sessions and
tokens) also see internal ones; restricted Things are seen by the owner agency's accounts only. Datastreams,
Observations and HistoricalLocations follow their Thing; a Location is seen with any Thing it is linked to (or,
linked to none, by its owner's default); a FeatureOfInterest with any Observation seen (or by its owner's
default). Sensors and ObservedProperties are a shared catalogue (kinds of instruments and phenomena), seen by all.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections import defaultdict
from dataclasses import dataclass
from functools import reduce
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Avg, Count, Exists, Max, Min, OuterRef, Q, QuerySet, Sum, Value
from django.utils.translation import gettext as _

from ioc.agencies.selectors import information_system_of
from ioc.geo.selectors import Area, BBox, point_counts_in_area
from ioc.sensors.broker import Login, password_hash, stream_topics
from ioc.sensors.choices import RULE_OPEN_STATES
from ioc.sensors.models import (
    AlertRule,
    BrokerCredential,
    Camera,
    Datastream,
    FeatureOfInterest,
    HistoricalLocation,
    Location,
    Observation,
    ObservedProperty,
    RuleState,
    Sensor,
    Silence,
    Thing,
)
from ioc.sensors.periods import period_bounds
from ioc.sensors.rules_catalogue import PROPERTIES, band_of, bands_for, normal_upper, property_of
from ioc.sensors.rules_index import replay, rule_index, spec_of

FEATURES_MAX = 5000
OPEN = ("", "public")


@dataclass(frozen=True)
class Viewer:
    """Who reads: anonymous (`signed_in` False), or an account with its agency (None for IOC-wide accounts)."""

    signed_in: bool = False
    agency_id: int | None = None


ANONYMOUS = Viewer()


def viewer_for(user: Any) -> Viewer:
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return ANONYMOUS
    return Viewer(True, writer_agency_id(user))


def writer_agency_id(user: Any) -> int | None:
    """The agency a token or account acts for: its information system's, else its own."""
    system = information_system_of(user_id=user.pk)
    return system.agency_id if system is not None else getattr(user, "agency_id", None)


def _agency_open(viewer: Viewer, prefix: str) -> Q:
    """Records of an agency whose default sensitivity the viewer may see (blank counts as public)."""
    allowed = OPEN if not viewer.signed_in else (*OPEN, "internal")
    q = Q(**{f"{prefix}agency__default_sensitivity__in": allowed})
    return q | Q(**{f"{prefix}agency_id": viewer.agency_id}) if viewer.agency_id else q


def thing_visible_q(viewer: Viewer, prefix: str = "") -> Q:
    levels = ["public"] if not viewer.signed_in else ["public", "internal"]
    q = Q(**{f"{prefix}sensitivity__in": levels}) | Q(**{f"{prefix}sensitivity": ""}) & _agency_open(viewer, prefix)
    return q | Q(**{f"{prefix}agency_id": viewer.agency_id}) if viewer.agency_id else q


def _location_q(viewer: Viewer) -> Q:
    seen = Thing.objects.filter(thing_visible_q(viewer), locations=OuterRef("pk"))
    unlinked = ~Exists(Thing.locations.through.objects.filter(location_id=OuterRef("pk")))
    return Q(Exists(seen)) | unlinked & _agency_open(viewer, "")


def _feature_q(viewer: Viewer) -> Q:
    seen = Observation.objects.filter(
        thing_visible_q(viewer, "datastream__thing__"), feature_of_interest=OuterRef("pk")
    )
    return Q(Exists(seen)) | _agency_open(viewer, "")


def visible(model: type[Any], viewer: Viewer) -> QuerySet[Any]:
    """R5.5: the rows of one entity model the viewer may see."""
    if model is Thing:
        return Thing.objects.filter(thing_visible_q(viewer))
    if model is Datastream:
        return Datastream.objects.filter(thing_visible_q(viewer, "thing__"))
    if model is Observation:
        return Observation.objects.filter(thing_visible_q(viewer, "datastream__thing__"))
    if model is HistoricalLocation:
        return HistoricalLocation.objects.filter(thing_visible_q(viewer, "thing__"))
    if model is Location:
        return Location.objects.filter(_location_q(viewer))
    if model is FeatureOfInterest:
        return FeatureOfInterest.objects.filter(_feature_q(viewer))
    if model in (Sensor, ObservedProperty):
        return model.objects.all()  # type: ignore[no-any-return]
    raise LookupError(model)


# Entity models whose rows are seen exactly when a row of the other is (docs of `visible`): an Observation with its
# Datastream, a Datastream or HistoricalLocation with its Thing, and back.
_SEEN_WITH = frozenset(
    {
        (Observation, Datastream),
        (Datastream, Observation),
        (Datastream, Thing),
        (Thing, Datastream),
        (HistoricalLocation, Thing),
        (Thing, HistoricalLocation),
    }
)


def visible_under(model: type[Any], viewer: Viewer, *, parent: type[Any]) -> QuerySet[Any]:
    """R5.5: the rows of `model` the viewer may see among those related to rows of `parent` the viewer already
    sees (a navigation path or `$expand` from a visible entity). Where visibility is the parent's own (`_SEEN_WITH`)
    the check is already made: no join to the Things per child row (issue 11 "GET p95": 100 newest readings of
    100 Datastreams each an index range scan, not a join). The caller must filter by the visible parents."""
    if (model, parent) in _SEEN_WITH:
        return model.objects.all()  # type: ignore[no-any-return]
    return visible(model, viewer)


def owner_agency_id(obj: Any) -> int:
    """The agency that may change a row (R5.5: writes need `sta.write` for a Thing of the token's agency)."""
    if isinstance(obj, Datastream | HistoricalLocation):
        return int(obj.thing.agency_id)
    if isinstance(obj, Observation):
        return int(obj.datastream.thing.agency_id)
    return int(obj.agency_id)


# --- latest state and figures ----------------------------------------------------------------------------------


def datastream_latest(*, datastream: Datastream) -> dict[str, Any]:
    """R5.5: the latest value and time kept on the Datastream (no scan of its history)."""
    return {
        "result": datastream.latest_result,
        "value": datastream.latest_value,
        "time": datastream.latest_time,
        "unit": (datastream.unit_of_measurement or {}).get("symbol"),
    }


def datastream_aggregate(*, datastream: Datastream, period: str) -> dict[str, Any]:
    """R5.5 (real-time indicators): count, min, max, mean and sum of the numeric results in a DHIS2 period
    (`2025`, `2025Q3`, `202507`, `2025W28`, `20250714`; Asia/Ho_Chi_Minh). ValueError for a bad period."""
    start, end = period_bounds(period)
    rows = Observation.objects.filter(datastream=datastream, phenomenon_time__gte=start, phenomenon_time__lt=end)
    figures = rows.aggregate(
        count=Count("result_number"),
        min=Min("result_number"),
        max=Max("result_number"),
        mean=Avg("result_number"),
        sum=Sum("result_number"),
    )
    return {"period": period, "start": start, "end": end, **figures}


def datastreams_by_ids(*, ids: list[int]) -> list[Datastream]:
    """R4.1: the Datastreams a rule names (every one must exist: an unknown id is a field error)."""
    found = list(Datastream.objects.filter(pk__in=ids).select_related("observed_property").order_by("pk"))
    missing = sorted(set(ids) - {s.pk for s in found})
    if missing:
        raise ValidationError({"datastreams": [_("Không có chuỗi số liệu: %(ids)s") % {"ids": missing}]})
    return found


def datastream_list_for_thing(*, thing: Thing) -> QuerySet[Datastream]:
    return thing.datastreams.select_related("observed_property").order_by("pk")


# --- map hooks -------------------------------------------------------------------------------------------------


def _mapped_locations(user: Any) -> QuerySet[Location]:
    viewer = viewer_for(user)
    return Location.objects.filter(
        Exists(Thing.objects.filter(thing_visible_q(viewer), locations=OuterRef("pk"))), lat__isnull=False
    )


def sensors_counts_in_area(*, user: Any, area: Area) -> dict[str, Any]:
    """DESIGN "Map hooks": stations (Locations of visible Things) in `area`: total, and by kind
    (`properties.kind` of their Things), and the visible cameras (R5.2: their own layer, `cameras`). A GROUP BY
    over grid cells; exact tests only in border cells."""
    by_kind: dict[str, int] = defaultdict(int)
    for kind, n in point_counts_in_area(_mapped_locations(user), area, key="things__properties__kind").items():
        by_kind[str(kind or "")] += n
    cameras = point_counts_in_area(cameras_visible(user=user), area, key="status")
    return {"total": sum(by_kind.values()), "by_kind": dict(by_kind), "cameras": sum(cameras.values())}


def _bbox(value: Any) -> BBox:
    if isinstance(value, BBox):
        return value
    min_lat, min_lon, max_lat, max_lon = (float(v) for v in value)
    return BBox(min_lat, min_lon, max_lat, max_lon)


# Issue 20: while readings arrive, the wall screen redraws the stations' band colours at most this often.
SENSORS_REDRAW_SECONDS = 60


def sensors_map_version() -> str:
    """DESIGN "Map hooks", issue 20: changes when a station is added or moved (MAX(id) of Things, Locations and
    HistoricalLocations: one index step each) and, while readings arrive, once every SENSORS_REDRAW_SECONDS (the
    newest reading's time in buckets: a band colour follows its latest value, and comparing every Datastream's
    band on each poll would cost more than the redraw). Global, never scoped."""
    newest = [model.objects.aggregate(n=Max("pk"))["n"] or 0 for model in (Thing, Location, HistoricalLocation)]
    latest = Datastream.objects.aggregate(t=Max("latest_time"))["t"]
    bucket = int(latest.timestamp() // SENSORS_REDRAW_SECONDS) if latest is not None else 0
    return ":".join(str(n) for n in (*newest, bucket))


def sensors_features(*, user: Any, bbox: Any, zoom: int | None = None, limit: int = 1000) -> list[dict[str, Any]]:
    """DESIGN "Map hooks": visible stations in `bbox` (min_lat, min_lon, max_lat, max_lon) with each Datastream's
    latest value and time (kept current on write) and the band that value falls into (label, colour, text:
    `rules_catalogue`; None when the property has no bands), at most `limit` (≤ 5000)."""
    box = _bbox(bbox)
    viewer = viewer_for(user)
    things = list(
        Thing.objects.filter(
            thing_visible_q(viewer),
            locations__lat__gte=box.min_lat,
            locations__lat__lte=box.max_lat,
            locations__lon__gte=box.min_lon,
            locations__lon__lte=box.max_lon,
        )
        .values_list("pk", "name", "properties__kind", "locations__lat", "locations__lon")
        .order_by("pk")[: max(0, min(int(limit), FEATURES_MAX))]
    )
    streams: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in Datastream.objects.filter(thing_id__in=[t[0] for t in things]).values(
        "pk",
        "thing_id",
        "name",
        "observed_property__name",
        "observed_property__definition",
        "properties",
        "unit_of_measurement",
        "latest_value",
        "latest_time",
    ):
        prop = property_of(definition=row["observed_property__definition"], name=row["observed_property__name"])
        streams[row["thing_id"]].append(
            {
                "id": row["pk"],
                "name": row["name"],
                "observed_property": row["observed_property__name"],
                "unit": (row["unit_of_measurement"] or {}).get("symbol"),
                "value": row["latest_value"],
                "time": row["latest_time"].isoformat() if row["latest_time"] else None,
                "property": prop,
                "band": band_of(row["latest_value"], bands_for(prop, row["properties"])),
            }
        )
    return [
        {"id": pk, "name": name, "kind": kind or "", "lat": lat, "lon": lon, "datastreams": streams.get(pk, [])}
        for pk, name, kind, lat, lon in things
    ]


# --- cameras (R5.2) --------------------------------------------------------------------------------------------


def cameras_visible(*, user: Any) -> QuerySet[Camera]:
    """R5.2: cameras the user may see: public ones to anyone, internal ones to signed-in accounts, restricted
    ones to the owner agency's accounts; retired cameras are not shown."""
    viewer = viewer_for(user)
    levels = ["public"] if not viewer.signed_in else ["public", "internal"]
    q = Q(sensitivity__in=levels)
    if viewer.agency_id:
        q |= Q(agency_id=viewer.agency_id)
    return Camera.objects.filter(q).exclude(status="retired")


CAMERA_FEATURE_FIELDS = (
    *("pk", "code", "name", "lat", "lon", "direction", "status"),
    *("last_seen_at", "silent_since", "stream_url", "snapshot_url"),
)


def cameras_features(*, user: Any, bbox: Any, zoom: int | None = None, limit: int = 1000) -> list[dict[str, Any]]:
    """DESIGN "Map hooks" (R5.2): the camera layer: visible cameras in `bbox` with direction, status, last seen
    and whether they are silent; stream and snapshot URLs only to signed-in accounts (issue 20: the popup's links)."""
    box = _bbox(bbox)
    viewer = viewer_for(user)
    rows = (
        cameras_visible(user=user)
        .filter(lat__gte=box.min_lat, lat__lte=box.max_lat, lon__gte=box.min_lon, lon__lte=box.max_lon)
        .order_by("pk")
        .values(*CAMERA_FEATURE_FIELDS)
    )
    return [
        {
            "id": r["pk"],
            "code": r["code"],
            "name": r["name"],
            "lat": r["lat"],
            "lon": r["lon"],
            "direction": r["direction"],
            "status": r["status"],
            "last_seen": r["last_seen_at"].isoformat() if r["last_seen_at"] else None,
            "silent": r["silent_since"] is not None,
            "stream_url": r["stream_url"] if viewer.signed_in else None,
            "snapshot_url": r["snapshot_url"] if viewer.signed_in else None,
        }
        for r in rows[: max(0, min(int(limit), FEATURES_MAX))]
    ]


# --- alert rules, silences, latest states (R4.1, R5.5) --------------------------------------------------------


def rule_list() -> QuerySet[AlertRule]:
    """R4.1: every rule (active first) with how many of its states are open."""
    opened = Count("states", filter=Q(states__state__in=RULE_OPEN_STATES))
    return AlertRule.objects.annotate(open_states=opened).order_by("-is_active", "observed_property", "code")


def rule_get(*, pk: int) -> AlertRule | None:
    return AlertRule.objects.select_related("unit").filter(pk=pk).first()


PREVIEW_DAYS = 7


def rule_preview(*, rule: AlertRule, now: dt.datetime, days: int = PREVIEW_DAYS) -> list[dict[str, Any]]:
    """R4.1: what the rule would have fired over the last `days` days (per source: fired at, cleared at), replayed
    on the stored observations of the Datastreams it watches; newest first, at most 200."""
    spec = spec_of(rule)
    streams = rule_index().by_stream if rule.is_active else {}
    sources = [sid for sid, rules in streams.items() if rule.pk in rules]
    readings: dict[int, list[tuple[dt.datetime, float]]] = defaultdict(list)
    since = now - dt.timedelta(days=days)
    for sid, at, value in Observation.objects.filter(
        datastream_id__in=sources, phenomenon_time__gte=since, result_number__isnull=False
    ).values_list("datastream_id", "phenomenon_time", "result_number"):
        readings[sid].append((at, float(value or 0)))
    names = dict(Datastream.objects.filter(pk__in=sources).values_list("pk", "name"))
    rows: list[dict[str, Any]] = [
        {"datastream": names.get(sid, sid), "fired_at": fired, "resolved_at": cleared}
        for sid, samples in readings.items()
        for fired, cleared in replay(spec, samples)
    ]
    return sorted(rows, key=lambda r: r["fired_at"], reverse=True)[:200]


def silence_list(*, now: dt.datetime) -> dict[str, list[Silence]]:
    """R4.1: silences and maintenance windows: current and planned, then the last 50 ended."""
    current = list(Silence.objects.filter(ends_at__gt=now).select_related("author").order_by("starts_at"))
    ended = list(Silence.objects.filter(ends_at__lte=now).select_related("author").order_by("-ends_at")[:50])
    return {"current": current, "ended": ended}


def silence_get(*, pk: int) -> Silence | None:
    return Silence.objects.filter(pk=pk).first()


def datastream_states(*, user: Any, limit: int = 500) -> list[dict[str, Any]]:
    """R5.5: the latest state of each visible Datastream with its band, and its open rule states."""
    streams = (
        visible(Datastream, viewer_for(user)).select_related("thing", "observed_property").order_by("thing__name", "pk")
    )
    rows = list(streams[:limit])
    firing: dict[int, list[str]] = defaultdict(list)
    for sid, name, state in RuleState.objects.filter(datastream__in=rows, state__in=RULE_OPEN_STATES).values_list(
        "datastream_id", "rule__name", "state"
    ):
        firing[sid].append(f"{name} ({state})")
    result = []
    for stream in rows:
        prop = property_of(definition=stream.observed_property.definition, name=stream.observed_property.name)
        result.append(
            {
                "stream": stream,
                "unit": (stream.unit_of_measurement or {}).get("symbol", ""),
                "band": band_of(stream.latest_value, bands_for(prop, stream.properties)),
                "rules": firing.get(stream.pk, []),
            }
        )
    return result


def camera_list(*, user: Any) -> QuerySet[Camera]:
    """R5.2: the camera registry as the user may see it."""
    return cameras_visible(user=user).select_related("agency", "unit").order_by("code")


def broker_logins(*, bridge_username: str, bridge_password: str) -> list[Login]:
    """R5.5: the broker's logins for `mqtt_sync_acl`: the bridge (every Observations topic, read and write), then
    each active information system with a credential, limited to the topics of its agency's Datastreams."""
    logins: list[Login] = []
    if bridge_username:
        everything = (("readwrite", "v1.1/+/Observations"),)
        logins.append(Login(bridge_username, password_hash(bridge_password), everything))
    credentials = BrokerCredential.objects.select_related("system").filter(system__is_active=True)
    by_agency: dict[int, list[tuple[str, str]]] = defaultdict(list)
    streams = Datastream.objects.filter(thing__agency__in=[c.system.agency_id for c in credentials])
    for stream_id, ext_id, agency_id in streams.order_by("pk").values_list("pk", "ext_id", "thing__agency_id"):
        by_agency[agency_id] += [("readwrite", topic) for topic in stream_topics(stream_id, ext_id)]
    for credential in credentials.order_by("system__code"):
        system = credential.system
        logins.append(Login(system.code, credential.password_hash, tuple(by_agency.get(system.agency_id, []))))
    return logins


# --- the reports' sensors section (R8.1, R5.5, R4.1) -----------------------------------------------------------

STALE_ROWS_MAX = 15


@dataclass(frozen=True)
class PropertyFigures:
    """One observed property's period in a report: its Datastreams, their readings, the readings out of the
    property's normal band (`rules_catalogue.normal_upper`), the rule firings and those handed to the alert inbox."""

    label: str
    datastreams: int = 0
    readings: int = 0
    out_of_band: int = 0
    firings: int = 0
    alerts: int = 0


@dataclass(frozen=True)
class StaleStream:
    """A Datastream without a reading in the period: its name, its Thing's, its latest reading (None: never)."""

    name: str
    thing: str
    latest_time: dt.datetime | None


@dataclass(frozen=True)
class SensorsPeriod:
    """R8.1: the sensors' part of a report for a period and scope: per property, the totals, the stale streams."""

    by_property: list[PropertyFigures]
    totals: PropertyFigures
    stale: list[StaleStream]


def report_streams(*, user: Any, agency_id: int | None = None, unit_id: int | None = None) -> QuerySet[Datastream]:
    """R8.1: the Datastreams a report covers: those the user sees, of one owner agency's Things, or of Things
    located in one commune (a Location's 2025 commune)."""
    streams = visible(Datastream, viewer_for(user))
    if agency_id is not None:
        streams = streams.filter(thing__agency_id=agency_id)
    if unit_id is not None:
        streams = streams.filter(thing__in=Thing.objects.filter(locations__unit_id=unit_id).values("pk"))
    return streams


def sensors_period_figures(
    *, user: Any, start: dt.datetime, end: dt.datetime, agency_id: int | None = None, unit_id: int | None = None
) -> SensorsPeriod:
    """R8.1, R5.5, R4.1: readings in [start, end) per observed property, those out of the normal band, the alert
    rules' firings in the period (and those handed to the alert inbox: not silenced), and the Datastreams that
    sent nothing in the period although they existed (begun before its end, or never begun). Three queries."""
    streams = report_streams(user=user, agency_id=agency_id, unit_id=unit_id)
    meta = [
        _StreamMeta(*row, prop=property_of(definition=row[4], name=row[3]))
        for row in streams.order_by("thing__name", "pk").values_list(
            "pk",
            "name",
            "thing__name",
            "observed_property__name",
            "observed_property__definition",
            "properties",
            "latest_time",
            "phenomenon_start",
        )
    ]
    period = {"phenomenon_time__gte": start, "phenomenon_time__lt": end}
    readings = (
        Observation.objects.filter(datastream__in=streams.values("pk"), **period).order_by().values("datastream_id")
    )
    out = _out_of_band_q(meta)
    out_count = Count("pk", filter=out) if out is not None else Value(0)
    counted = {
        pk: (n, n_out)
        for pk, n, n_out in readings.annotate(n=Count("pk"), out=out_count).values_list("datastream_id", "n", "out")
    }
    fired = (
        RuleState.objects.filter(datastream__in=streams.values("pk"), fired_at__gte=start, fired_at__lt=end)
        .order_by()
        .values("datastream_id")
        .annotate(n=Count("pk"), alerts=Count("pk", filter=Q(alert_raised=True)))
    )
    firings = {row["datastream_id"]: (row["n"], row["alerts"]) for row in fired}
    rows: dict[str, list[int]] = {}
    stale: list[StaleStream] = []
    for stream in meta:
        label = str(PROPERTIES[stream.prop].label) if stream.prop else stream.prop_name
        n, n_out = counted.get(stream.pk, (0, 0))
        row = rows.setdefault(label, [0, 0, 0, 0, 0])
        for i, value in enumerate((1, n, n_out, *firings.get(stream.pk, (0, 0)))):
            row[i] += value
        if n == 0 and (stream.begun is None or stream.begun < end):
            stale.append(StaleStream(name=stream.name, thing=stream.thing, latest_time=stream.latest_time))
    by_property = [PropertyFigures(label, *values) for label, values in sorted(rows.items())]
    totals = PropertyFigures("", *(sum(r[i] for r in rows.values()) for i in range(5)))
    return SensorsPeriod(by_property=by_property, totals=totals, stale=stale)


@dataclass(frozen=True)
class _StreamMeta:
    pk: int
    name: str
    thing: str
    prop_name: str
    definition: str
    properties: Any
    latest_time: dt.datetime | None
    begun: dt.datetime | None
    prop: str | None


def _out_of_band_q(meta: list[_StreamMeta]) -> Q | None:
    """One condition per distinct normal upper bound: the readings of those streams at or above it."""
    by_upper: dict[float, list[int]] = defaultdict(list)
    for stream in meta:
        upper = normal_upper(stream.prop, stream.properties)
        if upper is not None:
            by_upper[upper].append(stream.pk)
    parts = [Q(datastream_id__in=ids, result_number__gte=upper) for upper, ids in sorted(by_upper.items())]
    return reduce(operator.or_, parts) if parts else None
