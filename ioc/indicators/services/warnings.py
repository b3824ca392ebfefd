"""R2.3: warnings — an indicator not met, or likely to miss its annual target — on the leaders' list and sent to the
responsible agency, once per indicator × unit × period × kind: the warning row's `dedup_key` is unique and is the
notifications' dedup key too, so a recomputation never repeats one.

"Likely to miss": year to date plus the forecast of the remaining periods (R2.4, `analysis.forecast`, vectorised
over the units with an annual target) against the annual target, combined over the year as the indicator
aggregates (sum: total; last: the last period; otherwise the mean).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ioc.accounts.selectors import system_account_or_none
from ioc.assignments.selectors import agency_people, role_holders
from ioc.common.choices import Severity
from ioc.common.roles import Role
from ioc.geo.models import AdminUnit
from ioc.incidents.choices import AlertSource
from ioc.incidents.services import alert_raise
from ioc.indicators import analysis, notices
from ioc.indicators.choices import Aggregation, PeriodType, Status, WarningKind
from ioc.indicators.models import Indicator, IndicatorWarning, Target, Value
from ioc.indicators.periods import season, sequence, year_periods
from ioc.indicators.status import status_of
from ioc.notifications.services import notification_enqueue

if TYPE_CHECKING:
    from ioc.accounts.models import User

HISTORY = 36
LEADER_ROLES = (Role.IOC_LEADER, Role.PROVINCE_LEADER)


def dedup_key(indicator_id: int, unit_id: int | None, period: str, kind: str) -> str:
    return f"indicator:{indicator_id}:{unit_id or 'territory'}:{period}:{kind}"


def _unit_name(unit_id: int | None) -> str:
    if unit_id is None:
        return "Toàn địa bàn"
    return AdminUnit.objects.filter(pk=unit_id).values_list("name", flat=True).first() or str(unit_id)


def _recipients(indicator: Indicator, known: dict[int | None, list[User]]) -> list[User]:
    """The leaders and the responsible agency's people (looked up once per agency in a recomputation)."""
    if indicator.agency_id not in known:
        people = list(role_holders(roles=LEADER_ROLES))
        if indicator.agency is not None:
            people += agency_people(agency=indicator.agency, roles=[Role.AGENCY_OFFICER, Role.AGENCY_HEAD])
        known[indicator.agency_id] = people
    return known[indicator.agency_id]


def _notify(warning: IndicatorWarning, indicator: Indicator, known: dict[int | None, list[User]]) -> None:
    recipients = _recipients(indicator, known)
    if not recipients:
        return
    template = notices.NOT_MET if warning.kind == WarningKind.NOT_MET else notices.LIKELY_MISS
    notification_enqueue(
        event=f"indicator.{warning.kind}",
        recipients={u.pk: u for u in recipients}.values(),
        template=template,
        context={
            "indicator": f"{indicator.code} — {indicator.name}",
            "unit_name": _unit_name(warning.unit_id),
            "period": warning.period,
            "value": f"{warning.value:,.2f}",
            "target": f"{warning.target:,.2f}",
            "agency_name": indicator.agency.name if indicator.agency else "—",
            "url": reverse("indicators:detail", args=[indicator.code]),
        },
        dedup_key=warning.dedup_key,
    )


def _inbox(warning: IndicatorWarning, indicator: Indicator) -> None:
    """R4.1: a territory-wide warning is also an alert in the IOC's one inbox (kind `indicator.target_miss`, keyed
    by the warning). Commune-level warnings stay on the leaders' list and with the agency: one alert per missed
    commune would bury the operators' inbox under one recomputation."""
    if warning.unit_id is not None:
        return
    with translation.override("vi"):  # the inbox keeps one language whatever the recomputing session's
        verb = _("không đạt") if warning.kind == WarningKind.NOT_MET else _("có nguy cơ không đạt")
        title = _("Chỉ số %(code)s %(verb)s chỉ tiêu kỳ %(period)s: %(value)s / %(target)s") % {
            "code": indicator.code,
            "verb": verb,
            "period": warning.period,
            "value": f"{warning.value:,.2f}",
            "target": f"{warning.target:,.2f}",
        }
    alert_raise(
        source=AlertSource.INDICATORS,
        dedup_key=warning.dedup_key,
        kind="indicator.target_miss",
        severity=Severity.LOW,
        title=title,
        occurred_at=timezone.now(),
        payload={"indicator": indicator.code, "period": warning.period, "warning": warning.kind},
        actor=system_account_or_none(),
    )


def warning_raise(
    *,
    indicator: Indicator,
    unit_id: int | None,
    period: str,
    kind: str,
    value: float,
    target: float,
    known: dict[int | None, list[User]] | None = None,
) -> IndicatorWarning | None:
    """The warning once: None when it was raised before (nothing written, nothing sent)."""
    key = dedup_key(indicator.pk, unit_id, period, kind)
    if IndicatorWarning.objects.filter(dedup_key=key).exists():
        return None
    warning = IndicatorWarning.objects.create(
        indicator=indicator, unit_id=unit_id, period=period, kind=kind, dedup_key=key, value=value, target=target
    )
    _notify(warning, indicator, {} if known is None else known)
    _inbox(warning, indicator)
    return warning


def _combine(values: analysis.Array, aggregation: str) -> analysis.Array:
    if aggregation == Aggregation.SUM:
        return np.asarray(values.sum(axis=1), dtype=np.float64)
    if aggregation == Aggregation.LAST:
        return values[:, -1]
    return np.asarray(values.mean(axis=1), dtype=np.float64)


def projection(indicator: Indicator, year: int, unit_ids: list[int | None]) -> dict[int | None, float]:
    """Year to date plus the forecast of the year's remaining periods, per unit (units without a value this
    year are left out)."""
    periods = year_periods(year, indicator.period_type)
    rows = Value.objects.filter(indicator=indicator, period__lte=periods[-1], period__gte=str(year - 3))
    series: dict[int | None, dict[str, float]] = defaultdict(dict)
    for unit, period, value in rows.filter(unit_id__in=[u for u in unit_ids if u]).values_list(
        "unit_id", "period", "value"
    ):
        series[unit][period] = value
    if None in unit_ids:
        for period, value in rows.filter(unit__isnull=True).values_list("period", "value"):
            series[None][period] = value
    out: dict[int | None, float] = {}
    by_last: dict[str, list[int | None]] = defaultdict(list)
    for holder, points in series.items():
        reported = [p for p in periods if p in points]
        if reported:
            by_last[reported[-1]].append(holder)
    for last, units in by_last.items():
        history = sequence(last, indicator.period_type, HISTORY)
        y = np.array([[series[u].get(p, np.nan) for p in history] for u in units], dtype=np.float64)
        done = periods.index(last) + 1
        remaining = len(periods) - done
        ytd = y[:, -done:]
        if remaining:
            ahead = analysis.forecast(y, season=season(indicator.period_type), horizon=remaining).point
            ytd = np.concatenate([analysis.fill_gaps(ytd), ahead], axis=1)
        for holder, total in zip(units, _combine(ytd, indicator.aggregation), strict=True):
            out[holder] = float(total)
    return out


def _likely_miss(indicators: Iterable[Indicator], years: set[int], known: dict[int | None, list[User]]) -> None:
    for indicator in indicators:
        if indicator.period_type == PeriodType.YEAR:
            continue
        for year in sorted(years):
            targets: dict[int | None, float] = dict(
                Target.objects.filter(indicator=indicator, period=str(year)).values_list("unit_id", "value")
            )
            if not targets:
                continue
            complete = Value.objects.filter(indicator=indicator, period=year_periods(year, indicator.period_type)[-1])
            for unit, projected in projection(indicator, year, list(targets)).items():
                status = status_of(
                    direction=indicator.direction,
                    value=projected,
                    target=targets[unit],
                    tolerance=indicator.tolerance,
                    range_low=indicator.range_low,
                    range_high=indicator.range_high,
                )
                if status != Status.NOT_MET:
                    continue
                final = complete.filter(unit_id=unit).exists()
                kind = WarningKind.NOT_MET if final else WarningKind.LIKELY_MISS
                warning_raise(
                    indicator=indicator,
                    unit_id=unit,
                    period=str(year),
                    kind=kind,
                    value=projected,
                    target=targets[unit],
                    known=known,
                )


def warnings_refresh(
    *, actor: User, indicators: list[Indicator], not_met: list[tuple[Value, float]], periods: set[str]
) -> None:
    """R2.3: raise the warnings a recomputation found (each once); `actor` is the batch's reporter."""
    by_id = {i.pk: i for i in indicators}
    known: dict[int | None, list[User]] = {}
    for value, target in not_met:
        warning_raise(
            indicator=by_id[value.indicator_id],
            unit_id=value.unit_id,
            period=value.period,
            kind=WarningKind.NOT_MET,
            value=value.value,
            target=target,
            known=known,
        )
    _likely_miss(indicators, {int(p[:4]) for p in periods}, known)
