"""Dossiers' demo generator (R11; issue 23 item 8): a year of the profile's public-administration dossiers.

`generate(*, profile, rng, until)`, listed in `ioc/demo/registry.py`, runs after the foundation:

1. a few procedures (demo codes `DM.…`, realistic names, limits and steps) through `procedure_version_set`;
2. the year before the last 14 days through `services.dossier_history_bulk_create` (one `dossier.bulk_load` audit
   entry per agency): realistic step times, some supplements, refusals, apologies, ratings; a chronic bottleneck
   (the first agency's appraisal step of the first procedure runs over its time most weeks); past violations
   already verified;
3. the last 14 days through the one intake service (`dossier_event_receive`, as the agency's one-stop shop would
   push them): open dossiers, fresh violations waiting for the IOC.

Agencies (active, office hours) and communes come from the database, so any profile works. Contacts are canary
values (`0900000…`). Idempotent: a second run finds the demo's dossiers and does nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from ioc.accounts.models import User
from ioc.accounts.selectors import system_account
from ioc.agencies.models import Agency
from ioc.dossiers import services
from ioc.dossiers.checks import EventView
from ioc.dossiers.choices import Channel, EventKind, ViolationState
from ioc.dossiers.models import Dossier, ProcedureStep, ProcedureVersion
from ioc.geo import selectors as geo_selectors
from ioc.geo.models import AdminUnit
from ioc.worktime.selectors import LOCAL_TZ, WorkCalendar, calendar_for, deadline_add

HISTORY_DAYS = 365
RECENT_DAYS = 14
AGENCIES_MAX = 5
PER_DAY = (1, 3)  # dossiers per agency and working day (history)
PER_DAY_RECENT = (0, 2)  # the last 14 days, through the intake service
CANARY_PHONE = "0900000{:03d}"
DOCUMENTS = ["Tờ khai, đơn đề nghị", "Bản sao giấy tờ tùy thân"]
# code, name, field, limit (working days), steps (code, name, days), fee
CATALOGUE: tuple[tuple[str, str, str, str, tuple[tuple[str, str, str], ...], int], ...] = (
    (
        "DM.000001",
        "Cấp giấy phép xây dựng nhà ở riêng lẻ",
        "Xây dựng",
        "15",
        (
            ("tiep-nhan", "Tiếp nhận, kiểm tra hồ sơ", "1"),
            ("tham-dinh", "Thẩm định hồ sơ", "10"),
            ("phe-duyet", "Lãnh đạo phê duyệt", "3"),
            ("tra-ket-qua", "Trả kết quả", "1"),
        ),
        75000,
    ),
    (
        "DM.000002",
        "Đăng ký thành lập hộ kinh doanh",
        "Đăng ký kinh doanh",
        "3",
        (("tiep-nhan", "Tiếp nhận hồ sơ", "0.5"), ("xu-ly", "Xử lý hồ sơ", "2"), ("tra-ket-qua", "Trả kết quả", "0.5")),
        100000,
    ),
    (
        "DM.000003",
        "Cấp bản sao trích lục hộ tịch",
        "Hộ tịch",
        "1",
        (("tiep-nhan", "Tiếp nhận", "0.25"), ("xu-ly", "Xử lý, ký", "0.5"), ("tra-ket-qua", "Trả kết quả", "0.25")),
        8000,
    ),
    (
        "DM.000004",
        "Chuyển mục đích sử dụng đất",
        "Đất đai",
        "20",
        (
            ("tiep-nhan", "Tiếp nhận hồ sơ", "1"),
            ("tham-dinh", "Thẩm tra, xác minh thực địa", "12"),
            ("phe-duyet", "Trình, phê duyệt", "5"),
            ("tra-ket-qua", "Trả kết quả", "2"),
        ),
        0,
    ),
)
CHANNELS = (Channel.ONLINE_FULL, Channel.ONLINE_PARTIAL, Channel.IN_PERSON, Channel.POST)
CHANNEL_WEIGHTS = (35, 25, 35, 5)


@dataclass
class World:
    rng: random.Random
    until: dt.datetime
    actor: User
    agencies: list[Agency]
    communes: list[AdminUnit]
    versions: list[ProcedureVersion]
    calendars: dict[int, WorkCalendar]
    version_steps: dict[int, list[ProcedureStep]] = field(default_factory=dict)
    serial: int = 0

    def calendar(self, agency: Agency) -> WorkCalendar:
        if agency.pk not in self.calendars:
            self.calendars[agency.pk] = calendar_for(agency=agency)
        return self.calendars[agency.pk]

    def steps(self, version: ProcedureVersion) -> list[ProcedureStep]:
        if version.pk not in self.version_steps:
            self.version_steps[version.pk] = list(version.steps.all())
        return self.version_steps[version.pk]


def _procedures(actor: User) -> list[ProcedureVersion]:
    found = list(ProcedureVersion.objects.filter(procedure__code__in=[row[0] for row in CATALOGUE]))
    if found:
        return sorted(found, key=lambda v: v.procedure.code)
    return [
        services.procedure_version_set(
            code=code,
            name=name,
            field=field,
            effective_from=dt.date(2020, 1, 1),
            limit_days=limit,
            steps=[{"code": c, "name": n, "allotted_days": d} for c, n, d in steps],
            documents=DOCUMENTS,
            fee=fee,
            actor=actor,
        )
        for code, name, field, limit, steps, fee in CATALOGUE
    ]


class Story:
    """One dossier's events, drawn step by step in the agency's working time."""

    def __init__(self, world: World, agency: Agency, version: ProcedureVersion, received: dt.datetime) -> None:
        self.world, self.agency, self.version = world, agency, version
        self.events: list[EventView] = []
        self.cal = world.calendar(agency)
        self.hours = self.cal.hours_per_day
        self.received = received
        self.bottleneck = agency == world.agencies[0] and version == world.versions[0]

    def add(self, kind: str, at: dt.datetime, **fields: Any) -> dt.datetime:
        self.events.append(EventView(len(self.events) + 1, kind, at, **fields))
        return at

    def after(self, start: dt.datetime, days: float) -> dt.datetime:
        return deadline_add(start=start, working_hours=max(days, 0.02) * self.hours, calendar=self.cal)

    def factor(self, step: str) -> float:
        rng = self.world.rng
        if self.bottleneck and step == "tham-dinh":
            return rng.uniform(0.8, 2.2)
        return rng.uniform(1.1, 1.8) if rng.random() < 0.07 else rng.uniform(0.15, 0.9)

    def draw(self) -> list[EventView]:
        rng, version = self.world.rng, self.version
        docs = DOCUMENTS if rng.random() > 0.04 else DOCUMENTS[:1]
        at = self.add(EventKind.RECEIPT, self.received, documents=tuple(docs), digitised=rng.random() < 0.7)
        due = self.after(self.received, float(version.limit_days))
        for n, step in enumerate(self.world.steps(version)):
            assignee = f"cb-{self.agency.code}-{rng.randint(1, 5)}"
            at = self.add(EventKind.TRANSFER, at, step_code=step.code, assignee=assignee)
            if n == 1 and rng.random() < 0.08:
                at = self.supplement(at)
            if n == 1 and rng.random() < 0.03:
                reason = "Hồ sơ không đủ điều kiện theo quy định" if rng.random() > 0.15 else ""
                self.add(EventKind.REFUSAL, self.after(at, 0.3), reason=reason)
                return self.events
            done = self.after(at, float(step.allotted_days) * self.factor(step.code))
            account = assignee if rng.random() > 0.02 else f"cb-{self.agency.code}-khac"
            if done > due and not any(e.kind == EventKind.APOLOGY for e in self.events) and rng.random() < 0.6:
                self.add(EventKind.APOLOGY, min(at, due), new_due_at=self.after(due, 2))
            at = self.add(EventKind.STEP_DONE, done, step_code=step.code, account=account)
        self.closing(at)
        return self.events

    def supplement(self, at: dt.datetime) -> dt.datetime:
        rng = self.world.rng
        asked = self.add(EventKind.SUPPLEMENT_REQUEST, self.after(at, 0.2))
        back = self.add(EventKind.SUPPLEMENT_RECEIVED, self.after(asked, rng.uniform(0.5, 3)))
        if rng.random() < 0.1:
            back = self.add(EventKind.SUPPLEMENT_REQUEST, self.after(back, 0.3))
            back = self.add(EventKind.SUPPLEMENT_RECEIVED, self.after(back, 1))
        return back

    def closing(self, at: dt.datetime) -> None:
        rng = self.world.rng
        if self.version.fee:
            self.add(EventKind.PAYMENT, at)
        returned = self.add(
            EventKind.RESULT_RETURNED, self.after(at, rng.uniform(0, 0.5)), digitised=rng.random() < 0.8
        )
        if rng.random() < 0.5:
            self.add(
                EventKind.RATING, returned + dt.timedelta(hours=2), rating=rng.choices((2, 3, 4, 5), (1, 2, 5, 6))[0]
            )


def _received(world: World, cal: WorkCalendar, day: dt.date) -> dt.datetime:
    minutes = world.rng.randint(7 * 60 + 40, 16 * 60 + 30)
    moment = dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), LOCAL_TZ)
    return deadline_add(start=moment, working_hours=0, calendar=cal)


def _code(world: World, agency: Agency, day: dt.date) -> str:
    world.serial += 1
    return f"DM-{agency.code[:20].upper()}-{day:%y%m%d}-{world.serial:05d}"


def _days(world: World, first: int, last: int) -> list[dt.date]:
    today = world.until.astimezone(LOCAL_TZ).date()
    return [
        today - dt.timedelta(days=n) for n in range(first, last, -1) if (today - dt.timedelta(days=n)).weekday() < 5
    ]


def _draws(
    world: World, agency: Agency, day: dt.date, per_day: tuple[int, int] = PER_DAY
) -> list[tuple[str, ProcedureVersion, list[EventView]]]:
    cal, out = world.calendar(agency), []
    for _n in range(world.rng.randint(*per_day)):
        version = world.rng.choice(world.versions)
        events = Story(world, agency, version, _received(world, cal, day)).draw()
        kept = [e for e in events if e.occurred_at <= world.until]
        if kept:
            out.append((_code(world, agency, day), version, kept))
    return out


def _history(world: World, agency: Agency) -> dict[str, int]:
    past = []
    for day in _days(world, HISTORY_DAYS, RECENT_DAYS):
        for code, version, events in _draws(world, agency, day):
            verdict = world.rng.choices((ViolationState.HANDLED, ViolationState.DISMISSED), (7, 3))[0]
            contact = CANARY_PHONE.format(world.serial % 1000)
            unit = world.rng.choice(world.communes) if world.communes else None
            past.append(services.PastDossier(code, version, _channel(world), unit, contact, events, verdict))
    return services.dossier_history_bulk_create(
        agency=agency, dossiers=past, calendar=world.calendar(agency), now=world.until, actor=world.actor
    )


def _channel(world: World) -> str:
    return str(world.rng.choices(CHANNELS, CHANNEL_WEIGHTS)[0])


def _row(code: str, version: ProcedureVersion, event: EventView, extra: dict[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {"event_id": f"{code}-{event.id}", "dossier": code, "kind": str(event.kind)}
    row["occurred_at"] = event.occurred_at.isoformat()
    if event.kind == EventKind.RECEIPT:
        row.update(procedure=version.procedure.code, documents=list(event.documents), **extra)
    for name, key in (("step_code", "step"), ("account", "account"), ("assignee", "assignee"), ("reason", "reason")):
        if getattr(event, name):
            row[key] = getattr(event, name)
    if event.new_due_at:
        row["new_due"] = event.new_due_at.isoformat()
    if event.rating:
        row["rating"] = event.rating
    if event.digitised:
        row["digitised"] = True
    return row


def _recent(world: World, agency: Agency, system_user: User) -> dict[str, int]:
    rows: list[dict[str, Any]] = []
    for day in _days(world, RECENT_DAYS, -1):
        for code, version, events in _draws(world, agency, day, PER_DAY_RECENT):
            extra = {"channel": _channel(world), "phone": CANARY_PHONE.format(world.serial % 1000)}
            if world.communes:
                extra["unit"] = world.rng.choice(world.communes).code
            rows += [_row(code, version, e, extra) for e in events]
    counts = {"imported": 0, "rejected": 0}
    for start in range(0, len(rows), 400):
        summary = services.dossier_event_receive(
            agency=agency, rows=rows[start : start + 400], actor=system_user, now=world.until
        )
        counts["imported"] += summary["imported"]
        counts["rejected"] += summary["rejected"]
    return counts


def _world(profile: Any, rng: random.Random, until: dt.datetime) -> World:
    territory = geo_selectors.territory_get(profile=profile.key)
    communes = list(territory.communes.order_by("code")) if territory is not None else []
    agencies = list(Agency.objects.filter(is_active=True, works_24x7=False).order_by("code")[:AGENCIES_MAX])
    actor = system_account()
    return World(rng, until, actor, agencies, communes, _procedures(actor), {})


def generate(*, profile: Any, rng: random.Random, until: dt.datetime) -> dict[str, int]:
    """R11: a year of dossiers (history in bulk, the last 14 days through the intake service)."""
    if Dossier.objects.filter(code__startswith="DM-").exists():
        return {"dossiers": 0}
    world = _world(profile, rng, until)
    totals: dict[str, int] = {"dossiers": 0, "events": 0, "violations": 0, "recent_events": 0, "refused": 0}
    for agency in world.agencies:
        history = _history(world, agency)
        for key in ("dossiers", "events", "violations"):
            totals[key] += history[key]
        recent = _recent(world, agency, world.actor)
        totals["recent_events"] += recent["imported"]
        totals["refused"] += recent["rejected"]
    totals["scores"] = _scores(system_account(), until)
    return totals


def _scores(actor: Any, until: dt.datetime) -> int:
    """Decision 766's values of the year's months (what the nightly task keeps up to date), so the ranking, the
    report and the map's choropleth (indicators `dvc766_*`, when the ready set is loaded) have figures."""
    day, rows = until.astimezone(LOCAL_TZ).date().replace(day=1), 0
    for _n in range(12):
        rows += len(services.service_scores_compute(month=day, actor=actor, now=until))
        day = (day - dt.timedelta(days=1)).replace(day=1)
    return rows
