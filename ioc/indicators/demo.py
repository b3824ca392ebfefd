"""The indicators' demo generator (R11, R2.1–R2.5): the ready sets the profile's act calls for, 36 months (12
quarters, 3 years) of plausible history per commune and for the territory, and targets some met and some missed.

Values go in through the import service (the documented bulk path: one audit entry per batch, then one
recomputation of aggregates, formulas, statuses and warnings): the history in one batch, the latest period in a
second; targets through `targets_set_bulk`. Communes and agencies are read from the database, never hard-coded.
One recurring data call (R2.6) asks the agency of the first monthly manual indicator for every month from now on.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from ioc.accounts.selectors import system_account
from ioc.audit.models import AuditEntry
from ioc.audit.services import audit_record
from ioc.common.periods import period_code
from ioc.geo import selectors as geo_selectors
from ioc.indicators import services
from ioc.indicators.choices import Aggregation, Direction, Level, PeriodType, Source
from ioc.indicators.models import Indicator
from ioc.indicators.periods import sequence, shift

MARKER_ACTION = "indicators.demo_loaded"
BATCH_ROWS = 30_000
SPAN = {PeriodType.MONTH: 36, PeriodType.QUARTER: 12, PeriodType.HALF: 6, PeriodType.YEAR: 3}
PER_YEAR = {PeriodType.MONTH: 12, PeriodType.QUARTER: 4, PeriodType.HALF: 2, PeriodType.YEAR: 1}
Series = dict[str, list[float]]  # unit code ("territory" for the root) → values, oldest first


def _last_complete(until: dt.date, period_type: str) -> str:
    return shift(period_code(until, period_type), period_type, -1)


def _rate(rng: random.Random, code: str, n: int, season: int) -> list[float]:
    """A share or an index: a level with a slow drift and noise (CPI near 103, growth near 7 %, AQI 40–90)."""
    if code == "cpi":
        level, drift, noise, low, high = 100 + rng.uniform(2.0, 4.0), 0.0, 0.5, 95.0, 110.0
    elif code == "grdp_tang_truong":
        level, drift, noise, low, high = rng.uniform(5.0, 9.0), 0.0, 0.8, -5.0, 15.0
    elif code == "aqi_trung_binh":
        level, drift, noise, low, high = rng.uniform(40.0, 90.0), -0.05, 6.0, 10.0, 300.0
    else:
        level, drift, noise, low, high = rng.uniform(60.0, 92.0), 0.15, 1.5, 0.0, 100.0
    phase = rng.uniform(0, 2 * math.pi)
    amp = noise if season > 1 else 0.0
    return [
        round(min(high, max(low, level + drift * t + amp * math.sin(2 * math.pi * t / max(season, 1) + phase)
                             + rng.gauss(0, noise))), 2)
        for t in range(n)
    ]  # fmt: skip


def _amount(rng: random.Random, n: int, season: int, scale: float) -> list[float]:
    """A flow (money, visits, cases): a level growing (or shrinking) by a few percent a year, seasonal, noisy."""
    base = scale * rng.lognormvariate(0, 0.5)
    growth = rng.uniform(-0.03, 0.12) / max(season, 1)
    phase = rng.uniform(0, 2 * math.pi)
    amp = rng.uniform(0.05, 0.2) if season > 1 else 0.0
    return [
        round(max(0.0, base * (1 + growth) ** t * (1 + amp * math.sin(2 * math.pi * t / max(season, 1) + phase))
                  * rng.gauss(1, 0.06)), 2)
        for t in range(n)
    ]  # fmt: skip


def _scale(indicator: Indicator) -> float:
    if indicator.code == "so_ho":
        return 4000.0
    return {"tỷ đồng": 20.0, "triệu USD": 15.0, "lượt": 3000.0}.get(indicator.unit_label, 12.0)


def _series(rng: random.Random, indicator: Indicator, units: list[str], n: int) -> Series:
    season = PER_YEAR[PeriodType(indicator.period_type)]
    is_rate = indicator.aggregation != Aggregation.SUM or indicator.unit_label in ("%", "AQI")
    if indicator.code == "so_ho":
        is_rate = False
    holders = units if Level.COMMUNE in indicator.levels else ["territory"]
    factor = 1.0 if Level.COMMUNE in indicator.levels else max(len(units), 1)
    return {
        holder: _rate(rng, indicator.code, n, season)
        if is_rate
        else _amount(rng, n, season, _scale(indicator) * factor)
        for holder in holders
    }


def _territory(indicator: Indicator, series: Series) -> list[float]:
    columns = list(zip(*series.values(), strict=True))
    if indicator.aggregation == Aggregation.SUM:
        return [sum(c) for c in columns]
    return [sum(c) / len(c) for c in columns]


def _targets(
    rng: random.Random, indicator: Indicator, periods: list[str], actual: list[float]
) -> list[tuple[Indicator, int | None, str, float]]:
    """Per-period targets for the last year and annual targets for each year: some met, some missed."""
    if indicator.direction == Direction.RANGE:
        return []
    miss = rng.random() < 0.4
    lower = indicator.direction == Direction.LOWER
    factor = (0.9 if lower else 1.1) if miss else (1.08 if lower else 0.94)
    season = PER_YEAR[PeriodType(indicator.period_type)]
    pairs = zip(periods[-season:], actual[-season:], strict=True)
    rows: list[tuple[Indicator, int | None, str, float]] = [
        (indicator, None, p, round(v * factor, 2)) for p, v in pairs
    ]
    if indicator.period_type != PeriodType.YEAR:
        by_year: dict[str, list[float]] = {}
        for period, value in zip(periods, actual, strict=True):
            by_year.setdefault(period[:4], []).append(value)
        for year, values in by_year.items():
            if len(values) == season:
                total = sum(values) if indicator.aggregation == Aggregation.SUM else sum(values) / len(values)
                rows.append((indicator, None, year, round(total * factor, 2)))
    return rows


def _rows(indicator: Indicator, periods: list[str], series: Series) -> list[services.ValueRow]:
    return [
        services.ValueRow(indicator=indicator.code, period=p, unit=holder, value=v)
        for holder, values in series.items()
        for p, v in zip(periods, values, strict=True)
    ]


def _batches(rows: list[services.ValueRow]) -> list[list[services.ValueRow]]:
    """Batches under the import's row limit, each holding whole indicators (rows come grouped by indicator)."""
    batches: list[list[services.ValueRow]] = [[]]
    for row in rows:
        full = len(batches[-1]) >= BATCH_ROWS
        if full and row["indicator"] != batches[-1][-1]["indicator"]:
            batches.append([])
        batches[-1].append(row)
    return [b for b in batches if b]


def _import(actor: Any, rows: list[services.ValueRow], profile: str) -> int:
    """One batch through the import service; a conflict is a bug of the generator: fail loudly."""
    summary = services.values_import(actor=actor, rows=rows, profile=profile)
    if summary["conflicts"]:
        raise ValidationError({"indicators": [str(c) for c in summary["conflicts"][:5]]})
    return summary["imported"] + summary["updated"]


def _call_rule(actor: Any, indicators: list[Indicator]) -> int:
    """R2.6: one recurring monthly call, through the service, to the agency of the first monthly manual indicator."""
    monthly = [i for i in indicators if i.period_type == PeriodType.MONTH and i.source == Source.MANUAL and i.agency]
    if not monthly or monthly[0].agency is None:
        return 0
    services.call_rule_create(
        actor=actor, indicator=monthly[0], agency=monthly[0].agency, period_type=PeriodType.MONTH, working_days=5,
        note="Báo cáo số liệu tháng theo quy chế",
    )  # fmt: skip
    return 1


def generate(*, profile: Any, rng: random.Random, until: dt.datetime) -> dict[str, int]:
    """R11: the ready sets, the history in bulk, the latest period, the targets."""
    actor = system_account()
    if AuditEntry.objects.filter(action=MARKER_ACTION, object_id=profile.key).exists():
        return {"already_loaded": 1}
    territory = geo_selectors.territory_get(profile=profile.key)
    units = [] if territory is None else list(
        geo_selectors.territory_communes(territory=territory).values_list("code", flat=True)
    )  # fmt: skip
    with transaction.atomic():
        services.readyset_load(
            actor=actor, profile=profile.key, decision_no="01/QĐ-UBND (bộ chỉ số mẫu)",
            decision_date=(until - dt.timedelta(days=1200)).date(), signer="Chủ tịch UBND",
        )  # fmt: skip
        history: list[services.ValueRow] = []
        latest: list[services.ValueRow] = []
        targets: list[tuple[Indicator, int | None, str, float]] = []
        indicators = list(Indicator.objects.filter(is_active=True).exclude(source=Source.FORMULA).order_by("code"))
        for indicator in indicators:
            periods = sequence(_last_complete(until.date(), indicator.period_type), indicator.period_type,
                               SPAN[PeriodType(indicator.period_type)])  # fmt: skip
            series = _series(rng, indicator, units, len(periods))
            rows = _rows(indicator, periods, series)
            history += [r for r in rows if r["period"] != periods[-1]]
            latest += [r for r in rows if r["period"] == periods[-1]]
            targets += _targets(rng, indicator, periods, _territory(indicator, series))
        imported = sum(_import(actor, batch, profile.key) for batch in _batches(history))
        recent = _import(actor, latest, profile.key)
        set_targets = services.targets_set_bulk(actor=actor, rows=targets) if targets else 0
        result = {
            "indicators": len(indicators),
            "values_history": imported,
            "values_latest": recent,
            "targets": set_targets,
            "call_rules": _call_rule(actor, indicators),
        }
        audit_record(actor=actor, action=MARKER_ACTION, object_type="demo.profile", object_id=profile.key,
                     changes=result)  # fmt: skip
    return result
