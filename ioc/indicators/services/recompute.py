"""R2.1, R2.3: after a batch, recompute what it touched — aggregates up the hierarchy (communes → territory),
formula indicators (in dependency order), the statuses against targets, and the warnings.

One pass over the values of the touched indicators (and the formulas and weighted means that read them) in the
touched periods, held in memory and written back in bulk. A value an agency reported for the territory itself is
never overwritten by an aggregate.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np

from ioc.common.bulk import insert_returning
from ioc.indicators.choices import Aggregation, Level, Source
from ioc.indicators.formula import evaluate, evaluation_order, parse, references
from ioc.indicators.models import Indicator, Target, Value
from ioc.indicators.periods import start_date
from ioc.indicators.services._base import current_version
from ioc.indicators.services.warnings import warnings_refresh
from ioc.indicators.status import status_of

if TYPE_CHECKING:
    from ioc.accounts.models import User
    from ioc.indicators.models import CatalogVersion

Key = tuple[int, int | None, str]


def _affected(indicator_ids: set[int]) -> list[Indicator]:
    """The touched indicators and, transitively, the formulas and weighted means that read them."""
    active = {i.code: i for i in Indicator.objects.filter(is_active=True).select_related("agency")}
    readers: dict[str, set[str]] = defaultdict(set)
    for code, indicator in active.items():
        reads = references(parse(indicator.formula)) if indicator.source == Source.FORMULA else set()
        for name in reads | ({indicator.weight_code} if indicator.weight_code else set()):
            readers[name].add(code)
    todo = [code for code, i in active.items() if i.pk in indicator_ids]
    seen = set(todo)
    while todo:
        for reader in readers.get(todo.pop(), ()):
            if reader not in seen:
                seen.add(reader)
                todo.append(reader)
    return [active[code] for code in sorted(seen)]


class _Values:
    """The values in play, keyed (indicator id, unit id or None, period); new and changed ones written at the end."""

    def __init__(self, indicator_ids: Iterable[int], periods: set[str], version: CatalogVersion) -> None:
        rows = Value.objects.filter(indicator_id__in=list(indicator_ids), period__in=periods)
        self.rows: dict[Key, Value] = {(v.indicator_id, v.unit_id, v.period): v for v in rows}
        self.by_indicator: dict[int, dict[tuple[int | None, str], Value]] = defaultdict(dict)
        for (i, u, p), v in self.rows.items():
            self.by_indicator[i][(u, p)] = v
        self.version = version
        self.new: list[Value] = []
        self.changed: dict[int, Value] = {}

    def put_computed(self, indicator: Indicator, unit_id: int | None, period: str, value: float) -> None:
        key = (indicator.pk, unit_id, period)
        found = self.rows.get(key)
        if found is None:
            found = Value(
                indicator=indicator,
                unit_id=unit_id,
                period=period,
                period_start=start_date(period),
                value=value,
                computed=True,
                version=self.version,
            )
            self.rows[key] = found
            self.by_indicator[indicator.pk][(unit_id, period)] = found
            self.new.append(found)
        elif found.computed and found.value != value:
            found.value, found.version = value, self.version
            if found.pk:
                self.changed[found.pk] = found

    def of(self, indicator_id: int) -> dict[tuple[int | None, str], float]:
        return {key: v.value for key, v in self.by_indicator.get(indicator_id, {}).items()}

    def save(self) -> None:
        insert_returning(self.new)
        Value.objects.bulk_update(list(self.changed.values()), ["value", "version", "status"], batch_size=2000)


def _aggregate(indicator: Indicator, values: _Values, by_code: dict[str, Indicator]) -> None:
    """Communes → territory by the indicator's aggregation."""
    own = values.of(indicator.pk)
    weight_of = values.of(by_code[indicator.weight_code].pk) if indicator.weight_code in by_code else {}
    by_period: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for (unit, period), value in own.items():
        if unit is not None:
            by_period[period].append((value, weight_of.get((unit, period), np.nan)))
    for period, pairs in by_period.items():
        data = np.array(pairs, dtype=np.float64)
        if indicator.aggregation == Aggregation.MEAN:
            result = float(data[:, 0].mean())
        elif indicator.aggregation == Aggregation.WEIGHTED_MEAN:
            ok = ~np.isnan(data[:, 1])
            total = data[ok, 1].sum()
            if not ok.any() or total <= 0:
                continue
            result = float((data[ok, 0] * data[ok, 1]).sum() / total)
        else:  # SUM, and LAST (last in time, summed over units, as DHIS2's "last value" aggregation does)
            result = float(data[:, 0].sum())
        values.put_computed(indicator, None, period, result)


def _formula(indicator: Indicator, values: _Values, by_code: dict[str, Indicator]) -> None:
    tree = parse(indicator.formula)
    refs = {code: values.of(by_code[code].pk) for code in references(tree) if code in by_code}
    keys = sorted({key for series in refs.values() for key in series}, key=lambda k: (k[1], k[0] or 0))
    keys = [k for k in keys if (Level.TERRITORY if k[0] is None else Level.COMMUNE) in indicator.levels]
    if not keys:
        return
    env = {code: np.array([s.get(k, np.nan) for k in keys], dtype=np.float64) for code, s in refs.items()}
    result = evaluate(tree, env, len(keys))
    for (unit, period), value in zip(keys, result, strict=True):
        if np.isfinite(value):
            values.put_computed(indicator, unit, period, float(value))


def _statuses(indicators: list[Indicator], values: _Values, periods: set[str]) -> list[tuple[Value, float]]:
    """Set each value's status from its target; the values that changed to `not met` are returned."""
    ids = {i.pk: i for i in indicators}
    targets = {
        (t.indicator_id, t.unit_id, t.period): t.value
        for t in Target.objects.filter(indicator_id__in=list(ids), period__in=periods)
    }
    not_met: list[tuple[Value, float]] = []
    for key, value in values.rows.items():
        indicator = ids.get(key[0])
        if indicator is None:
            continue
        status = status_of(
            direction=indicator.direction,
            value=value.value,
            target=targets.get(key),
            tolerance=indicator.tolerance,
            range_low=indicator.range_low,
            range_high=indicator.range_high,
        )
        if status == "not_met":
            not_met.append((value, _bound(indicator, targets.get(key), value.value)))
        if status != value.status:
            value.status = status
            if value.pk:
                values.changed[value.pk] = value
    return not_met


def _inputs(affected: list[Indicator], by_code: dict[str, Indicator]) -> set[int]:
    """The ids whose values a recomputation reads: the affected indicators, their formulas' inputs, their weights."""
    ids = {i.pk for i in affected}
    for indicator in affected:
        reads = references(parse(indicator.formula)) if indicator.source == Source.FORMULA else set()
        ids |= {by_code[code].pk for code in reads | {indicator.weight_code} if code in by_code}
    return ids


def _bound(indicator: Indicator, target: float | None, value: float) -> float:
    """The target a warning cites: the plan target, or the nearer bound of a range."""
    if target is not None:
        return target
    low, high = indicator.range_low or 0.0, indicator.range_high or 0.0
    return low if value < low else high


def indicators_recompute(*, actor: User, indicator_ids: set[int], periods: set[str]) -> None:
    """R2.3: aggregates, formulas, statuses and warnings of the touched indicators × periods (and their readers)."""
    version = current_version()
    if version is None or not indicator_ids or not periods:
        return
    affected = _affected(indicator_ids)
    by_code = {i.code: i for i in Indicator.objects.filter(is_active=True)}
    values = _Values(_inputs(affected, by_code), periods, version)
    for indicator in affected:
        plain = indicator.source != Source.FORMULA and indicator.aggregation != Aggregation.NONE
        if plain and {Level.TERRITORY, Level.COMMUNE} <= set(indicator.levels):
            _aggregate(indicator, values, by_code)
    formulas = {i.code: i.formula for i in affected if i.source == Source.FORMULA}
    for code in evaluation_order(formulas):
        _formula(by_code[code], values, by_code)
    not_met = _statuses(affected, values, periods)
    values.save()
    warnings_refresh(actor=actor, indicators=affected, not_met=not_met, periods=periods)
