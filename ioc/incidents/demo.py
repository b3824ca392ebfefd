"""Incidents' demo generator (R11; issue 12 item 8): months of incidents of both processes in the profile's
communes, and today's live inbox.

`generate(*, profile, rng, until)`, listed in `ioc/demo/registry.py`, runs after the foundation and citizen reports:

1. six months of history before the last 14 days through `services.incident_history_bulk_create` (the documented
   bulk loader: one `incident.bulk_load` audit entry per batch): time-bound incidents forwarded to the profile's
   processing agencies (each part's deadline from the agency's calendar; about one in five resolved late and
   escalated), immediate ones dispatched to its 24/7 forces with call-to-dispatch and dispatch-to-scene times, a
   few cancelled;
2. the live state through the real services (`alert_raise`, `alert_verify`, `alert_dismiss`, `incident_forward`,
   `assignment_accept`/`_resolve`, `incident_confirm`/`_close`, `incident_dispatch`, `incident_en_route`, …): alerts
   waiting in the inbox (one severe, sounding), incidents at each step, and one active emergency with its forces
   on the way. These happen at load time (the services stamp the real clock).

Agencies, forces and communes are read from the database (any profile); a profile without 24/7 forces gets no
immediate incidents. Idempotent: an `incident.demo_load` audit entry for the profile marks a finished load.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

import shapely
from django.db import transaction
from django.db.models import Q

from ioc.accounts.choices import SYSTEM_USERNAME, Role
from ioc.accounts.models import User
from ioc.accounts.selectors import system_account
from ioc.agencies.choices import ActRole, AgencyKind
from ioc.agencies.models import Agency
from ioc.assignments import selectors as assignment_selectors
from ioc.assignments import services as assignment_services
from ioc.audit.models import AuditEntry
from ioc.audit.services import audit_record
from ioc.geo import selectors as geo_selectors
from ioc.geo.models import AdminUnit
from ioc.incidents import services
from ioc.incidents.choices import KINDS, AlertSource, IncidentState, Process
from ioc.incidents.models import Incident
from ioc.incidents.services import PastIncident, PastPart
from ioc.worktime.selectors import WorkCalendar, calendar_for, deadline_add

MARKER_ACTION = "incident.demo_load"
HISTORY_DAYS = 180
RECENT_DAYS = 14
FORCE_KINDS = (AgencyKind.POLICE, AgencyKind.FIRE_RESCUE, AgencyKind.EMERGENCY_MEDICAL)

# kind → (weight in the history, source, title templates; {place} is the commune)
CATALOGUE: dict[str, tuple[int, str, tuple[str, ...]]] = {
    "env.flood_level": (8, AlertSource.SENSORS, ("Ngập sâu tại {place}", "Mực nước sông vượt báo động 2 ở {place}")),
    "env.air_quality": (6, AlertSource.SENSORS, ("Bụi mịn PM2.5 vượt ngưỡng tại {place}",)),
    "camera.crowd": (4, AlertSource.CAMERAS, ("Tụ tập đông người trước chợ {place}",)),
    "service.down": (3, AlertSource.SERVICE_CHECKS, ("Cổng dịch vụ công gián đoạn",)),
    "infrastructure.damage": (6, AlertSource.PEOPLE, ("Sụt lún mặt đường tại {place}", "Vỡ đường ống nước ở {place}")),
    "media.negative": (3, AlertSource.MEDIA, ("Bài viết phản ánh ô nhiễm tại {place}",)),
    "citizen_reports.surge": (2, AlertSource.CITIZEN_REPORTS, ("Phản ánh rác thải tăng đột biến tại {place}",)),
    "indicator.target_miss": (2, AlertSource.INDICATORS, ("Tỷ lệ hồ sơ trực tuyến không đạt chỉ tiêu",)),
    "security.intrusion": (1, AlertSource.SECURITY, ("Dò quét, tấn công vào cổng thông tin tỉnh",)),
    "fire": (3, AlertSource.PEOPLE, ("Cháy nhà dân tại {place}", "Cháy kho hàng ở {place}")),
    "accident.traffic": (6, AlertSource.PEOPLE, ("Tai nạn giao thông trên quốc lộ qua {place}",)),
    "crime.robbery": (2, AlertSource.PEOPLE, ("Cướp giật tài sản tại {place}",)),
    "public_order.disorder": (2, AlertSource.CAMERAS, ("Gây rối trật tự trước quán ở {place}",)),
    "medical.emergency": (3, AlertSource.PEOPLE, ("Người bị nạn cần cấp cứu tại {place}",)),
}
RESULTS = {
    Process.TIME_BOUND: "Các cơ quan đã xử lý xong; IOC đã kiểm tra kết quả.",
    Process.IMMEDIATE: "Lực lượng đã xử lý xong hiện trường, không còn nguy hiểm.",
}


@dataclass
class World:
    profile: Any
    rng: random.Random
    until: dt.datetime
    communes: list[AdminUnit]
    operator: User
    leader: User
    processors: list[Agency]
    forces: list[Agency]
    calendars: dict[int, WorkCalendar]

    def calendar(self, agency: Agency) -> WorkCalendar:
        if agency.pk not in self.calendars:
            self.calendars[agency.pk] = calendar_for(agency=agency)
        return self.calendars[agency.pk]

    def officer(self, agency: Agency) -> User | None:
        people = assignment_selectors.agency_people(agency=agency, roles=[Role.AGENCY_OFFICER])
        return people[0] if people else None


def _person(role: str) -> User:
    found = [u for u in assignment_selectors.role_holders(roles=[role]) if u.username != SYSTEM_USERNAME]
    if not found:
        raise LookupError(f"demo: nobody holds {role} (the foundation generator creates the demo accounts)")
    return found[0]


def _world(profile: Any, rng: random.Random, until: dt.datetime) -> World:
    territory = geo_selectors.territory_get(profile=profile.key)
    if territory is None:
        raise LookupError(f"demo: the territory of {profile.key!r} is missing (the foundation generator sets it)")
    active = Agency.objects.filter(is_active=True).order_by("code")
    forces = list(active.filter(works_24x7=True, kind__in=FORCE_KINDS)) or list(active.filter(works_24x7=True))
    processing = active.filter(works_24x7=False, act_roles__role=ActRole.PROCESSING).distinct()
    processors = list(processing) or list(active.filter(~Q(kind=AgencyKind.PEOPLES_COMMITTEE), works_24x7=False))
    return World(
        profile=profile,
        rng=rng,
        until=until,
        communes=list(territory.communes.order_by("code")),
        operator=_person(Role.IOC_OPERATOR),
        leader=_person(Role.IOC_LEADER),
        processors=processors or list(active[:3]),
        forces=forces,
        calendars={},
    )


def _point(world: World, unit: AdminUnit) -> tuple[float, float]:
    """A point inside the commune: a random draw in its box, else its representative point."""
    shape = shapely.from_geojson(unit.geometry)
    min_lon, min_lat, max_lon, max_lat = shape.bounds
    for _try in range(12):
        lon, lat = world.rng.uniform(min_lon, max_lon), world.rng.uniform(min_lat, max_lat)
        if shape.contains(shapely.Point(lon, lat)):
            return lat, lon
    p = shape.representative_point()
    return float(p.y), float(p.x)


def _kinds(world: World) -> tuple[list[str], list[int]]:
    usable = [k for k in CATALOGUE if world.forces or KINDS[k].process == Process.TIME_BOUND]
    return usable, [CATALOGUE[k][0] for k in usable]


def _title(world: World, kind: str, unit: AdminUnit) -> str:
    return world.rng.choice(CATALOGUE[kind][2]).format(place=unit.name)


def _minutes(value: float) -> dt.timedelta:
    return dt.timedelta(minutes=value)


# --- history in bulk ------------------------------------------------------------------------------------------


def _time_bound(world: World, row: PastIncident) -> None:
    rng, spec = world.rng, KINDS[row.kind]
    if rng.random() < 0.05:
        row.state, row.result, row.closed_at = IncidentState.CANCELLED, "Báo nhầm, không có sự cố.", row.verified_at
        return
    end = row.verified_at
    for agency in rng.sample(world.processors, k=min(len(world.processors), 1 + int(rng.random() < 0.25))):
        forwarded = row.verified_at + _minutes(rng.uniform(5, 90))
        deadline = deadline_add(start=forwarded, working_hours=spec.handling_hours, calendar=world.calendar(agency))
        late = rng.random() < 0.2
        if late:
            resolved = deadline + dt.timedelta(hours=rng.uniform(1, 48))
        else:
            resolved = forwarded + (deadline - forwarded) * rng.uniform(0.2, 0.95)
        part = PastPart(
            agency, forwarded, deadline, spec.handling_hours, resolved, escalated_at=deadline if late else None
        )
        row.parts.append(part)
        end = max(end, resolved)
    row.resolved_at = end
    row.confirmed_at = end + dt.timedelta(hours=rng.uniform(1, 24))
    row.closed_at = row.confirmed_at + _minutes(rng.uniform(0, 120))
    row.result = RESULTS[Process.TIME_BOUND]


def _immediate(world: World, row: PastIncident) -> None:
    rng, spec = world.rng, KINDS[row.kind]
    dispatched = row.verified_at + _minutes(rng.uniform(1, 6))
    on_scene = dispatched + _minutes(rng.uniform(5, spec.response_minutes * 1.4))
    cleared = on_scene + _minutes(rng.uniform(20, 240))
    row.dispatched_at, row.en_route_at = dispatched, dispatched + _minutes(rng.uniform(1, 3))
    row.on_scene_at, row.cleared_at, row.resolved_at = on_scene, cleared, cleared
    row.closed_at = cleared + _minutes(rng.uniform(10, 120))
    row.result = RESULTS[Process.IMMEDIATE]
    deadline = dispatched + _minutes(spec.response_minutes)
    for force in rng.sample(world.forces, k=min(len(world.forces), 1 + int(rng.random() < 0.3))):
        escalated = deadline if on_scene > deadline else None
        row.parts.append(
            PastPart(force, dispatched, deadline, spec.response_minutes / 60, on_scene, escalated_at=escalated)
        )


def _past(world: World, day: dt.datetime, kinds: list[str], weights: list[int]) -> PastIncident:
    rng = world.rng
    kind = rng.choices(kinds, weights)[0]
    spec = KINDS[kind]
    unit = rng.choice(world.communes)
    lat, lon = _point(world, unit)
    raised = day + dt.timedelta(seconds=rng.uniform(0, 86400))
    verify = rng.uniform(1, 8) if spec.process == Process.IMMEDIATE else rng.uniform(3, 90)
    severity = max(1, min(5, spec.default_severity + rng.choice((-1, 0, 0, 0, 1))))
    row = PastIncident(
        kind=kind,
        severity=severity,
        title=_title(world, kind, unit),
        source=CATALOGUE[kind][1],
        raised_at=raised,
        verified_at=raised + _minutes(verify),
        closed_at=raised,
        lat=lat,
        lon=lon,
        unit=unit,
        grid_cell=geo_selectors.grid_cell(lat, lon),
    )
    (_immediate if spec.process == Process.IMMEDIATE else _time_bound)(world, row)
    return row


def history_rows(world: World) -> list[PastIncident]:
    """About 2.5 incidents a day from HISTORY_DAYS ago until RECENT_DAYS ago, more floods in the rainy season."""
    kinds, weights = _kinds(world)
    start = world.until - dt.timedelta(days=HISTORY_DAYS)
    rows: list[PastIncident] = []
    for offset in range(HISTORY_DAYS - RECENT_DAYS):
        day = start + dt.timedelta(days=offset)
        rainy = 6 <= day.month <= 10
        for _n in range(world.rng.choice((1, 2, 2, 3, 3, 4)) + int(rainy)):
            rows.append(_past(world, day, kinds, weights))
    return [row for row in rows if row.closed_at < world.until - dt.timedelta(days=1)]


# --- the live state through the services ----------------------------------------------------------------------


def _raise(world: World, kind: str, key: str, severity: int | None = None) -> Any:
    unit = world.rng.choice(world.communes)
    return services.alert_raise(
        source=CATALOGUE[kind][1],
        dedup_key=f"demo:{world.profile.key}:{key}",
        kind=kind,
        severity=severity or KINDS[kind].default_severity,
        title=_title(world, kind, unit),
        occurred_at=world.until if world.until.tzinfo else dt.datetime.now(dt.UTC),
        point=_point(world, unit),
        payload={"demo": True},
        actor=system_account(),
    )


def _agency_work(world: World, incident: Incident, *, resolve: bool) -> None:
    parts = services.incident_forward(
        incident=incident, agencies=[world.rng.choice(world.processors)], actor=world.operator, instructions="Xử lý"
    )
    officer = world.officer(parts[0].agency)
    if officer is None:
        return
    assignment_services.assignment_accept(assignment=parts[0], actor=officer)
    assignment_services.assignment_progress(assignment=parts[0], actor=officer, text="Đã cử cán bộ đến hiện trường.")
    if resolve:
        assignment_services.assignment_resolve(assignment=parts[0], actor=officer, resolution="Đã khắc phục xong.")


def _immediate_live(world: World) -> int:
    if not world.forces:
        return 0
    forces = world.forces[:2]
    active = services.alert_verify(alert=_raise(world, "fire", "fire-live", 5), actor=world.operator)
    services.incident_dispatch(incident=active, agencies=forces, actor=world.operator, instructions="Xuất quân ngay")
    services.incident_en_route(incident=active, actor=world.operator, note="Xe chữa cháy đã xuất phát")
    done = services.alert_verify(alert=_raise(world, "accident.traffic", "accident-live"), actor=world.operator)
    services.incident_dispatch(incident=done, agencies=forces[:1], actor=world.operator)
    for step in (services.incident_en_route, services.incident_on_scene, services.incident_clear):
        step(incident=done, actor=world.operator)
    services.incident_close(incident=done, actor=world.operator, result=RESULTS[Process.IMMEDIATE])
    return 2


def live_drive(world: World) -> dict[str, int]:
    """Today's inbox and incidents at each step, through the services."""
    op = world.operator
    _raise(world, "camera.crowd", "crowd-live", 4)  # severe, waiting: it sounds on operators' screens
    _raise(world, "env.air_quality", "air-live")
    services.alert_dismiss(alert=_raise(world, "media.negative", "media-live"), actor=op, reason="Tin cũ, đã xử lý")
    forwarded = services.alert_verify(alert=_raise(world, "env.flood_level", "flood-live"), actor=op)
    _agency_work(world, forwarded, resolve=False)
    resolved = services.alert_verify(alert=_raise(world, "infrastructure.damage", "pipe-live"), actor=op)
    _agency_work(world, resolved, resolve=True)
    services.alert_verify(alert=_raise(world, "security.intrusion", "intrusion-live"), actor=op)  # to approve
    return {"live_alerts": 7, "live_emergencies": _immediate_live(world)}


def generate(*, profile: Any, rng: random.Random, until: dt.datetime) -> dict[str, int]:
    """R11: months of incidents in bulk, then today's inbox and incidents through the services."""
    with transaction.atomic():
        if AuditEntry.objects.filter(action=MARKER_ACTION, object_id=profile.key).exists():
            return {"already_loaded": 1}
        world = _world(profile, rng, until)
        history = services.incident_history_bulk_create(rows=history_rows(world), actor=system_account())
        live = live_drive(world)
        audit_record(
            actor=system_account(),
            action=MARKER_ACTION,
            object_type="demo.profile",
            object_id=profile.key,
            changes={**history, **live},
        )
    return {**history, **live}
