"""The data hub's demo generator (R11, issue 10 item 10): eight datasets owned by the profile's departments —
health facilities and schools (map layers), tourist arrivals and budget revenue by commune and month,
environmental monitoring points, and the point layers of tourist sites, power substations and water-supply plants
(the last with a paused pull connector) — with a year of submissions loaded in bulk (`submission_load_bulk`, one audit
entry per dataset), some rejected, and the last 14 days through `submission_ingest` (a correction that keeps the
old version, the latest months, an upload refused for TCVN3 text). Agencies and communes are read from the
database (any profile); `generate` is listed in `ioc/demo/registry.py`.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import shapely
from django.db import transaction

from ioc.accounts import selectors as account_selectors
from ioc.accounts.models import User
from ioc.agencies.choices import AgencyKind
from ioc.agencies.models import Agency
from ioc.audit.models import AuditEntry
from ioc.audit.services import audit_record
from ioc.common.periods import LOCAL_TZ
from ioc.common.text import fold
from ioc.datahub import services
from ioc.datahub.choices import Channel, Frequency, ObligationFrequency, Sensitivity
from ioc.datahub.models import Dataset
from ioc.geo import selectors as geo_selectors
from ioc.geo.models import AdminUnit

MARKER_ACTION = "demo.datahub"
HISTORY_MONTHS = 12
RECENT_DAYS = 14
# Month factors of tourist arrivals: Tết and the summer holidays.
SEASON = {1: 1.3, 2: 1.6, 3: 1.0, 4: 1.1, 5: 1.2, 6: 1.4, 7: 1.5, 8: 1.4, 9: 0.9, 10: 0.9, 11: 0.8, 12: 1.0}


def _field(name: str, title: str, type_: str = "string", /, **extra: Any) -> dict[str, Any]:
    return {"name": name, "title": title, "type": type_, **extra}


REQUIRED = {"constraints": {"required": True}}
UNIT = _field("ma_xa", "Mã xã", "string", **{"ioc:role": "unit"}, **REQUIRED)
LAT = _field("vi_do", "Vĩ độ", "number", **{"ioc:role": "lat"})
LON = _field("kinh_do", "Kinh độ", "number", **{"ioc:role": "lon"})
PERIOD = _field("ky", "Kỳ báo cáo", "string", **{"ioc:role": "period"}, **REQUIRED)


@dataclass(frozen=True)
class Spec:
    code: str
    name: str
    owner_keywords: tuple[str, ...]
    frequency: str
    schema: dict[str, Any]
    sensitivity: str = Sensitivity.INTERNAL


SPECS = (
    Spec(
        "co-so-y-te",
        "Cơ sở khám, chữa bệnh",
        ("y te",),
        Frequency.MONTHLY,
        {
            "fields": [
                _field("ma_co_so", "Mã cơ sở", **REQUIRED),
                _field("ten_co_so", "Tên cơ sở", **REQUIRED),
                _field(
                    "loai",
                    "Loại cơ sở",
                    constraints={"required": True, "enum": ["benh_vien", "trung_tam_y_te", "tram_y_te"]},
                    **{"ioc:filterable": True},
                ),
                UNIT,
                _field("so_giuong", "Số giường bệnh", "integer", constraints={"minimum": 0}, **{"ioc:role": "value"}),
                LAT,
                LON,
            ],
            "primaryKey": ["ma_co_so"],
            "ioc:layer": "hospital",
        },
        Sensitivity.PUBLIC,
    ),
    Spec(
        "truong-hoc",
        "Trường học",
        ("giao duc",),
        Frequency.YEARLY,
        {
            "fields": [
                _field("ma_truong", "Mã trường", **REQUIRED),
                _field("ten_truong", "Tên trường", **REQUIRED),
                _field(
                    "cap_hoc",
                    "Cấp học",
                    constraints={"required": True, "enum": ["mam_non", "tieu_hoc", "thcs", "thpt"]},
                    **{"ioc:filterable": True},
                ),
                UNIT,
                _field("so_hoc_sinh", "Số học sinh", "integer", constraints={"minimum": 0}, **{"ioc:role": "value"}),
                LAT,
                LON,
            ],
            "primaryKey": ["ma_truong"],
            "ioc:layer": "school",
        },
        Sensitivity.PUBLIC,
    ),
    Spec(
        "luot-khach-du-lich",
        "Lượt khách du lịch theo xã",
        ("van hoa", "du lich"),
        Frequency.MONTHLY,
        {
            "fields": [
                UNIT,
                PERIOD,
                _field("luot_khach", "Lượt khách", "integer", constraints={"minimum": 0}, **{"ioc:role": "value"}),
                _field("khach_quoc_te", "Trong đó khách quốc tế", "integer", constraints={"minimum": 0}),
            ],
            "primaryKey": ["ma_xa", "ky"],
        },
    ),
    Spec(
        "thu-ngan-sach",
        "Thu ngân sách nhà nước theo xã",
        ("tai chinh",),
        Frequency.MONTHLY,
        {
            "fields": [
                UNIT,
                PERIOD,
                _field(
                    "thu_ngan_sach",
                    "Thu ngân sách (triệu đồng)",
                    "number",
                    constraints={"minimum": 0},
                    **{"ioc:role": "value"},
                ),
            ],
            "primaryKey": ["ma_xa", "ky"],
        },
    ),
    Spec(
        "diem-du-lich",
        "Điểm, khu du lịch",
        ("van hoa", "du lich"),
        Frequency.YEARLY,
        {
            "fields": [
                _field("ma_diem", "Mã điểm du lịch", **REQUIRED),
                _field("ten_diem", "Tên điểm du lịch", **REQUIRED),
                _field(
                    "loai",
                    "Loại hình",
                    constraints={"required": True, "enum": ["di_tich", "sinh_thai", "tam_linh", "lang_nghe"]},
                    **{"ioc:filterable": True},
                ),
                UNIT,
                _field(
                    "suc_chua", "Sức chứa (khách/ngày)", "integer", constraints={"minimum": 0}, **{"ioc:role": "value"}
                ),
                LAT,
                LON,
            ],
            "primaryKey": ["ma_diem"],
            "ioc:layer": "tourist_site",
        },
        Sensitivity.PUBLIC,
    ),
    Spec(
        "tram-bien-ap",
        "Trạm biến áp 110 kV",
        ("cong thuong", "dien"),
        Frequency.YEARLY,
        {
            "fields": [
                _field("ma_tram", "Mã trạm", **REQUIRED),
                _field("ten_tram", "Tên trạm", **REQUIRED),
                UNIT,
                _field("cong_suat", "Công suất (MVA)", "number", constraints={"minimum": 0}, **{"ioc:role": "value"}),
                LAT,
                LON,
            ],
            "primaryKey": ["ma_tram"],
            "ioc:layer": "power",
        },
    ),
    Spec(
        "nha-may-nuoc",
        "Nhà máy, trạm cấp nước sạch",
        ("xay dung", "nong nghiep"),
        Frequency.YEARLY,
        {
            "fields": [
                _field("ma_tram", "Mã trạm cấp nước", **REQUIRED),
                _field("ten_tram", "Tên trạm cấp nước", **REQUIRED),
                UNIT,
                _field(
                    "cong_suat",
                    "Công suất (m³/ngày đêm)",
                    "integer",
                    constraints={"minimum": 0},
                    **{"ioc:role": "value"},
                ),
                LAT,
                LON,
            ],
            "primaryKey": ["ma_tram"],
            "ioc:layer": "water",
        },
        Sensitivity.PUBLIC,
    ),
    Spec(
        "diem-quan-trac-moi-truong",
        "Điểm quan trắc môi trường không khí",
        ("moi truong", "nong nghiep"),
        Frequency.QUARTERLY,
        {
            "fields": [
                _field("ma_diem", "Mã điểm", **REQUIRED),
                PERIOD,
                _field("ten_diem", "Tên điểm quan trắc", **REQUIRED),
                UNIT,
                _field("pm25", "Bụi PM2.5 (µg/m³)", "number", constraints={"minimum": 0}, **{"ioc:role": "value"}),
                LAT,
                LON,
            ],
            "primaryKey": ["ma_diem", "ky"],
            "ioc:layer": "environment",
        },
        Sensitivity.PUBLIC,
    ),
)


@dataclass
class Context:
    profile: Any
    rng: random.Random
    until: dt.datetime
    actor: User
    communes: list[AdminUnit]
    points: dict[int, tuple[float, float]]


def generate(*, profile: Any, rng: random.Random, until: dt.datetime) -> dict[str, int]:
    """R11: the datasets, a year of submissions in bulk, the last 14 days through the services (idempotent)."""
    if AuditEntry.objects.filter(action=MARKER_ACTION, object_id=profile.key).exists():
        return {"already_loaded": 1}
    territory = geo_selectors.territory_get(profile=profile.key)
    communes = list(territory.communes.order_by("code")) if territory is not None else []
    if not communes:
        return {"datasets": 0}
    ctx = Context(profile, rng, until, account_selectors.system_account(), communes, {})
    with transaction.atomic():
        datasets = {spec.code: _dataset(ctx, spec) for spec in SPECS}
        history = sum(_history(ctx, datasets[spec.code], spec) for spec in SPECS)
        recent = _recent(ctx, datasets)
        obligations = _obligations(ctx, datasets)
        code, url = CONNECTOR
        endpoint = services.ConnectorSettings(url=url, json_path="data.items", interval_minutes=1440, is_active=False)
        services.connector_set(actor=ctx.actor, dataset=datasets[code], values=endpoint)
        audit_record(
            actor=ctx.actor,
            action=MARKER_ACTION,
            object_type="demo.profile",
            object_id=profile.key,
            changes={"history": history, "recent": recent, "until": until.isoformat()},
        )
    return {
        "datasets": len(datasets),
        "submissions_history": history,
        "submissions_recent": recent,
        "obligations": obligations,
    }


def _owner(keywords: tuple[str, ...]) -> Agency:
    """The profile's agency whose name holds a keyword (folded), else its first department, else any agency."""
    agencies = list(Agency.objects.filter(is_active=True).order_by("code"))
    for keyword in keywords:
        found = next((a for a in agencies if keyword in fold(a.name)), None)
        if found is not None:
            return found
    departments = [a for a in agencies if a.kind == AgencyKind.DEPARTMENT]
    return (departments or agencies)[0]


def _dataset(ctx: Context, spec: Spec) -> Dataset:
    existing = Dataset.objects.filter(code=spec.code).first()
    if existing is not None:
        return existing
    dataset = services.dataset_create(
        actor=ctx.actor,
        code=spec.code,
        name=spec.name,
        owner=_owner(spec.owner_keywords),
        schema=spec.schema,
        frequency=spec.frequency,
        sensitivity=spec.sensitivity,
        description="Dữ liệu mẫu (demo)",
    )
    return services.dataset_publish(actor=ctx.actor, dataset=dataset)


# --- the rows -------------------------------------------------------------------------------------------
def _point(ctx: Context, unit: AdminUnit, salt: int) -> tuple[float, float]:
    """A point inside the commune (random, reproducible), else its representative point."""
    key = unit.pk * 10 + salt
    if key not in ctx.points:
        geometry = shapely.from_geojson(unit.geometry) if unit.geometry else None
        point = None
        if geometry is not None:
            min_x, min_y, max_x, max_y = geometry.bounds
            for _try in range(30):
                candidate = shapely.Point(ctx.rng.uniform(min_x, max_x), ctx.rng.uniform(min_y, max_y))
                if geometry.contains(candidate):
                    point = candidate
                    break
            point = point or geometry.representative_point()
        ctx.points[key] = (
            (round(point.y, 6), round(point.x, 6))
            if point is not None
            else (float(unit.lat or 0), float(unit.lon or 0))
        )
    return ctx.points[key]


def _facilities(ctx: Context) -> list[dict[str, Any]]:
    rows = []
    for index, unit in enumerate(ctx.communes):
        lat, lon = _point(ctx, unit, 1)
        rows.append(_place("TYT", unit, f"Trạm y tế {unit.name}", "tram_y_te", ctx.rng.randint(3, 10), lat, lon))
        if index % 8 == 0:
            lat, lon = _point(ctx, unit, 2)
            kind, name = ("benh_vien", "Bệnh viện đa khoa") if index % 16 == 0 else ("trung_tam_y_te", "Trung tâm y tế")
            rows.append(_place("BV", unit, f"{name} {unit.name}", kind, ctx.rng.randint(80, 500), lat, lon))
    return [
        {"ma_co_so": r["ma"], "ten_co_so": r["ten"], "loai": r["loai"], "so_giuong": r["so"], **r["geo"]} for r in rows
    ]


def _schools(ctx: Context) -> list[dict[str, Any]]:
    rows = []
    for unit in ctx.communes:
        for salt, (level, label, size) in enumerate(
            (("tieu_hoc", "Trường Tiểu học", (300, 900)), ("thcs", "Trường THCS", (250, 800))), start=3
        ):
            lat, lon = _point(ctx, unit, salt)
            rows.append(_place(level.upper(), unit, f"{label} {unit.name}", level, ctx.rng.randint(*size), lat, lon))
    return [
        {"ma_truong": r["ma"], "ten_truong": r["ten"], "cap_hoc": r["loai"], "so_hoc_sinh": r["so"], **r["geo"]}
        for r in rows
    ]


SITE_KINDS = (
    ("di_tich", "Khu di tích"),
    ("sinh_thai", "Khu sinh thái"),
    ("tam_linh", "Đền, chùa"),
    ("lang_nghe", "Làng nghề"),
)


def _sites(ctx: Context) -> list[dict[str, Any]]:
    """Tourist sites in one commune of three."""
    rows = []
    for index, unit in enumerate(ctx.communes[::3]):
        kind, label = SITE_KINDS[index % len(SITE_KINDS)]
        lat, lon = _point(ctx, unit, 6)
        rows.append(_place("DL", unit, f"{label} {unit.name}", kind, ctx.rng.randint(200, 5000), lat, lon))
    return [
        {"ma_diem": r["ma"], "ten_diem": r["ten"], "loai": r["loai"], "suc_chua": r["so"], **r["geo"]} for r in rows
    ]


def _substations(ctx: Context) -> list[dict[str, Any]]:
    """A 110 kV substation in one commune of ten."""
    rows = []
    for unit in ctx.communes[::10]:
        lat, lon = _point(ctx, unit, 7)
        rows.append(
            {
                "ma_tram": f"TBA-{unit.code}",
                "ten_tram": f"Trạm biến áp 110 kV {unit.name}",
                "ma_xa": unit.code,
                "cong_suat": ctx.rng.choice((40, 63, 80, 126)),
                "vi_do": lat,
                "kinh_do": lon,
            }
        )
    return rows


def _water(ctx: Context) -> list[dict[str, Any]]:
    """A water-supply plant in one commune of six."""
    rows = []
    for unit in ctx.communes[::6]:
        lat, lon = _point(ctx, unit, 8)
        rows.append(
            {
                "ma_tram": f"CN-{unit.code}",
                "ten_tram": f"Trạm cấp nước sạch {unit.name}",
                "ma_xa": unit.code,
                "cong_suat": ctx.rng.randint(10, 80) * 100,
                "vi_do": lat,
                "kinh_do": lon,
            }
        )
    return rows


POINT_LISTS: dict[str, Callable[[Context], list[dict[str, Any]]]] = {
    "co-so-y-te": _facilities,
    "truong-hoc": _schools,
    "diem-du-lich": _sites,
    "tram-bien-ap": _substations,
    "nha-may-nuoc": _water,
}


def _place(prefix: str, unit: AdminUnit, name: str, kind: str, size: int, lat: float, lon: float) -> dict[str, Any]:
    return {
        "ma": f"{prefix}-{unit.code}",
        "ten": name,
        "loai": kind,
        "so": size,
        "geo": {"ma_xa": unit.code, "vi_do": lat, "kinh_do": lon},
    }


def _tourism(ctx: Context, month: dt.date) -> list[dict[str, Any]]:
    rows = []
    for unit in ctx.communes:
        base = 800 + (int(unit.code) % 37) * 150
        arrivals = int(base * SEASON[month.month] * ctx.rng.uniform(0.85, 1.15))
        rows.append(
            {"ma_xa": unit.code, "ky": f"{month:%Y%m}", "luot_khach": arrivals, "khach_quoc_te": arrivals // 20}
        )
    return rows


def _revenue(ctx: Context, month: dt.date) -> list[dict[str, Any]]:
    return [
        {
            "ma_xa": unit.code,
            "ky": f"{month:%Y%m}",
            "thu_ngan_sach": round((2000 + (int(unit.code) % 53) * 300) * ctx.rng.uniform(0.7, 1.3), 1),
        }
        for unit in ctx.communes
    ]


def _monitoring(ctx: Context, quarter: str) -> list[dict[str, Any]]:
    rows = []
    for unit in ctx.communes[::4]:
        lat, lon = _point(ctx, unit, 5)
        rows.append(
            {
                "ma_diem": f"QT-{unit.code}",
                "ky": quarter,
                "ten_diem": f"Điểm quan trắc không khí {unit.name}",
                "ma_xa": unit.code,
                "pm25": round(ctx.rng.uniform(18, 55), 1),
                "vi_do": lat,
                "kinh_do": lon,
            }
        )
    return rows


# --- history and the last 14 days --------------------------------------------------------------------------
def _months(ctx: Context) -> list[dt.date]:
    """The reported months: each reported on the 5th of the next month, the last HISTORY_MONTHS of them."""
    local = ctx.until.astimezone(LOCAL_TZ).date()
    first = dt.date(local.year, local.month, 1)
    months = []
    for back in range(1, HISTORY_MONTHS + 1):
        year, month = divmod(first.year * 12 + first.month - 1 - back, 12)
        months.append(dt.date(year, month + 1, 1))
    return sorted(months)


def _due(month: dt.date, day: int = 5) -> dt.datetime:
    year, month_index = divmod(month.year * 12 + month.month, 12)
    return dt.datetime(year, month_index + 1, day, 9, 30, tzinfo=LOCAL_TZ)


def _is_recent(ctx: Context, moment: dt.datetime) -> bool:
    return moment > ctx.until - dt.timedelta(days=RECENT_DAYS)


def _history(ctx: Context, dataset: Dataset, spec: Spec) -> int:
    """The older submissions of one dataset in bulk; two of the monthly ones rejected, then sent again."""
    builders: dict[str, Callable[[Context, dt.date], list[dict[str, Any]]]] = {
        "luot-khach-du-lich": _tourism,
        "thu-ngan-sach": _revenue,
    }
    batch: list[services.BulkSubmission] = []
    owner = dataset.owner
    if spec.code in builders:
        for month in _months(ctx):
            received = _due(month)
            if _is_recent(ctx, received):
                continue
            rows = builders[spec.code](ctx, month)
            if month.month in (3, 9):  # a wrong unit code: rejected whole, sent again two days later
                bad = [dict(rows[0], ma_xa="00000"), *rows[1:]]
                batch.append(services.BulkSubmission(owner, Channel.UPLOAD, received, bad, file_name="bao-cao.xlsx"))
                received += dt.timedelta(days=2)
            batch.append(services.BulkSubmission(owner, Channel.PUSH, received, rows))
    elif spec.code == "diem-quan-trac-moi-truong":
        for month in _months(ctx)[2::3]:
            quarter = f"{month.year}Q{(month.month - 1) // 3 + 1}"
            received = _due(month, day=10)
            if not _is_recent(ctx, received):
                batch.append(services.BulkSubmission(owner, Channel.UPLOAD, received, _monitoring(ctx, quarter)))
    else:
        rows = POINT_LISTS[spec.code](ctx)
        received = _due(_months(ctx)[0])
        batch.append(services.BulkSubmission(owner, Channel.UPLOAD, received, rows, file_name="danh-sach.xlsx"))
    if batch:
        services.submission_load_bulk(actor=ctx.actor, dataset=dataset, batch=batch)
    return len(batch)


def _recent(ctx: Context, datasets: dict[str, Dataset]) -> int:
    """The last 14 days through the ingest service: months due in the window, a correction of three facilities
    (their old versions stay readable) and an upload refused for TCVN3 text."""
    count = 0
    for code, builder in (("luot-khach-du-lich", _tourism), ("thu-ngan-sach", _revenue)):
        for month in _months(ctx):
            if _is_recent(ctx, _due(month)):
                count += _ingest(ctx, datasets[code], rows=builder(ctx, month))
    facilities = datasets["co-so-y-te"]
    corrected = [dict(row, so_giuong=row["so_giuong"] + 2) for row in _facilities(ctx)[:3]]
    count += _ingest(ctx, facilities, rows=corrected)
    header = "Mã cơ sở,Tên cơ sở,Loại cơ sở,Mã xã,Số giường bệnh,Vĩ độ,Kinh độ\r\n"
    legacy = f"TYT-X,Tr¹m y tÕ x·,tram_y_te,{ctx.communes[0].code},5,,\r\n"
    count += _ingest(ctx, facilities, content=(header + legacy).encode("utf-8"), file_name="tram-y-te.csv")
    return count


# R1.3: who owes what. The facilities follow the template cadence (Monday and Thursday where the profile sets it,
# else the same days) and are mostly missing; tourism is due at 08:00, before the 09:30 submissions, so late;
# revenue and monitoring come on time; revenue is also owed by other agencies that never send it (missing).
OBLIGATIONS: dict[str, dict[str, Any]] = {
    "co-so-y-te": {"frequency": ObligationFrequency.TEMPLATE, "weekdays": [1, 4]},
    "truong-hoc": {"frequency": ObligationFrequency.YEARLY, "day": 15, "month": 9},
    "luot-khach-du-lich": {"frequency": ObligationFrequency.MONTHLY, "day": 5, "due_time": "08:00"},
    "thu-ngan-sach": {"frequency": ObligationFrequency.MONTHLY, "day": 5},
    "diem-quan-trac-moi-truong": {"frequency": ObligationFrequency.QUARTERLY, "day": 5},
    "diem-du-lich": {"frequency": ObligationFrequency.YEARLY, "day": 15, "month": 1},
    "tram-bien-ap": {"frequency": ObligationFrequency.YEARLY, "day": 15, "month": 1},
    "nha-may-nuoc": {"frequency": ObligationFrequency.YEARLY, "day": 15, "month": 1},
}
# R1.2b: the water plants' list is also offered by the water company's system; its pull connector is paused until
# the province gives the real address (a `.invalid` host is never called).
CONNECTOR = ("nha-may-nuoc", "https://cap-nuoc.example.invalid/api/tram-cap-nuoc")
OTHER_REVENUE_AGENCIES = 3


def _obligations(ctx: Context, datasets: dict[str, Dataset]) -> int:
    starts_on = (ctx.until - dt.timedelta(days=90)).astimezone(LOCAL_TZ).date()
    owed = [(datasets[code], datasets[code].owner, rule) for code, rule in OBLIGATIONS.items()]
    revenue = datasets["thu-ngan-sach"]
    others = list(Agency.objects.filter(is_active=True).exclude(pk=revenue.owner_id).order_by("code"))
    for agency in ctx.rng.sample(others, min(OTHER_REVENUE_AGENCIES, len(others))):
        owed.append((revenue, agency, OBLIGATIONS["thu-ngan-sach"]))
    for dataset, agency, rule in owed:
        services.obligation_set(actor=ctx.actor, dataset=dataset, agency=agency, starts_on=starts_on, **rule)
    return len(owed)


def _ingest(ctx: Context, dataset: Dataset, **payload: Any) -> int:
    channel = Channel.UPLOAD if "content" in payload else Channel.PUSH
    services.submission_ingest(actor=ctx.actor, dataset=dataset, agency=dataset.owner, channel=channel, **payload)
    return 1
