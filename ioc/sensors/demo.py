"""Sensors' demo generator (R5.5, R11): air-quality, water-level, rain and weather stations in the profile's
communes, with months of readings at 15-minute resolution, listed in `ioc/demo/registry.py`.

- Stations, Locations, Datastreams, Sensors and ObservedProperties are created through `entity_create` (the
  SensorThings deep insert), owned by the agency of the information system holding a `sta.write` token (so the
  printed demo token can write to them), or the first active department. A police agency, when the profile
  has one, owns a traffic-noise station: internal by its agency's default.
- Readings older than 14 days are loaded with `observations_load_history` (bulk, one audit entry per
  Datastream); the last 14 days go through `observations_create` (the `CreateObservations` service).
- The weather is shared by all stations (one regional rain series, scaled and jittered per gauge): rainy season
  May–October, a three-day storm 25 days before `until` that floods the rivers, diurnal cycles of temperature,
  humidity and fine dust (rush hours), dust washed out by rain; two sensors go silent a few days before `until`.
- Idempotent: a `sensors.demo_load` audit entry for the profile marks a finished load.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from django.db import transaction

from ioc.accounts import selectors as account_selectors
from ioc.accounts.models import ApiToken
from ioc.agencies.models import Agency, InformationSystem
from ioc.audit.models import AuditEntry
from ioc.audit.services import audit_record
from ioc.geo import selectors as geo_selectors
from ioc.sensors.choices import CAMERA_EVENT_TYPES, OM
from ioc.sensors.drafts import parse_draft
from ioc.sensors.models import Datastream, RuleState, Thing
from ioc.sensors.selectors import viewer_for
from ioc.sensors.services import (
    ObservationRow,
    camera_create,
    camera_event_receive,
    cameras_flag_silent,
    entity_create,
    feature_for,
    observations_create,
    observations_load_history,
    rules_install_standard,
    rules_sweep,
)

HISTORY_DAYS = 180
# Flood alarm levels I–III (m) of the demo's gauges (R4.1: `properties.alarm_levels`, one rule per level).
ALARM_LEVELS = (3.0, 3.4, 3.8)
CAMERAS = 6
RECENT_DAYS = 14
LIVE_DAYS = 2  # the alert rules judge the last two days' readings (a few firing rules, not a flood of alerts)
STEP = dt.timedelta(minutes=15)
MARKER_ACTION = "sensors.demo_load"
LOCAL_OFFSET_H = 7
MEASUREMENT = OM + "OM_Measurement"


@dataclass(frozen=True)
class Quantity:
    key: str
    name: str
    definition: str
    unit: dict[str, str]


QUANTITIES = {
    q.key: q
    for q in (
        Quantity(
            "pm25",
            "PM2.5",
            "http://vocab.nerc.ac.uk/collection/P01/current/PM25/",
            {"name": "microgram per cubic metre", "symbol": "µg/m³", "definition": "ucum:ug/m3"},
        ),
        Quantity(
            "pm10",
            "PM10",
            "http://vocab.nerc.ac.uk/collection/P01/current/PM10/",
            {"name": "microgram per cubic metre", "symbol": "µg/m³", "definition": "ucum:ug/m3"},
        ),
        Quantity(
            "level",
            "Mực nước",
            "http://vocab.nerc.ac.uk/collection/P01/current/WLEV/",
            {"name": "metre", "symbol": "m", "definition": "ucum:m"},
        ),
        Quantity(
            "rain",
            "Lượng mưa",
            "http://vocab.nerc.ac.uk/collection/P07/current/CFSN0382/",
            {"name": "millimetre", "symbol": "mm", "definition": "ucum:mm"},
        ),
        Quantity(
            "temp",
            "Nhiệt độ không khí",
            "http://vocab.nerc.ac.uk/collection/P07/current/CFSN0023/",
            {"name": "degree Celsius", "symbol": "°C", "definition": "ucum:Cel"},
        ),
        Quantity(
            "humidity",
            "Độ ẩm không khí",
            "http://vocab.nerc.ac.uk/collection/P07/current/CFSN0413/",
            {"name": "percent", "symbol": "%", "definition": "ucum:%"},
        ),
        Quantity(
            "noise",
            "Độ ồn",
            "http://vocab.nerc.ac.uk/collection/P01/current/SDBAZZ01/",
            {"name": "decibel A", "symbol": "dB(A)", "definition": "ucum:dB"},
        ),
    )
}


@dataclass(frozen=True)
class StationKind:
    key: str
    title: str
    sensor: str
    quantities: tuple[str, ...]
    count: int


KINDS = (
    StationKind("air_quality", "Trạm quan trắc không khí", "Cảm biến bụi quang học", ("pm25", "pm10"), 4),
    StationKind("water_level", "Trạm đo mực nước", "Cảm biến mực nước radar", ("level",), 3),
    StationKind("rain", "Trạm đo mưa", "Vũ lượng kế gầu lật", ("rain",), 4),
    StationKind("weather", "Trạm khí tượng tự động", "Trạm khí tượng tự động", ("temp", "humidity"), 2),
)
NOISE = StationKind("traffic_noise", "Điểm đo độ ồn giao thông", "Máy đo độ ồn", ("noise",), 1)


def generate(*, profile: Any, rng: random.Random, until: dt.datetime) -> dict[str, int]:
    """R5.5, R11: stations in the profile's communes and their readings (history in bulk, 14 days via services)."""
    actor = account_selectors.system_account()
    if AuditEntry.objects.filter(action=MARKER_ACTION, object_id=profile.key).exists():
        return {"already_loaded": 1}
    territory = geo_selectors.territory_get(profile=profile.key)
    if territory is None:
        raise LookupError(f"demo: the territory of {profile.key!r} is missing (the foundation generator sets it)")
    communes = list(territory.communes.exclude(geometry="").order_by("code"))
    end = until.replace(minute=until.minute - until.minute % 15, second=0, microsecond=0)
    with transaction.atomic():
        streams = _stations(actor, rng, communes)
        weather = Weather(np.random.default_rng(rng.randrange(2**32)), end)
        counts = _readings(actor, rng, streams, weather, lambda: rules_install_standard(actor=actor))
        counts |= _cameras(actor, rng, communes, until)
        counts["rule_sweep"] = sum(rules_sweep(now=until).values())
        counts["cameras_silent"] = cameras_flag_silent(now=until)
        counts["rules_fired"] = RuleState.objects.filter(fired_at__isnull=False).count()
        audit_record(
            actor=actor,
            action=MARKER_ACTION,
            object_type="demo.profile",
            object_id=profile.key,
            changes={"stations": len({s.thing_id for s, _k, _q in streams}), **counts},
        )
    return {"stations": len({s.thing_id for s, _k, _q in streams}), "datastreams": len(streams), **counts}


# --- stations ------------------------------------------------------------------------------------------------


def owner_agency() -> Agency:
    """The agency whose information system holds a `sta.write` token (the demo prints it), else a department."""
    for token in ApiToken.objects.filter(revoked_at__isnull=True).select_related("user"):
        if "sta.write" in (token.scopes or []):
            system = InformationSystem.objects.filter(service_user=token.user).select_related("agency").first()
            if system is not None:
                return system.agency
    found = Agency.objects.filter(is_active=True, kind="department").order_by("code").first()
    if found is None:
        found = Agency.objects.filter(is_active=True).order_by("code").first()
    if found is None:
        raise LookupError("demo: no agency to own the sensors (the foundation generator creates them)")
    return found


def point_in_commune(unit: Any, rng: random.Random) -> tuple[float, float]:
    """(lon, lat) inside a commune: its representative point nudged towards a random vertex (its recorded centre
    when the commune has no boundary loaded)."""
    if not unit.geometry:
        return float(unit.lon), float(unit.lat)
    geometry = shapely.from_geojson(unit.geometry)
    centre = geometry.representative_point()
    for _attempt in range(5):
        share = rng.uniform(0.0, 0.3)
        corner = shapely.Point(rng.choice(list(shapely.get_coordinates(geometry.envelope))))
        candidate = shapely.Point(centre.x + (corner.x - centre.x) * share, centre.y + (corner.y - centre.y) * share)
        if geometry.contains(candidate):
            return round(candidate.x, 6), round(candidate.y, 6)
    return round(centre.x, 6), round(centre.y, 6)


def _catalogue(kind: StationKind, made: dict[str, int]) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The Sensor and ObservedProperties of a kind: deep-insert bodies the first time, references afterwards."""
    sensor_key = "sensor:" + kind.sensor
    sensor = (
        {"@iot.id": made[sensor_key]}
        if sensor_key in made
        else {
            "name": kind.sensor,
            "description": kind.sensor,
            "encodingType": "text/html",
            "metadata": "https://example.invalid/datasheet",
        }
    )
    properties = {}
    for key in kind.quantities:
        q = QUANTITIES[key]
        properties[key] = (
            {"@iot.id": made["op:" + key]}
            if "op:" + key in made
            else {"name": q.name, "definition": q.definition, "description": q.name}
        )
    return sensor, properties


def station_body(kind: StationKind, unit: Any, point: tuple[float, float], made: dict[str, int]) -> dict[str, Any]:
    sensor, properties = _catalogue(kind, made)
    name = f"{kind.title} {unit.name}"
    return {
        "name": name,
        "description": f"{kind.title} tại {unit.full_name or unit.name} (dữ liệu mẫu)",
        "properties": {"kind": kind.key, "commune": unit.code, "demo": True},
        "Locations": [
            {
                "name": name,
                "description": unit.full_name or unit.name,
                "encodingType": "application/geo+json",
                "location": {"type": "Point", "coordinates": list(point)},
            }
        ],
        "Datastreams": [
            {
                "name": f"{QUANTITIES[key].name} — {name}",
                "description": f"{QUANTITIES[key].name}, 15 phút một lần",
                "unitOfMeasurement": QUANTITIES[key].unit,
                "observationType": MEASUREMENT,
                "properties": {"quantity": key, **({"alarm_levels": list(ALARM_LEVELS)} if key == "level" else {})},
                "Sensor": sensor,
                "ObservedProperty": properties[key],
            }
            for key in kind.quantities
        ],
    }


def _stations(actor: Any, rng: random.Random, communes: list[Any]) -> list[tuple[Datastream, StationKind, str]]:
    owner = owner_agency()
    police = Agency.objects.filter(is_active=True, kind="police").order_by("code").first()
    plan = [(kind, owner) for kind in KINDS for _ in range(kind.count)]
    if police is not None:
        plan.append((NOISE, police))
    chosen = rng.sample(communes, min(len(plan), len(communes))) if communes else []
    made: dict[str, int] = {}
    streams: list[tuple[Datastream, StationKind, str]] = []
    for (kind, agency), unit in zip(plan, chosen * (len(plan) // max(1, len(chosen)) + 1), strict=False):
        body = station_body(kind, unit, point_in_commune(unit, rng), made)
        thing: Thing = entity_create(
            actor=actor, agency_id=agency.pk, viewer=viewer_for(actor), draft=parse_draft("Things", body)
        )
        for stream in thing.datastreams.select_related("sensor", "observed_property", "thing"):
            key = (stream.properties or {}).get("quantity", "")
            made.setdefault("sensor:" + kind.sensor, stream.sensor_id)
            made.setdefault("op:" + key, stream.observed_property_id)
            feature_for(stream)
            streams.append((stream, kind, key))
    return streams


# --- the weather ---------------------------------------------------------------------------------------------


class Weather:
    """One regional weather over the whole period at 15-minute steps (numpy arrays indexed by step)."""

    def __init__(self, gen: np.random.Generator, end: dt.datetime) -> None:
        self.gen = gen
        steps = HISTORY_DAYS * 96
        self.times = [end - STEP * (steps - 1 - i) for i in range(steps)]
        epoch = np.array([t.timestamp() for t in self.times])
        self.local_hour = ((epoch / 3600.0) + LOCAL_OFFSET_H) % 24
        self.day_of_year = np.array([t.timetuple().tm_yday for t in self.times], dtype=float)
        self.rain = self._rain(end)

    def _rain(self, end: dt.datetime) -> np.ndarray:
        """mm per 15 minutes: showers more likely and heavier May–October, and a three-day storm."""
        n = len(self.times)
        rain = np.zeros(n)
        rainy = np.array([5 <= t.month <= 10 for t in self.times])
        for day_start in range(0, n, 96):
            wet = rainy[day_start]
            if self.gen.random() < (0.45 if wet else 0.12):
                start = day_start + int(self.gen.integers(40, 80))  # afternoon and evening showers (local)
                length = int(self.gen.integers(2, 16))
                rain[start : start + length] += self.gen.gamma(
                    2.0, 2.5 if wet else 0.6, size=len(rain[start : start + length])
                )
        storm = max(0, n - 25 * 96)
        rain[storm : storm + 3 * 96] += self.gen.gamma(3.0, 3.0, size=len(rain[storm : storm + 3 * 96]))
        return rain

    def series(self, quantity: str, jitter: float) -> np.ndarray:
        g, hour, doy = self.gen, self.local_hour, self.day_of_year
        raining = np.convolve(self.rain, np.ones(8), mode="same") > 0.5
        if quantity == "rain":
            return np.maximum(0.0, self.rain * jitter + np.where(self.rain > 0, g.normal(0, 0.3, len(hour)), 0))
        if quantity == "level":
            return self._level(jitter)
        if quantity == "temp":
            seasonal = 23.5 - 7.0 * np.cos(2 * math.pi * (doy - 15) / 365)
            diurnal = 4.0 * np.cos(2 * math.pi * (hour - 14) / 24)
            return seasonal + diurnal - 2.5 * raining + g.normal(0, 0.4, len(hour)) + jitter - 1
        if quantity == "humidity":
            moist = 78 - 12 * np.cos(2 * math.pi * (hour - 14) / 24) + 14 * raining + g.normal(0, 2, len(hour))
            return np.asarray(np.clip(moist, 35, 100), dtype=float)
        if quantity == "noise":
            rush = np.exp(-((hour - 7.5) ** 2) / 2) + np.exp(-((hour - 17.5) ** 2) / 2)
            night = (hour < 5) | (hour > 22)
            return np.asarray(58 + 12 * rush - 8 * night + g.normal(0, 2, len(hour)), dtype=float)
        dry = 1.0 + 0.8 * np.cos(2 * math.pi * (doy - 15) / 365)  # dustier in the dry season (winter)
        rush = 1 + 0.7 * np.exp(-((hour - 7.5) ** 2) / 2) + 0.9 * np.exp(-((hour - 19) ** 2) / 3)
        pm25 = 28 * dry * rush * jitter * g.lognormal(0, 0.25, len(hour)) * np.where(raining, 0.45, 1.0)
        return pm25 * (1.7 + g.normal(0, 0.08, len(hour))) if quantity == "pm10" else pm25

    def _level(self, jitter: float) -> np.ndarray:
        """River level (m): a seasonal base plus the rain's runoff, decaying over about two days."""
        level, store = np.empty(len(self.rain)), 0.0
        decay = math.exp(-1 / (2 * 96))
        for i, mm in enumerate(self.rain):
            store = store * decay + mm * 0.02 * jitter
            level[i] = store
        seasonal = 2.2 + 0.8 * np.sin(2 * math.pi * (self.day_of_year - 120) / 365)
        return seasonal + level + self.gen.normal(0, 0.01, len(level))


# --- readings --------------------------------------------------------------------------------------------------


def _readings(
    actor: Any, rng: random.Random, streams: list[Any], weather: Weather, go_live: Callable[[], int]
) -> dict[str, int]:
    """History in bulk; the last 14 days through `observations_create`, one batch per agency: first up to
    `LIVE_DAYS` ago, then `go_live()` (the alert rules are installed) and the last days, judged by the rules."""
    silent = set(rng.sample(range(len(streams)), min(2, len(streams))))
    recent_from = len(weather.times) - RECENT_DAYS * 96
    live_from = len(weather.times) - LIVE_DAYS * 96
    history_rows = recent_rows = 0
    phases: tuple[dict[int, list[Any]], dict[int, list[Any]]] = (defaultdict(list), defaultdict(list))
    for index, (stream, _kind, quantity) in enumerate(streams):
        values = np.round(weather.series(quantity, rng.uniform(0.85, 1.15)), 2).tolist()
        stop = len(values) - (rng.randint(2, 6) * 96 if index in silent else 0)
        feature = feature_for(stream)
        old = [(weather.times[i], values[i]) for i in range(min(recent_from, stop))]
        history_rows += observations_load_history(actor=actor, datastream=stream, feature=feature, readings=old)
        for phase, (low, high) in zip(phases, ((recent_from, min(live_from, stop)), (live_from, stop)), strict=True):
            rows = [
                ObservationRow({"phenomenon_time": weather.times[i], "result": values[i], "result_number": values[i]})
                for i in range(low, high)
            ]
            if rows:
                phase[stream.thing.agency_id].append((stream.pk, rows))
                recent_rows += len(rows)
    rules = 0
    for number, phase in enumerate(phases):
        if number == 1:
            rules = go_live()
        for agency_id, batches in phase.items():
            observations_create(actor=actor, agency_id=agency_id, viewer=viewer_for(actor), batches=batches)
    return {
        "observations_history": history_rows,
        "observations_recent": recent_rows,
        "silent_datastreams": len(silent),
        "rules": rules,
    }


# --- cameras (R5.2) --------------------------------------------------------------------------------------------


def _camera_reporter(agency: Agency) -> Any:
    """The analytics engine's account: the agency's information system's service account (None: no events)."""
    system = InformationSystem.objects.filter(agency=agency, is_active=True).order_by("pk").first()
    return getattr(system, "service_user", None)


def _cameras(actor: Any, rng: random.Random, communes: list[Any], end: dt.datetime) -> dict[str, int]:
    """R5.2: cameras at the main junctions (the centres of the most populous… here: the first communes by code),
    each with a heartbeat, and a few analytics events over the last days through the events service."""
    owner = owner_agency()
    reporter = _camera_reporter(owner)
    made = events = 0
    for index, unit in enumerate(communes[:CAMERAS]):
        lon, lat = point_in_commune(unit, rng)
        camera = camera_create(
            actor=actor, code=f"cam-{unit.code}-{index + 1}", agency=owner, name=f"Camera nút giao {unit.name}",
            lat=lat, lon=lon, direction=rng.choice((0, 90, 180, 270)),
            stream_url=f"rtsp://camera.example.invalid/{unit.code}", snapshot_url="",
        )  # fmt: skip
        made += 1
        if reporter is None:
            continue
        silent = index == 0  # one camera fell silent an hour ago: no events since
        for _event in range(0 if silent else rng.randint(1, 4)):
            kind = rng.choice(sorted(CAMERA_EVENT_TYPES))
            at = end - dt.timedelta(minutes=rng.randint(30, 3 * 24 * 60))
            confidence = round(rng.uniform(0.5, 0.98), 2)
            camera_event_receive(
                actor=reporter, camera_code=camera.code, event_type=kind, at=at, confidence=confidence,
                snapshot_url="",
            )  # fmt: skip
            events += 1
        beat = end - dt.timedelta(hours=1) if silent else end - dt.timedelta(minutes=rng.randint(0, 3))
        camera_event_receive(
            actor=reporter, camera_code=camera.code, event_type="heartbeat", at=beat, confidence=None, snapshot_url=""
        )
    return {"cameras": made, "camera_events": events}
