"""Scenarios' demo generator (R11; issue 15 item 5): the ready scenarios, a past flood with its full timeline,
one active emergency in the command view, and a few public warnings.

`generate(*, profile, rng, until)`, listed in `ioc/demo/registry.py` after incidents and indicators, acts through
the real services (the services stamp the real clock), except the past flood, which is history:

1. the ready scenarios as data — flood and storm, landslide, fire, traffic accident with casualties, epidemic
   outbreak, environmental pollution, public disorder, cyber attack on a provincial system — and one scenario per
   scenario kind of the profile's act (Hưng Yên's Art. 6: socio-economic, per sector, thematic, immediate,
   citizen and business interaction), their agencies read from the database (24/7 forces for the immediate
   process, processing agencies for the time-bound one); a scenario whose agencies the profile lacks is left out;
2. a flood of PAST_FLOOD_DAYS ago activated by the IOC leader, each step's assignment resolved, its checklist
   ticked, confirmed and closed, with resources and the leader's decisions — all at past times, so loaded in bulk
   (`incident_history_bulk_create`, then `activation_history_bulk_create`; one audit entry per batch);
3. one emergency still active (forces dispatched, resources on the way, a decision);
4. public warnings: one in force, a severe one approved by the leader, one updated and one cancelled.

Idempotent: a `scenario.demo_load` audit entry for the profile marks a finished load.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

import shapely
from django.db import transaction
from django.utils import timezone

from ioc.accounts.choices import SYSTEM_USERNAME, Role
from ioc.accounts.models import User
from ioc.accounts.selectors import system_account
from ioc.agencies.choices import ActRole
from ioc.agencies.models import Agency
from ioc.assignments import selectors as assignment_selectors
from ioc.assignments.models import Assignment
from ioc.audit.models import AuditEntry
from ioc.audit.services import audit_record
from ioc.geo import selectors as geo_selectors
from ioc.geo.models import AdminUnit
from ioc.incidents import services as incident_services
from ioc.incidents.choices import PROCESS, AlertSource
from ioc.incidents.models import Incident
from ioc.indicators import selectors as indicator_selectors
from ioc.regulation import selectors as regulation_selectors
from ioc.scenarios import services
from ioc.scenarios.models import Scenario

MARKER_ACTION = "scenario.demo_load"
# code, name, group, incident kind, severity, immediate?, trigger kind, steps (title, hours, checklist)
READY: tuple[tuple[str, str, str, str, int, bool, str, tuple[tuple[str, float, tuple[str, ...]], ...]], ...] = (
    (
        "lu-bao",
        "Ứng phó lũ, bão",
        "thien-tai",
        "env.flood_level",
        4,
        False,
        "env.flood_level",
        (
            (
                "Sơ tán dân khỏi vùng trũng",
                4,
                ("Lập danh sách hộ dân", "Bố trí điểm sơ tán", "Báo cáo số người đã sơ tán"),
            ),
            ("Bảo đảm giao thông, cắm biển cảnh báo", 6, ("Cắm biển các đoạn ngập", "Phân luồng")),
        ),
    ),
    (
        "sat-lo",
        "Ứng phó sạt lở đất",
        "thien-tai",
        "disaster.natural",
        5,
        True,
        "disaster.natural",
        (("Phong tỏa khu vực sạt lở", 1, ("Căng dây cảnh báo", "Di dời hộ dân lân cận")),),
    ),
    (
        "chay",
        "Ứng phó cháy, nổ",
        "khan-cap",
        "fire",
        5,
        True,
        "fire",
        (("Chữa cháy, cứu nạn", 0.25, ("Có mặt tại hiện trường", "Khống chế đám cháy", "Kiểm tra người mắc kẹt")),),
    ),
    (
        "tai-nan-giao-thong",
        "Tai nạn giao thông có thương vong",
        "khan-cap",
        "accident.traffic",
        5,
        True,
        "accident.traffic",
        (("Cấp cứu, phân luồng", 0.33, ("Cấp cứu người bị nạn", "Phân luồng giao thông")),),
    ),
    (
        "dich-benh",
        "Ứng phó dịch bệnh bùng phát",
        "y-te",
        "medical.emergency",
        4,
        True,
        "medical.emergency",
        (("Khoanh vùng, điều tra ca bệnh", 2, ("Lấy mẫu xét nghiệm", "Cách ly ca nghi nhiễm")),),
    ),
    (
        "o-nhiem",
        "Sự cố ô nhiễm môi trường",
        "moi-truong",
        "env.air_quality",
        4,
        False,
        "env.air_quality",
        (("Kiểm tra nguồn thải", 8, ("Lấy mẫu không khí", "Xác định cơ sở gây ô nhiễm")),),
    ),
    (
        "mat-trat-tu",
        "Gây rối trật tự công cộng",
        "an-ninh",
        "public_order.disorder",
        4,
        True,
        "camera.crowd",
        (("Giải tán đám đông, bảo đảm trật tự", 0.5, ("Có mặt tại hiện trường", "Lập biên bản")),),
    ),
    (
        "tan-cong-mang",
        "Tấn công mạng vào hệ thống của tỉnh",
        "an-toan-thong-tin",
        "security.intrusion",
        4,
        False,
        "security.intrusion",
        (("Cô lập hệ thống, khắc phục", 4, ("Ngắt kết nối hệ thống bị tấn công", "Thu thập nhật ký")),),
    ),
)
# Further alert triggers of a ready scenario (kind, lowest severity): the cyber-attack scenario also starts on the
# information-security watch's own alerts (issue 21, 000:7.4): a defaced page, DNS answers changed, an event rule's
# threshold crossed, on a provincial system (raised at "high" or above).
READY_TRIGGERS: dict[str, tuple[tuple[str, int], ...]] = {
    "tan-cong-mang": (("cyber.defacement", 4), ("cyber.dns", 4), ("cyber.event", 4)),
}


def ready_triggers(code: str, trigger: str) -> list[dict[str, Any]]:
    """The alert triggers of a ready scenario: its own kind at severity 5, then its further ones."""
    pairs = ((trigger, 5), *READY_TRIGGERS.get(code, ()))
    return [{"type": "alert", "kind": kind, "min_severity": level} for kind, level in pairs]


# The act's scenario kinds (regulation `scenario_kind` codes) → incident kind, immediate?, trigger.
ACT_KINDS: dict[str, tuple[str, bool, str]] = {
    "kinh-te-xa-hoi": ("indicator.target_miss", False, "indicator"),
    "nganh-linh-vuc": ("indicator.target_miss", False, "indicator"),
    "chuyen-de": ("indicator.target_miss", False, ""),
    "tuc-thoi": ("disaster.natural", True, "disaster.natural"),
    "tuong-tac": ("citizen_reports.surge", False, "surge"),
}


@dataclass
class World:
    rng: random.Random
    communes: list[AdminUnit]
    admin: User
    operator: User
    leader: User
    processors: list[Agency]
    forces: list[Agency]


def _person(role: str) -> User:
    found = [u for u in assignment_selectors.role_holders(roles=[role]) if u.username != SYSTEM_USERNAME]
    if not found:
        raise LookupError(f"demo: nobody holds {role} (the foundation generator creates the demo accounts)")
    return found[0]


def _world(profile: Any, rng: random.Random) -> World:
    territory = geo_selectors.territory_get(profile=profile.key)
    if territory is None:
        raise LookupError(f"demo: the territory of {profile.key!r} is missing (the foundation generator sets it)")
    active = Agency.objects.filter(is_active=True).order_by("code")
    processing = list(active.filter(works_24x7=False, act_roles__role=ActRole.PROCESSING).distinct())
    staffed = [agency for agency in processing if _officer(agency) is not None]  # they act on their parts
    return World(
        rng=rng,
        communes=list(territory.communes.order_by("code")),
        admin=system_account(),
        operator=_person(Role.IOC_OPERATOR),
        leader=_person(Role.IOC_LEADER),
        processors=staffed or processing or list(active.filter(works_24x7=False)[:3]),
        forces=list(active.filter(works_24x7=True)),
    )


def _steps(world: World, immediate: bool, rows: Any) -> list[dict[str, Any]]:
    pool = world.forces if immediate else world.processors
    if not pool:
        return []
    return [
        {"agency": pool[i % len(pool)].code, "title": title, "deadline_hours": hours, "checklist": list(items)}
        for i, (title, hours, items) in enumerate(rows)
    ]


def _create(world: World, code: str, name: str, group: str, definition: dict[str, Any]) -> Scenario | None:
    if not definition["steps"]:
        return None
    found = Scenario.objects.filter(code=code).first()
    if found is not None:
        return found
    return services.scenario_create(actor=world.admin, code=code, name=name, group=group, definition=definition)


def _ready(world: World) -> dict[str, Scenario]:
    made: dict[str, Scenario] = {}
    for code, name, group, kind, severity, immediate, trigger, rows in READY:
        definition = {
            "incident": {"kind": kind, "severity": severity, "title": name},
            "triggers": ready_triggers(code, trigger),
            "area": None,
            "steps": _steps(world, immediate, rows),
            "message": f"Triển khai kịch bản “{name}” theo phân công.",
        }
        scenario = _create(world, code, name, group, definition)
        if scenario is not None:
            made[code] = scenario
    return made


def _act_kinds(world: World, profile: Any) -> int:
    indicator = indicator_selectors.indicator_list().first()
    count = 0
    for domain in regulation_selectors.monitored_domains(kind="scenario_kind", profile=profile.key):
        kind, immediate, trigger = ACT_KINDS.get(domain.code, ("indicator.target_miss", False, ""))
        triggers: list[dict[str, Any]] = []
        if trigger == "indicator" and indicator is not None:
            triggers = [{"type": "indicator_warning", "indicator": indicator.code}]
        elif trigger == "surge":
            triggers = [{"type": "surge", "category": "", "min_count": 10}]
        elif trigger and trigger != "indicator":
            triggers = [{"type": "alert", "kind": trigger, "min_severity": 5}]
        definition = {
            "incident": {"kind": kind, "severity": 4 if immediate else 2, "title": domain.name[:200]},
            "triggers": triggers,
            "area": {"type": "unit", "unit": world.communes[0].code} if domain.code == "nganh-linh-vuc" else None,
            "steps": _steps(
                world, immediate, (("Triển khai theo chỉ đạo", 2 if immediate else 16, ("Báo cáo kết quả",)),)
            ),
            "message": domain.name,
        }
        count += _create(world, f"act-{domain.code}"[:60], domain.name[:200], domain.code, definition) is not None
    return count


def _officer(agency: Agency) -> User | None:
    people = assignment_selectors.agency_people(agency=agency, roles=[Role.AGENCY_OFFICER, Role.AGENCY_HEAD])
    return people[0] if people else None


PAST_FLOOD_DAYS = 20  # before `until`: older than the 14 days the services write, so loaded as history


def _past_parts(steps: list[dict[str, Any]], forwarded: dt.datetime) -> list[Any]:
    """One assignment per step, each resolved before its own deadline (wall-clock hours, as the demo's history)."""
    parts = []
    for i, step in enumerate(steps):
        agency = Agency.objects.get(code=step["agency"])
        hours = float(step["deadline_hours"])
        resolved = forwarded + dt.timedelta(hours=hours * (0.6 + 0.1 * i))
        parts.append(
            incident_services.PastPart(
                agency=agency,
                forwarded_at=forwarded,
                deadline_at=forwarded + dt.timedelta(hours=hours),
                working_hours=hours,
                resolved_at=resolved,
            )
        )
    return parts


def _past_flood(world: World, scenario: Scenario, until: dt.datetime) -> int:
    """The flood of PAST_FLOOD_DAYS ago, from activation to closing, at its past times: written in bulk (the
    incidents history loader, then the scenario's), never stamped "now" by the services."""
    start = (until - dt.timedelta(days=PAST_FLOOD_DAYS)).replace(hour=7, minute=0, second=0, microsecond=0)
    activated, forwarded = start + dt.timedelta(minutes=10), start + dt.timedelta(minutes=15)
    steps = scenario.definition["steps"]
    commune = world.communes[0]
    point = shapely.from_geojson(commune.geometry).representative_point() if commune.geometry else None
    parts = _past_parts(steps, forwarded)
    resolved = max(p.resolved_at for p in parts)
    reason = "Mưa lớn, nước sông dâng cao"
    orders = [
        (start + dt.timedelta(minutes=20), "Sơ tán ngay các hộ ven sông"),
        (forwarded + dt.timedelta(hours=2), "Huy động thêm xuồng máy cho các xã vùng trũng"),
    ]
    notes = [(activated, f"Kích hoạt kịch bản “{scenario.name}” (phiên bản {scenario.version}): {reason}")]
    notes += [(at, f"Chỉ đạo: {text}") for at, text in orders]
    incident_services.incident_history_bulk_create(
        rows=[
            incident_services.PastIncident(
                kind=scenario.definition["incident"]["kind"],
                severity=scenario.definition["incident"]["severity"],
                title=scenario.definition["incident"]["title"],
                source=AlertSource.SENSORS,
                description=reason,
                raised_at=start,
                verified_at=activated,
                resolved_at=resolved,
                confirmed_at=resolved + dt.timedelta(hours=2),
                closed_at=resolved + dt.timedelta(hours=20),
                result="Đã sơ tán an toàn, không thiệt hại về người.",
                lat=point.y if point is not None else None,
                lon=point.x if point is not None else None,
                unit=commune,
                grid_cell=geo_selectors.grid_cell(point.y, point.x) if point is not None else "",
                parts=parts,
                notes=notes,
            )
        ],
        actor=world.admin,
    )
    incident = Incident.objects.get(kind=scenario.definition["incident"]["kind"], raised_at=start, unit=commune)
    assignments = list(Assignment.objects.filter(process=PROCESS, subject_id=str(incident.pk)).order_by("pk"))
    ticks = {}
    for i, step in enumerate(steps):
        span = (assignments[i].resolved_at or resolved) - forwarded
        for j in range(len(step["checklist"]) + 1):
            ticks[(i, j)] = (forwarded + span * (j + 1) / (len(step["checklist"]) + 2), world.operator)
    services.activation_history_bulk_create(
        rows=[
            services.PastActivation(
                scenario=scenario,
                incident=incident,
                activated_by=world.leader,
                activated_at=activated,
                reason=reason,
                steps_forwarded_at=forwarded,
                parts=list(assignments),
                ticks=ticks,
                resources=[
                    services.PastResource(
                        unit_name="Đội xung kích xã",
                        kind="Xuồng máy",
                        count=3,
                        assigned_at=start + dt.timedelta(minutes=30),
                        lat=point.y if point is not None else None,
                        lon=point.x if point is not None else None,
                    )
                ],
                decisions=[(at, world.leader, text, True) for at, text in orders],
            )
        ],
        actor=world.admin,
    )
    return 1


def _emergency(world: World, scenario: Scenario) -> int:
    activation = services.scenario_activate(scenario=scenario, actor=world.leader, reason="Cháy lớn tại khu dân cư")
    commune = world.communes[world.rng.randrange(len(world.communes))]
    point = shapely.from_geojson(commune.geometry).representative_point() if commune.geometry else None
    services.resource_record(
        activation=activation,
        actor=world.operator,
        unit_name="Đội chữa cháy số 1",
        kind="Xe chữa cháy",
        count=2,
        status="en_route",
        lat=point.y if point is not None else None,
        lon=point.x if point is not None else None,
    )
    services.decision_record(activation=activation, actor=world.leader, text="Huy động thêm lực lượng y tế")
    return 1


def _draft(world: World, i: int, severity: int, headline: str) -> services.WarningDraft:
    now = timezone.now()
    commune = world.communes[(i * 7) % len(world.communes)]
    return services.WarningDraft(
        event="Mưa lớn, ngập úng",
        category="Met",
        urgency="Expected",
        certainty="Likely",
        severity=severity,
        headline_vi=headline,
        description_vi=f"Mưa lớn kéo dài, nguy cơ ngập úng tại {commune.name}.",
        instruction_vi="Hạn chế ra đường, di chuyển tài sản lên cao, theo dõi thông tin từ chính quyền.",
        headline_en="Heavy rain and flooding",
        description_en=f"Prolonged heavy rain; flooding likely in {commune.name}.",
        instruction_en="Stay home where possible, move belongings up, follow the authorities' updates.",
        area_desc=commune.name,
        onset=now,
        expires=now + dt.timedelta(hours=24 + 12 * i),
        unit_codes=[commune.code],
    )


def _warnings(world: World) -> int:
    live = services.warning_publish(actor=world.operator, draft=_draft(world, 0, 3, "Cảnh báo mưa lớn, ngập úng"))
    severe = services.warning_publish(actor=world.operator, draft=_draft(world, 1, 4, "Cảnh báo lũ trên sông"))
    services.warning_approve(actor=world.leader, warning=severe)
    services.warning_update(actor=world.operator, original=live, draft=_draft(world, 2, 3, "Mưa giảm, còn ngập cục bộ"))
    old = services.warning_publish(actor=world.operator, draft=_draft(world, 3, 2, "Cảnh báo gió mạnh"))
    services.warning_cancel(actor=world.operator, original=old, reason="Gió đã giảm, không còn nguy hiểm.")
    return 6


def generate(*, profile: Any, rng: random.Random, until: dt.datetime) -> dict[str, int]:
    """R11: the ready scenarios, a past flood, an active emergency and public warnings of `profile`."""
    if AuditEntry.objects.filter(action=MARKER_ACTION, changes__profile=profile.key).exists():
        return {}
    world = _world(profile, rng)
    with transaction.atomic():
        ready = _ready(world)
        kinds = _act_kinds(world, profile)
    counts = {"scenarios": len(ready) + kinds, "past": 0, "active": 0}
    with transaction.atomic():
        if "lu-bao" in ready:
            counts["past"] = _past_flood(world, ready["lu-bao"], until)
    with transaction.atomic():
        emergency = ready.get("chay") or ready.get("o-nhiem")
        if emergency is not None:
            counts["active"] = _emergency(world, emergency)
    with transaction.atomic():
        counts["warnings"] = _warnings(world)
        audit_record(actor=world.admin, action=MARKER_ACTION, changes={"profile": profile.key, **counts})
    return counts
