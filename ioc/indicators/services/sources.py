"""R2.1, R2.3 and DESIGN "Contracts: datasets → indicators": the two hand-offs that fill indicators from other apps.

- A **dataset field** (`source=dataset`, `dataset_field = "<dataset code>.<field>"`) is filled from the current
  records of that dataset's accepted submissions, by unit and period (`datahub.selectors.dataset_field_series`,
  aggregated with the indicator's `source_aggregate`). The sync keeps a watermark per dataset (`SyncMark`: the last
  submission id read) and re-reads only the (period, unit) cells later submissions touched; a durable sweep
  (`tasks.sync_indicator_sources`, every 5 minutes, selected by the watermark, safe to run twice) and the
  configuration page's "sync now" (`full=True`: every cell) call it. The data hub never imports the indicators.
- A **sensor datastream** (`source=sensor`) is read with `sensors.selectors.datastream_aggregate` for the current
  period and the one before (the closed period gets its final figure), for the whole territory.

Either way the figures go in as reported values through `values_import` (one audit entry per batch, recomputed
aggregates, formulas, statuses and warnings, answered data calls). A cell the indicator cannot take (a unit
outside the territory or its levels, a period that is not of its type, a negative figure) is left out and counted.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from ioc.common.periods import period_code
from ioc.datahub import selectors as datahub_selectors
from ioc.indicators.choices import Source, SourceAggregate
from ioc.indicators.models import Indicator, SyncMark
from ioc.indicators.periods import shift
from ioc.indicators.services.values import TERRITORY, ValueRow, values_check, values_import
from ioc.sensors import selectors as sensor_selectors
from ioc.worktime.selectors import LOCAL_TZ

if TYPE_CHECKING:
    from ioc.accounts.models import User

# The data hub's names of the aggregates (`dataset_field_series(agg=…)`).
DATAHUB_AGG = {
    SourceAggregate.SUM: "sum",
    SourceAggregate.MEAN: "avg",
    SourceAggregate.MIN: "min",
    SourceAggregate.MAX: "max",
    SourceAggregate.COUNT: "count",
}
SENSOR_PERIODS = 2  # the current period and the one before it


@dataclass
class SyncResult:
    """What a sync stored: values written, cells left out (with why), and the datasets or datastreams read."""

    stored: int = 0
    skipped: int = 0
    sources: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    def add(self, other: SyncResult) -> None:
        self.stored += other.stored
        self.skipped += other.skipped
        self.sources += other.sources
        self.reasons += other.reasons


def _store(actor: User, rows: list[ValueRow], source: str) -> SyncResult:
    """Store the rows the indicators can take (all or nothing for those); the others are counted with why."""
    _clean, conflicts = values_check(actor=actor, rows=rows)
    bad = {c["row"] for c in conflicts}
    good = [row for n, row in enumerate(rows, start=1) if n not in bad]
    result = SyncResult(skipped=len(bad), sources=[source], reasons=sorted({c["reason"] for c in conflicts}))
    if good:
        summary = values_import(actor=actor, rows=good)
        result.stored = summary["imported"] + summary["updated"]
    return result


def _dataset_rows(indicator: Indicator, since: int | None) -> list[ValueRow]:
    dataset_code, _dot, name = indicator.dataset_field.partition(".")
    series = datahub_selectors.dataset_field_series(
        dataset_code=dataset_code,
        field=name,
        agg=DATAHUB_AGG[SourceAggregate(indicator.source_aggregate)],
        period_type=indicator.period_type,
        since_submission=since,
    )
    return [
        {
            "indicator": indicator.code,
            "period": cell["period"],
            "unit": cell["unit"] or TERRITORY,
            "value": cell["value"],
        }
        for cell in series
        if cell["period"] and cell["value"] is not None
    ]


def _dataset_groups(indicators: list[Indicator] | None) -> dict[str, list[Indicator]]:
    qs = Indicator.objects.filter(is_active=True, source=Source.DATASET).order_by("code")
    if indicators is not None:
        qs = qs.filter(pk__in=[i.pk for i in indicators])
    groups: dict[str, list[Indicator]] = defaultdict(list)
    for indicator in qs:
        groups[indicator.dataset_field.partition(".")[0]].append(indicator)
    return groups


@transaction.atomic
def _dataset_sync(actor: User, dataset_code: str, indicators: list[Indicator], *, full: bool) -> SyncResult:
    mark, _created = SyncMark.objects.select_for_update().get_or_create(key=f"dataset:{dataset_code}")
    stored = datahub_selectors.submission_list().filter(dataset__code=dataset_code)
    newest = stored.aggregate(last=Max("pk"))["last"] or 0
    if newest <= mark.position and not full:
        return SyncResult()
    rows = [row for indicator in indicators for row in _dataset_rows(indicator, None if full else mark.position)]
    result = _store(actor, rows, f"dataset:{dataset_code}")
    mark.position = max(newest, mark.position)
    mark.save(update_fields=["position", "updated_at"])
    return result


def dataset_indicators_sync(
    *, actor: User, indicators: list[Indicator] | None = None, full: bool = False
) -> SyncResult:
    """DESIGN "Datasets → indicators": values of the dataset-fed indicators (all, or those given) from the accepted
    submissions after each dataset's watermark (`full`: every current record again). Safe to run twice."""
    result = SyncResult()
    for dataset_code, group in _dataset_groups(indicators).items():
        result.add(_dataset_sync(actor, dataset_code, group, full=full))
    return result


def _recent_periods(period_type: str, now: dt.datetime, count: int) -> list[str]:
    current = period_code(now.astimezone(LOCAL_TZ).date(), period_type)
    return [shift(current, period_type, -k) for k in range(count - 1, -1, -1)]


def _sensor_value(indicator: Indicator, period: str) -> float | None:
    assert indicator.datastream is not None
    figures = sensor_selectors.datastream_aggregate(datastream=indicator.datastream, period=period)
    if not figures["count"]:
        return None
    value = figures[indicator.source_aggregate]
    return None if value is None else float(value)


def sensor_indicators_sync(
    *,
    actor: User,
    indicators: list[Indicator] | None = None,
    now: dt.datetime | None = None,
    periods: int = SENSOR_PERIODS,
) -> SyncResult:
    """R2.1, R5.5: the sensor-fed indicators' territory values of the last `periods` periods (the current one
    included) from their datastreams' observations (`datastream_aggregate`). Safe to run twice."""
    qs = Indicator.objects.filter(is_active=True, source=Source.SENSOR, datastream__isnull=False)
    if indicators is not None:
        qs = qs.filter(pk__in=[i.pk for i in indicators])
    rows: list[ValueRow] = []
    for indicator in qs.select_related("datastream").order_by("code"):
        for period in _recent_periods(indicator.period_type, now or timezone.now(), periods):
            value = _sensor_value(indicator, period)
            if value is not None:
                rows.append({"indicator": indicator.code, "period": period, "unit": TERRITORY, "value": value})
    if not rows:
        return SyncResult()
    with transaction.atomic():
        return _store(actor, rows, "sensors")


def indicator_sources_sync(*, actor: User) -> SyncResult:
    """The periodic sweep: every dataset-fed indicator past its watermark, every sensor-fed one's recent periods."""
    result = dataset_indicators_sync(actor=actor)
    result.add(sensor_indicators_sync(actor=actor))
    return result


def indicator_sync_now(*, actor: User, indicator: Indicator) -> SyncResult:
    """On demand (the configuration page): one indicator from its source, every cell (a dataset) or the last
    year of periods (a datastream)."""
    if indicator.source == Source.DATASET:
        return dataset_indicators_sync(actor=actor, indicators=[indicator], full=True)
    if indicator.source == Source.SENSOR:
        return sensor_indicators_sync(actor=actor, indicators=[indicator], periods=12)
    return SyncResult()
