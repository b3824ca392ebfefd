"""Bulk builders of the benchmark dataset, one per domain flag of bench/dataset.py.

Each builder is `build(*, n: int, rng: random.Random) -> None` and writes with `bulk_insert`, which uses
COPY on PostgreSQL and large executemany batches on SQLite. Add a domain's builder here when it lands.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db import connection, transaction

BATCH = 20_000


def bulk_insert(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert rows fast: COPY on PostgreSQL, executemany in batches on SQLite. Returns the row count."""
    if connection.vendor == "postgresql":
        return _copy(table, columns, rows)
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({placeholders})'
    total = 0
    batch: list[Sequence[Any]] = []
    with transaction.atomic(), connection.cursor() as cursor:
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                total += len(batch)
                batch.clear()
        if batch:
            cursor.executemany(sql, batch)
            total += len(batch)
    return total


def _copy(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    total = 0
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg 3 cursor
        with raw.copy(f'COPY "{table}" ({", ".join(columns)}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
                total += 1
    return total


def reference_data(*, boundaries: bool) -> None:
    """The national units, boundaries and succession (idempotent), loaded as the system account (created on a
    bootstrap request citing the benchmark when the database has none)."""
    from ioc.accounts.services import system_account_ensure
    from ioc.geo.services import units_load

    system = system_account_ensure(
        document_no="BENCH/2025", document_date=date(2025, 7, 1), issuing_body="Benchmark (docs/benchmarks.md)"
    )
    units_load(actor=system, boundaries=boundaries)


def build_audit_entries(*, n: int, rng: random.Random) -> None:
    """Unsealed audit entries, as a busy year of writes would leave them for the sealer."""
    start = datetime(2025, 7, 1, tzinfo=UTC)
    actions = ["account.create", "role.grant", "notification.enqueue", "geo.units_load", "agency.update"]

    def rows() -> Iterable[tuple[Any, ...]]:
        for i in range(n):
            changes = json.dumps({"n": i})
            yield (
                start + timedelta(seconds=i * 17),
                "bench",
                rng.choice(actions),
                "bench.row",
                str(i),
                f"row {i}",
                changes,
                "127.0.0.1",
                hashlib.md5(str(i).encode(), usedforsecurity=False).hexdigest(),
                "",
                "",
            )

    columns = [
        "created_at",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "changes",
        "address",
        "request_id",
        "digest",
        "link",
    ]
    bulk_insert("audit_auditentry", columns, rows())


# --- citizen reports (issue 3 "Speed") ------------------------------------------------------------------------

BENCH_PROFILE = "hung-yen"
TRACKING_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def bench_setup() -> dict[str, Any]:
    """The hung-yen deployment the benchmark runs on: territory, agencies, accounts, systems and tokens (the
    foundation demo generator) and the eight demo categories with their routing. Idempotent."""
    from ioc.citizen_reports.demo.setup import categories_ensure
    from ioc.demo import foundation
    from ioc.demo.profiles import profile_get
    from ioc.demo.secrets_store import SecretStore

    profile = profile_get(BENCH_PROFILE)
    store = SecretStore(profile.key)
    foundation.generate(profile=profile, rng=random.Random(1), until=datetime.now(UTC), load_units=False, store=store)
    return {"profile": profile, "categories": categories_ensure(profile), "store": store}


def _tracking_code(number: int) -> str:
    """Unique, valid codes ("B" + base-31 of the row number): the benchmark never collides with itself."""
    digits = []
    for _i in range(9):
        number, rest = divmod(number, len(TRACKING_ALPHABET))
        digits.append(TRACKING_ALPHABET[rest])
    return "B" + "".join(reversed(digits))


def _point_pools(units: list[Any], rng: random.Random, per_unit: int = 64) -> dict[int, list[tuple[float, float]]]:
    """Points inside each commune's boundary (its centre when it has none), sampled once and reused."""
    from shapely.geometry import Point, shape
    from shapely.prepared import prep

    pools: dict[int, list[tuple[float, float]]] = {}
    for unit in units:
        found: list[tuple[float, float]] = []
        if unit.geometry:
            geometry = shape(json.loads(unit.geometry))
            prepared, (min_x, min_y, max_x, max_y) = prep(geometry), geometry.bounds
            for _attempt in range(per_unit * 20):
                lon, lat = rng.uniform(min_x, max_x), rng.uniform(min_y, max_y)
                if prepared.contains(Point(lon, lat)):
                    found.append((round(lat, 6), round(lon, 6)))
                    if len(found) >= per_unit:
                        break
        pools[unit.pk] = found or [(float(unit.lat or 20.8), float(unit.lon or 106.1))]
    return pools


def _report_status(rng: random.Random, age_days: float) -> str:
    """Older reports are mostly closed; the last month is still being handled."""
    draw = rng.random()
    if age_days > 30:
        for status, upto in (("published", 0.80), ("rejected", 0.88), ("duplicate", 0.93), ("spam", 0.95)):
            if draw < upto:
                return status
        return "in_progress"
    for status, upto in (
        ("received", 0.1),
        ("verified", 0.2),
        ("forwarded", 0.35),
        ("in_progress", 0.55),
        ("resolved", 0.65),
        ("published", 0.9),
        ("rejected", 0.96),
        ("duplicate", 1.0),
    ):
        if draw < upto:
            return status
    return "published"


def build_reports(*, n: int, rng: random.Random) -> None:
    """R3 benchmark: `n` citizen reports over the last year in the territory's communes (seasonal categories,
    routed agencies, statuses by age, on-time and late handling, ratings) with two timeline events each
    (received, and the current state). Written with `bulk_insert` (COPY on PostgreSQL). No reporter contacts:
    no benchmarked read touches them."""
    from django.db.models import Max

    from ioc.citizen_reports.demo import catalogue
    from ioc.citizen_reports.models import Report, ReportEvent, RoutingRule, search_key
    from ioc.citizen_reports.rollup import cells_ensure, triggers_drop
    from ioc.geo.selectors import grid_cell, territory_get

    setup = bench_setup()
    categories = setup["categories"]
    territory = territory_get(profile=BENCH_PROFILE)
    assert territory is not None
    units = list(territory.communes.order_by("code"))
    pools = _point_pools(units, rng)
    unit_weights = [3.0 if "phường" in (u.unit_type or u.full_name).lower() else 1.0 for u in units]
    routing = {(r.category_id, r.unit_id): r.agency_id for r in RoutingRule.objects.all()}
    now = datetime.now(UTC)
    first_day = (now - timedelta(days=365)).date()
    pairs = [(first_day + timedelta(days=d), spec) for d in range(365) for spec in catalogue.CATEGORIES]
    weights = [catalogue.seasonal_rate(spec, day) for day, spec in pairs]
    picks = rng.choices(pairs, weights=weights, k=n)
    chosen_units = rng.choices(units, weights=unit_weights, k=n)
    first_id = (Report.objects.aggregate(top=Max("id"))["top"] or 0) + 1
    plan: list[dict[str, Any]] = []

    def reports() -> Iterable[Sequence[Any]]:
        for i, ((day, spec), unit) in enumerate(zip(picks, chosen_units, strict=True)):
            category = categories[spec.code]
            received = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(seconds=rng.randrange(86400))
            received = min(received, now - timedelta(seconds=60))
            age = (now - received).total_seconds() / 86400
            status = _report_status(rng, age)
            lat, lon = rng.choice(pools[unit.pk])
            lat, lon = round(lat + rng.uniform(-3e-4, 3e-4), 6), round(lon + rng.uniform(-3e-4, 3e-4), 6)
            agency = (
                routing.get((category.pk, unit.pk)) or routing.get((category.pk, None)) or category.default_agency_id
            )
            row = _report_row(rng, spec, status, received, now)
            code = _tracking_code(first_id + i)
            row.update(
                id=first_id + i,
                tracking_code=code,
                channel=rng.choices(["web", "open311", "hotline", "email", "social"], [42, 28, 15, 9, 6])[0],
                category_id=category.pk,
                description=spec.texts[i % len(spec.texts)].format(
                    street=catalogue.STREETS[i % len(catalogue.STREETS)],
                    landmark=catalogue.LANDMARKS[i % len(catalogue.LANDMARKS)],
                ),
                lat=lat,
                lon=lon,
                unit_id=unit.pk,
                grid_cell=grid_cell(lat, lon),
                agency_id=agency if row.get("forwarded_at") else None,
            )
            row["search_text"] = search_key(tracking_code=code, description=row["description"], address="")
            plan.append({"id": row["id"], "received_at": received, "status": status, "last": row["last_at"]})
            yield _values(Report, row)

    # A million rows through the statistics triggers would cost ~100 µs each: drop them, load, then put them
    # back and sum the cells once (rollup.cells_ensure, what `migrate` also does).
    triggers_drop()
    count = bulk_insert(Report._meta.db_table, _columns(Report), reports())
    _sequence_reset(Report)
    started = time.perf_counter()
    cells_ensure()
    print(f"statistics cells rebuilt in {time.perf_counter() - started:.1f}s")

    def events() -> Iterable[Sequence[Any]]:
        for item in plan:
            yield _values(ReportEvent, {"report_id": item["id"], "at": item["received_at"], "to_status": "received"})
            if item["status"] != "received":
                yield _values(
                    ReportEvent,
                    {
                        "report_id": item["id"],
                        "at": item["last"],
                        "from_status": "received",
                        "to_status": item["status"],
                        "is_public": item["status"] != "spam",
                    },
                )

    bulk_insert(ReportEvent._meta.db_table, _columns(ReportEvent, with_id=False), events())
    print(
        f"reports: {count:,} rows (ids {first_id:,}…), events: {sum(1 + (p['status'] != 'received') for p in plan):,}"
    )


def _report_row(rng: random.Random, spec: Any, status: str, received: datetime, now: datetime) -> dict[str, Any]:
    """The timestamps and outcome of one report in `status`."""
    row: dict[str, Any] = {"status": status, "received_at": received, "last_at": received}
    if status in ("spam", "rejected", "duplicate"):
        moment = received + timedelta(hours=rng.uniform(0.5, 8))
        row.update(closed_at=moment, last_at=moment)
        if status != "duplicate":
            row["rejection_reason"] = rng.choice(("Không thuộc phạm vi tiếp nhận.", "Tin quảng cáo."))
        return row
    if status == "received":
        return row
    verified = received + timedelta(hours=rng.uniform(0.3, 6))
    row.update(verified_at=verified, last_at=verified)
    if status == "verified":
        return row
    forwarded = verified + timedelta(hours=rng.uniform(0.1, 3))
    deadline = forwarded + timedelta(hours=spec.handling_hours * 3)  # about the calendar span of working hours
    row.update(forwarded_at=forwarded, deadline_at=deadline, last_at=forwarded)
    if status in ("forwarded", "in_progress"):
        return row
    late = rng.random() < spec.late_share
    resolved = (
        deadline + timedelta(hours=rng.uniform(2, 96))
        if late
        else forwarded + (deadline - forwarded) * rng.uniform(0.2, 0.95)
    )
    resolved = min(resolved, now - timedelta(seconds=30))
    row.update(resolved_at=resolved, last_at=resolved, result=rng.choice(spec.results))
    if status == "resolved":
        return row
    published = min(resolved + timedelta(hours=rng.uniform(1, 20)), now - timedelta(seconds=10))
    row.update(published_at=published, closed_at=published, last_at=published, handled_on_time=resolved <= deadline)
    if rng.random() < 0.55:
        row["rating"] = rng.choices((1, 2, 3, 4, 5), weights=(5, 8, 15, 32, 40))[0]
    return row


_DEFAULTS: dict[Any, tuple[list[Any], list[Any]]] = {}


def _fields(model: Any, with_id: bool = True) -> list[Any]:
    return [f for f in model._meta.concrete_fields if with_id or not f.primary_key]


def _columns(model: Any, with_id: bool = True) -> list[str]:
    return [f'"{f.column}"' for f in _fields(model, with_id)]


def _values(model: Any, row: dict[str, Any], *, prep: bool = False) -> list[Any]:
    """Database values for every column of `model` (its defaults where `row` has none); pk included when given.
    `prep` converts each value as the ORM would (JSON, UUIDs…); the bulk builders pass plain values instead."""
    with_id = "id" in row
    key = (model, with_id)
    if key not in _DEFAULTS:
        fields = _fields(model, with_id)
        _DEFAULTS[key] = (fields, [f.get_default() for f in fields])
    fields, defaults = _DEFAULTS[key]
    out = []
    for model_field, default in zip(fields, defaults, strict=True):
        value = row.get(model_field.attname, default)
        if prep:
            value = model_field.get_db_prep_save(value, connection)
        elif isinstance(value, datetime) and connection.vendor == "sqlite":
            value = connection.ops.adapt_datetimefield_value(value)
        out.append(value)
    return out


def _sequence_reset(model: Any) -> None:
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(statement)


# --- sensors (issue 11 "Speed"): the builders live in bench/builders_sensors.py -----------------------------


def build_sensors(*, n: int, rng: random.Random) -> None:
    from bench.builders_sensors import build_sensors as build

    build(n=n, rng=rng)


def build_observations(*, n: int, rng: random.Random) -> None:
    from bench.builders_sensors import build_observations as build

    build(n=n, rng=rng)


# --- incidents (issue 12 "Speed") -----------------------------------------------------------------------------


def build_incidents(*, n: int, rng: random.Random) -> None:
    """R4.3 benchmark: `n` open time-bound incidents, each forwarded to one agency of the territory: an assignment
    with its working-time deadline (the agency's calendar) and the incidents' default escalation chain, its next
    step due between a day ago and 60 days ahead; a fifth still wait for acceptance under an accept deadline.
    Written with `bulk_insert`; the escalation sweep's benchmark (bench/incidents_bench.py) drains them."""
    from django.db.models import Max

    from ioc.agencies.models import Agency
    from ioc.assignments.models import Assignment, EscalationChain
    from ioc.geo.selectors import territory_get
    from ioc.incidents.choices import KINDS, PROCESS, Process
    from ioc.incidents.models import Incident
    from ioc.worktime.selectors import calendar_for, deadline_add

    bench_setup()
    territory = territory_get(profile=BENCH_PROFILE)
    assert territory is not None
    units = list(territory.communes.order_by("code"))
    agencies = list(Agency.objects.filter(is_active=True, works_24x7=False).order_by("code"))
    calendars = {a.pk: calendar_for(agency=a) for a in agencies}
    chain = EscalationChain.objects.get(process=PROCESS, category_code="")
    shares = list(chain.steps.order_by("order").values_list("at_share", flat=True))
    kinds = [spec for spec in KINDS.values() if spec.process == Process.TIME_BOUND]
    now = datetime.now(UTC)
    first = (Incident.objects.aggregate(top=Max("id"))["top"] or 0) + 1
    plan: list[dict[str, Any]] = []

    def incidents() -> Iterable[Sequence[Any]]:
        for i in range(n):
            spec, unit, agency = rng.choice(kinds), rng.choice(units), rng.choice(agencies)
            hours = spec.handling_hours
            # the deadline (the chain's first step, at 100 %) falls between a day ago and 60 days ahead
            started = now + timedelta(hours=rng.uniform(-24, 60 * 24)) - timedelta(hours=hours * 3)
            forwarded = started
            row = {"id": first + i, "kind": spec.code, "process": Process.TIME_BOUND, "state": "forwarded"}
            row.update(severity=spec.default_severity, title=f"{spec.label} #{i}", unit_id=unit.pk)
            row.update(raised_at=forwarded - timedelta(minutes=20), verified_at=forwarded, forwarded_at=forwarded)
            row.update(lat=float(unit.lat or 20.8), lon=float(unit.lon or 106.1))
            plan.append({"id": first + i, "spec": spec, "unit": unit, "agency": agency, "started": started})
            yield _values(Incident, row)

    count = bulk_insert(Incident._meta.db_table, _columns(Incident), incidents())
    _sequence_reset(Incident)

    def assignments() -> Iterable[Sequence[Any]]:
        for item in plan:
            spec, started, calendar = item["spec"], item["started"], calendars[item["agency"].pk]
            deadline = deadline_add(start=started, working_hours=spec.handling_hours, calendar=calendar)
            row = {"process": PROCESS, "subject_id": str(item["id"]), "subject_label": f"SC-{item['id']:06d}"}
            row.update(category_code=spec.code, agency_id=item["agency"].pk, unit_id=item["unit"].pk)
            row.update(working_hours=spec.handling_hours, forwarded_at=started, started_at=started)
            row.update(deadline_at=deadline, next_escalation_at=deadline, escalation_chain_id=chain.pk)
            row["at_risk_at"] = deadline_add(start=started, working_hours=spec.handling_hours * 0.8, calendar=calendar)
            hours = spec.handling_hours  # each step's due time, as the clock start computes it (issue 12)
            due = [deadline_add(start=started, working_hours=hours * share, calendar=calendar) for share in shares]
            row["escalation_due"] = json.dumps([[share, at.isoformat()] for share, at in zip(shares, due, strict=True)])
            if rng.random() < 0.2:  # still waiting for acceptance
                accept = deadline_add(start=started, working_hours=spec.accept_hours, calendar=calendar)
                row.update(status="forwarded", accept_within_hours=spec.accept_hours, accept_deadline_at=accept)
                row["next_escalation_at"] = min(accept, deadline)
            else:
                row.update(status="accepted", accepted_at=started + timedelta(minutes=30))
            yield _values(Assignment, row)

    bulk_insert(Assignment._meta.db_table, _columns(Assignment, with_id=False), assignments())
    print(f"incidents: {count:,} open incidents (ids {first:,}…), {count:,} assignments with deadlines")


# --- data hub rows for the sharing read API (issue 10 item 8 "Speed") --------------------------------------------

SHARING_DATASET = "bench-chia-se"
SHARING_TYPES = ["benh_vien", "tram_y_te", "phong_kham", "nha_thuoc"]


def sharing_people() -> Any:
    """The personas (owner agency B, consumer agency A and their officers), created once in the benchmark database."""
    from ioc.accounts.models import User
    from ioc.accounts.testing import personas_create
    from ioc.agencies.models import Agency, InformationSystem

    if not Agency.objects.filter(code="persona-agency-a").exists():
        return personas_create()
    users = {u.username: u for u in User.objects.filter(username__startswith="persona-")}
    return {
        "agency_a": Agency.objects.get(code="persona-agency-a"),
        "agency_b": Agency.objects.get(code="persona-agency-b"),
        "admin": users["persona-admin"],
        "officer_a": users["persona-officer-a"],
        "officer_b": users["persona-officer-b"],
        "system": InformationSystem.objects.get(code="persona-system"),
    }


def _person(people: Any, name: str) -> Any:
    return people[name] if isinstance(people, dict) else getattr(people, name)


def build_datahub_records(*, n: int, rng: random.Random) -> None:
    """`n` current rows of one published point dataset of agency B (`so_giuong` and `loai` filterable), in the
    benchmark territory's communes, one submission; the expression indexes are built once, at publication."""
    from ioc.accounts.selectors import system_account
    from ioc.datahub import services as datahub
    from ioc.datahub.models import Submission
    from ioc.geo.areas import grid_cell
    from ioc.geo.models import AdminUnit
    from ioc.sharing.testing import facilities_schema

    people = sharing_people()
    owner, officer = _person(people, "agency_b"), _person(people, "officer_b")
    dataset = datahub.dataset_create(
        actor=system_account(),
        code=SHARING_DATASET,
        name="Cơ sở y tế (benchmark)",
        owner=owner,
        schema=facilities_schema(),
        frequency="monthly",
    )
    now = datetime.now(UTC)
    submission = Submission.objects.create(
        dataset=dataset,
        agency=owner,
        submitter=officer,
        channel="push",
        received_at=now,
        status="accepted",
        rows_total=n,
        rows_imported=n,
    )
    communes = list(
        AdminUnit.objects.filter(hierarchy="2025", level="commune", lat__isnull=False).values_list("pk", "lat", "lon")
    )[:500]
    columns = [
        "dataset_id",
        "pk_hash",
        "version",
        "is_current",
        "submission_id",
        "unit_id",
        "period",
        "lat",
        "lon",
        "commune_id",
        "grid_cell",
        "data",
    ]

    def rows() -> Iterable[Sequence[Any]]:
        for i in range(n):
            commune_id, lat, lon = communes[i % len(communes)]
            lat, lon = lat + rng.uniform(-0.01, 0.01), lon + rng.uniform(-0.01, 0.01)
            code = f"CS{i:07d}"
            data = {
                "ma_co_so": code,
                "ten_co_so": f"Cơ sở {i}",
                "loai": rng.choice(SHARING_TYPES),
                "ma_xa": "",
                "so_giuong": rng.randint(0, 500),
                "cong_suat": round(rng.uniform(0, 100), 1),
                "vi_do": lat,
                "kinh_do": lon,
            }
            digest = hashlib.sha256(code.encode()).hexdigest()
            yield (
                dataset.pk,
                digest,
                1,
                True,
                submission.pk,
                commune_id,
                "",
                lat,
                lon,
                commune_id,
                grid_cell(lat, lon),
                json.dumps(data, ensure_ascii=False),
            )

    bulk_insert("datahub_record", columns, rows())
    datahub.dataset_publish(actor=system_account(), dataset=dataset)


BUILDERS: dict[str, Callable[..., None]] = {
    "audit_entries": build_audit_entries,
    "reports": build_reports,
    "sensors": build_sensors,
    "observations": build_observations,
    "incidents": build_incidents,
    "datahub_records": build_datahub_records,
}

__all__ = ["BUILDERS", "bench_setup", "bulk_insert", "reference_data"]


# --- monitoring indicators (issue 13 "Speed") -----------------------------------------------------------------

INDICATOR_MONTHS = 36
INDICATOR_SECTORS = (
    "kinh-te", "y-te", "giao-duc", "du-lich", "moi-truong", "an-ninh-trat-tu", "giao-thong", "hanh-chinh-cong",
    "tuong-tac", "an-toan-thong-tin",
)  # fmt: skip


def _indicator_specs(n: int, agencies: list[str], rng: random.Random) -> list[dict[str, Any]]:
    """`n` monthly indicators over ten sectors: every tenth a formula (the sum of the two before it, both summed
    up the hierarchy), a fifth of the others averaged, a third lower-is-better."""
    specs: list[dict[str, Any]] = []
    for i in range(n):
        spec: dict[str, Any] = {
            "code": f"bench_{i:04d}", "name": f"Chỉ số đo tải {i}", "name_en": f"Benchmark indicator {i}",
            "unit_label": "đơn vị", "sector": INDICATOR_SECTORS[i % len(INDICATOR_SECTORS)], "period_type": "month",
            "levels": ["territory", "commune"], "definition": "Chỉ số sinh cho đo tải (docs/benchmarks.md).",
            "agency": agencies[i % len(agencies)], "aggregation": "sum", "direction": "higher",
        }  # fmt: skip
        plain = [s for s in specs if s["aggregation"] == "sum" and s.get("source") != "formula"]
        if i % 10 == 9 and len(plain) >= 2:
            spec.update(source="formula", formula=f"{plain[-1]['code']} + {plain[-2]['code']}")
        elif rng.random() < 0.2:
            spec["aggregation"] = "mean"
        if rng.random() < 0.3:
            spec["direction"] = "lower"
        specs.append(spec)
    return specs


def _indicator_months(now: datetime) -> list[str]:
    from ioc.indicators.periods import shift

    last = shift(f"{now.year}{now.month:02d}", "month", -1)
    return [shift(last, "month", k - INDICATOR_MONTHS + 1) for k in range(INDICATOR_MONTHS)]


def _indicator_values(
    specs: list[dict[str, Any]], months: list[str], units: list[int], rng: random.Random
) -> dict[tuple[str, int | None, str], float]:
    """Commune series (level, trend, season, noise), territory aggregates, formulas evaluated at both levels."""
    values: dict[tuple[str, int | None, str], float] = {}
    for spec in specs:
        if spec.get("source") == "formula":
            left, right = (code.strip() for code in spec["formula"].split("+"))
            for key in [(u, p) for u in [*units, None] for p in months]:
                values[(spec["code"], *key)] = values[(left, *key)] + values[(right, *key)]
            continue
        for unit in units:
            level, slope = rng.uniform(10, 1000), rng.uniform(-0.01, 0.02)
            for t, period in enumerate(months):
                season = 1 + 0.1 * ((t % 12) in (0, 1, 11))
                values[(spec["code"], unit, period)] = round(level * (1 + slope * t) * season * rng.gauss(1, 0.05), 2)
        for period in months:
            column = [values[(spec["code"], u, period)] for u in units]
            total = sum(column) if spec["aggregation"] == "sum" else sum(column) / len(column)
            values[(spec["code"], None, period)] = round(total, 2)
    return values


def build_indicators(*, n: int, rng: random.Random) -> None:
    """R2 benchmark: `n` monthly indicators approved in one catalogue version (through `catalog_version_approve`),
    36 months of values for every commune of the benchmark territory and the territory itself (aggregates and
    formulas as the recomputation would leave them), a territory target for each of the last 12 months (1 in 4
    missed) with the statuses it gives. Values and targets with `bulk_insert`, one audit entry per batch."""
    from ioc.accounts.selectors import system_account
    from ioc.agencies.models import Agency
    from ioc.audit.services import audit_record_bulk
    from ioc.geo.selectors import territory_get
    from ioc.indicators import services
    from ioc.indicators.models import Indicator, Target, Value
    from ioc.indicators.periods import start_date
    from ioc.indicators.status import status_of

    bench_setup()
    actor, now = system_account(), datetime.now(UTC)
    territory = territory_get(profile=BENCH_PROFILE)
    assert territory is not None
    units = list(territory.communes.order_by("code").values_list("pk", flat=True))
    agencies = list(Agency.objects.filter(is_active=True).order_by("code").values_list("code", flat=True))
    specs = _indicator_specs(n, agencies, rng)
    version = services.catalog_version_approve(
        actor=actor,
        decision_no="BENCH/QĐ-CS",
        decision_date=date(2025, 1, 2),
        signer="Đo tải",
        add=specs,  # type: ignore[arg-type]
    )
    months = _indicator_months(now)
    values = _indicator_values(specs, months, units, rng)
    by_code = dict(Indicator.objects.filter(code__in=[s["code"] for s in specs]).values_list("code", "pk"))
    directions = {s["code"]: s["direction"] for s in specs}
    targets = {
        (code, p): values[(code, None, p)] * rng.choice((0.9, 0.95, 1.0, 1.15))
        for code in by_code
        for p in months[-12:]
    }

    def value_rows() -> Iterable[Sequence[Any]]:
        for (code, unit, period), value in values.items():
            target = targets.get((code, period)) if unit is None else None
            status = status_of(direction=directions[code], value=value, target=target, tolerance=0.05,
                               range_low=None, range_high=None)  # fmt: skip
            row = {"indicator_id": by_code[code], "unit_id": unit, "period": period, "value": value,
                   "period_start": start_date(period), "computed": unit is None, "status": status,
                   "version_id": version.pk, "updated_at": now}  # fmt: skip
            yield _values(Value, row)

    def target_rows() -> Iterable[Sequence[Any]]:
        for (code, period), value in targets.items():
            yield _values(Target, {"indicator_id": by_code[code], "unit_id": None, "period": period,
                                   "value": round(value, 2), "set_by_id": actor.pk, "updated_at": now})  # fmt: skip

    count = bulk_insert(Value._meta.db_table, _columns(Value, with_id=False), value_rows())
    bulk_insert(Target._meta.db_table, _columns(Target, with_id=False), target_rows())
    audit_record_bulk(actor=actor, action="indicator_value.bench_load", object_type="indicators.value",
                      rows=[(n, len(units), INDICATOR_MONTHS, count)])  # fmt: skip
    print(f"indicators: {n} indicators, {len(units)} communes, {count:,} values, {len(targets):,} targets")


BUILDERS["indicators"] = build_indicators

# --- online-information items (issue 22 "Speed"): the builder lives with its benchmark (bench/media_dataset.py) ---
from bench.media_dataset import build_media_items  # noqa: E402 - registered after the shared helpers it uses

BUILDERS["media_items"] = build_media_items


# --- security events (issue 21 "Speed"): the builder lives beside its benchmark ------------------------------
def _build_security_events(*, n: int, rng: random.Random) -> None:
    from bench.cyber_events import build_security_events

    build_security_events(n=n, rng=rng)


def _build_security_event_cells(*, n: int, rng: random.Random) -> None:
    from bench.cyber_events import build_security_events

    build_security_events(n=n, rng=rng, events=False)


BUILDERS["security_events"] = _build_security_events
BUILDERS["security_event_cells"] = _build_security_event_cells
