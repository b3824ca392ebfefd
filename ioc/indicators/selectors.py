"""Every read of the indicators (R2.1–R2.6): the catalogue, series, dashboards, forecasts, warnings, what an
agency owes, and the operator's work items. Agency roles see their agency's warnings and calls; the catalogue
and the figures are open to all staff (they are the territory's public figures)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ioc.accounts.selectors import user_scope
from ioc.agencies.models import Agency
from ioc.common.roles import IOC_STAFF_ROLES, Role
from ioc.common.workitems import AT_RISK, OVERDUE, WorkItem
from ioc.datahub import selectors as datahub_selectors
from ioc.geo import selectors as geo_selectors
from ioc.geo.models import AdminUnit
from ioc.indicators import analysis
from ioc.indicators.bands import band_for
from ioc.indicators.choices import STATUS_TONES, CallStatus, Direction, Level, Source, Status
from ioc.indicators.models import (
    CallRule,
    CatalogVersion,
    DataCall,
    Indicator,
    IndicatorRevision,
    IndicatorWarning,
    Target,
    Value,
)
from ioc.indicators.periods import season, sequence, shift
from ioc.indicators.readysets import SECTOR_DOMAINS

HISTORY = 36
MIN_FORECAST_HISTORY = 6
FORECAST_TTL = 24 * 3600  # a new value changes the key; the TTL only bounds what stale keys keep
WORK_ITEMS_LIMIT = 20
CALL_AT_RISK = dt.timedelta(days=1)
# lazy: read at render time in the user's language, not once at import (always Vietnamese then)
SECTOR_LABELS = {
    "kinh-te": gettext_lazy("Kinh tế - xã hội"),
    "y-te": gettext_lazy("Y tế"),
    "giao-duc": gettext_lazy("Giáo dục"),
    "du-lich": gettext_lazy("Du lịch"),
    "moi-truong": gettext_lazy("Môi trường"),
    "an-ninh-trat-tu": gettext_lazy("An ninh, trật tự"),
    "giao-thong": gettext_lazy("Giao thông"),
    "hanh-chinh-cong": gettext_lazy("Hành chính công"),
    "tuong-tac": gettext_lazy("Tương tác người dân"),
    "an-toan-thong-tin": gettext_lazy("An toàn thông tin"),
}


def sector_label(code: str) -> str:
    return str(SECTOR_LABELS.get(code, code))


def domain_sectors(*, domain_code: str) -> list[str]:
    """R2.5, R5.4: the indicator sectors a monitored domain of the act calls for (`readysets.SECTOR_DOMAINS`)."""
    return sorted(sector for sector, domains in SECTOR_DOMAINS.items() if domain_code in domains)


def indicator_list(*, sector: str = "", include_retired: bool = False) -> QuerySet[Indicator]:
    """R2.1: the catalogue (active only unless asked), by sector and code."""
    qs = Indicator.objects.select_related("agency", "version")
    qs = qs if include_retired else qs.filter(is_active=True)
    return qs.filter(sector=sector) if sector else qs


def indicator_get(*, code: str) -> Indicator | None:
    return indicator_list(include_retired=True).filter(code=code).first()


def sectors() -> list[tuple[str, str]]:
    """The sectors of the active catalogue, with their labels."""
    codes = Indicator.objects.filter(is_active=True).values_list("sector", flat=True).distinct().order_by("sector")
    return [(code, sector_label(code)) for code in codes]


def revisions(*, indicator: Indicator) -> QuerySet[IndicatorRevision]:
    """R2.2: the indicator's approved versions, newest first, with the decisions."""
    return indicator.revisions.select_related("version")


@dataclass
class Card:
    """R2.3: one indicator on a sector dashboard: its latest territory value and status."""

    indicator: Indicator
    period: str = ""
    value: float | None = None
    target: float | None = None
    status: str = ""
    trend: list[float] = field(default_factory=list)

    @property
    def tone(self) -> str:
        return STATUS_TONES.get(Status(self.status), "secondary")

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)

    @property
    def band(self) -> dict[str, Any] | None:
        """R2.1: the indicator's colour band holding the value (None without bands)."""
        return band_for(self.indicator.bands, self.value)


def dashboard_cards(*, sector: str) -> list[Card]:
    """R2.3: the sector's indicators with their latest territory value, target and status (two queries)."""
    indicators = list(indicator_list(sector=sector))
    cards = {i.pk: Card(i) for i in indicators}
    # The territory rows of the sector (≤ 36 a series, read through the partial unique index): the latest wins.
    rows = Value.objects.filter(indicator__in=indicators, unit__isnull=True).order_by("period_start")
    for pk, period, value, status in rows.values_list("indicator_id", "period", "value", "status"):
        card = cards[pk]
        card.period, card.value, card.status = period, value, status
    targets = Target.objects.filter(indicator__in=indicators, unit__isnull=True)
    for t in targets.filter(period__in={c.period for c in cards.values() if c.period}):
        if cards[t.indicator_id].period == t.period:
            cards[t.indicator_id].target = t.value
    return list(cards.values())


LINEAGE_KINDS = {  # lazy: read in the request's language
    "reported": gettext_lazy("Báo cáo"),
    "aggregate": gettext_lazy("Tổng hợp từ xã, phường"),
    "formula": gettext_lazy("Tính theo công thức"),
}


@dataclass(frozen=True)
class LineageRow:
    """R2.1–R2.3: one value shown and where it comes from."""

    period: str
    value: float
    status: str
    kind: str  # a key of LINEAGE_KINDS
    reporter: str  # who reported it ("" when computed)
    version: int
    decision_no: str
    dataset_code: str = ""
    dataset_name: str = ""
    submission_id: int | None = None

    @property
    def kind_label(self) -> str:
        return str(LINEAGE_KINDS[self.kind])


def lineage(*, indicator: Indicator, unit: AdminUnit | None = None, count: int = 24) -> list[LineageRow]:
    """R2.1–R2.3: the latest `count` values of the territory (or one commune), newest first, each with how it came —
    reported (and by whom), or computed from the communes or by the formula — the catalogue version it was
    reported under, and for a dataset-fed indicator the dataset and its last accepted submission for that period
    (of that commune, or of any commune for the territory). Three queries at most."""
    values = (
        Value.objects.filter(indicator=indicator, unit=unit)
        .select_related("reported_by", "version")
        .order_by("-period_start")[:count]
    )
    code = indicator.dataset_field.partition(".")[0] if indicator.source == Source.DATASET else ""
    dataset = datahub_selectors.dataset_for_push(code=code) if code else None
    submissions = (
        datahub_selectors.dataset_period_submissions(
            dataset_code=code, period_type=indicator.period_type, unit_code=unit.code if unit else None
        )
        if dataset
        else {}
    )
    rows = []
    for v in values:
        kind = "reported" if not v.computed else ("formula" if indicator.source == Source.FORMULA else "aggregate")
        rows.append(
            LineageRow(
                period=v.period,
                value=v.value,
                status=v.status,
                kind=kind,
                reporter=str(v.reported_by) if v.reported_by and not v.computed else "",
                version=v.version.number,
                decision_no=v.version.decision_no,
                dataset_code=dataset.code if dataset else "",
                dataset_name=dataset.name if dataset else "",
                submission_id=submissions.get(v.period),
            )
        )
    return rows


def series(
    *, indicator: Indicator, unit: AdminUnit | None = None, count: int = HISTORY
) -> tuple[list[str], list[float | None]]:
    """R2.4: the last `count` periods of one unit's (or the territory's) values, gaps as None."""
    qs = Value.objects.filter(indicator=indicator, unit=unit)
    last = qs.order_by("-period_start").values_list("period", flat=True).first()
    if last is None:
        return [], []
    periods = sequence(last, indicator.period_type, count)
    found = dict(qs.filter(period__in=periods).values_list("period", "value"))
    first = next((i for i, p in enumerate(periods) if p in found), 0)
    periods = periods[first:]
    return periods, [found.get(p) for p in periods]


@dataclass(frozen=True)
class ForecastView:
    """R2.4: a series' forecast as a page shows it."""

    method: str
    mae: float
    periods: list[str]
    point: list[float]
    lo80: list[float]
    hi80: list[float]
    lo95: list[float]
    hi95: list[float]


METHOD_LABELS = {
    "naive": _("Giữ nguyên giá trị cuối"),
    "seasonal_naive": _("Lặp lại cùng kỳ năm trước"),
    "moving_average": _("Trung bình trượt"),
    "linear_trend": _("Xu hướng tuyến tính"),
    "damped_holt": _("Holt có giảm chấn"),
    "holt_winters": _("Holt-Winters (mùa vụ)"),
}


def _key(indicator_id: int, unit_id: int | None, horizon: int, stamp: dt.datetime | None) -> str:
    where = unit_id or "t"
    return f"indicators:forecast:{indicator_id}:{where}:{horizon}:{stamp.timestamp() if stamp else 0}"


def forecast_key(*, indicator: Indicator, unit: AdminUnit | None = None, horizon: int) -> str:
    """The cache key of a series' forecast: indicator × unit × horizon × the time its last value changed."""
    stamp = Value.objects.filter(indicator=indicator, unit=unit).aggregate(m=Max("updated_at"))["m"]
    return _key(indicator.pk, unit.pk if unit else None, horizon, stamp)


def _horizon(indicator: Indicator) -> int:
    return min(season(indicator.period_type), 12) or 1


def _views(result: analysis.Forecast, lasts: list[str], period_type: str, horizon: int) -> list[ForecastView]:
    """One page view per row of a vectorised forecast; `lasts` are the rows' last periods."""
    views = []
    for row, last in enumerate(lasts):
        views.append(
            ForecastView(
                method=result.method[row],
                mae=float(result.mae[row]),
                periods=[shift(last, period_type, k) for k in range(1, horizon + 1)],  # after the last period
                point=[round(float(v), 4) for v in result.point[row]],
                lo80=[round(float(v), 4) for v in result.lo80[row]],
                hi80=[round(float(v), 4) for v in result.hi80[row]],
                lo95=[round(float(v), 4) for v in result.lo95[row]],
                hi95=[round(float(v), 4) for v in result.hi95[row]],
            )
        )
    return views


def _matrix(values: list[list[float | None]]) -> analysis.Array:
    return np.array([[np.nan if v is None else v for v in row] for row in values], dtype=np.float64)


def indicator_forecast(
    *, indicator: Indicator, unit: AdminUnit | None = None, horizon: int | None = None
) -> ForecastView | None:
    """R2.4: a series' forecast (backtest-chosen method, 80/95 % intervals): the territory's, or a commune's on
    demand; cached by `forecast_key`, so a new value makes a new forecast."""
    periods, values = series(indicator=indicator, unit=unit)
    if len(periods) < MIN_FORECAST_HISTORY:
        return None
    horizon = horizon or _horizon(indicator)
    key = forecast_key(indicator=indicator, unit=unit, horizon=horizon)
    found: ForecastView | None = cache.get(key)
    if found is not None:
        return found
    result = analysis.forecast(_matrix([values]), season=season(indicator.period_type), horizon=horizon)
    view = _views(result, [periods[-1]], indicator.period_type, horizon)[0]
    cache.set(key, view, FORECAST_TTL)
    return view


Series = tuple[list[str], list[float | None]]


def _territory_series(indicators: list[Indicator]) -> tuple[dict[int, Series], dict[int, dt.datetime]]:
    """Every indicator's territory series as `series` reads it (one query) and the time each last changed."""
    found: dict[int, dict[str, float]] = defaultdict(dict)
    last: dict[int, tuple[dt.date, str]] = {}
    stamps: dict[int, dt.datetime] = {}
    rows = Value.objects.filter(indicator__in=indicators, unit__isnull=True)
    for pk, period, start, value, updated in rows.values_list(
        "indicator_id", "period", "period_start", "value", "updated_at"
    ):
        found[pk][period] = value
        last[pk] = max(last.get(pk, (start, period)), (start, period))
        stamps[pk] = max(stamps.get(pk, updated), updated)
    out: dict[int, Series] = {}
    for indicator in indicators:
        if indicator.pk not in last:
            continue
        periods = sequence(last[indicator.pk][1], indicator.period_type, HISTORY)
        first = next((i for i, p in enumerate(periods) if p in found[indicator.pk]), 0)
        out[indicator.pk] = (periods[first:], [found[indicator.pk].get(p) for p in periods[first:]])
    return out, stamps


def territory_forecasts(*, indicators: list[Indicator]) -> dict[int, ForecastView]:
    """R2.4: the territory forecasts of many indicators at once — one query, one vectorised forecast per period
    type and series length (the same figures `indicator_forecast` gives one by one), stored in its cache."""
    series_of, stamps = _territory_series(indicators)
    groups: dict[tuple[str, int], list[Indicator]] = defaultdict(list)
    for indicator in indicators:
        if len(series_of.get(indicator.pk, ([], []))[0]) >= MIN_FORECAST_HISTORY:
            groups[(indicator.period_type, len(series_of[indicator.pk][0]))].append(indicator)
    views: dict[int, ForecastView] = {}
    for (period_type, _length), members in groups.items():
        horizon = _horizon(members[0])
        y = _matrix([series_of[i.pk][1] for i in members])
        result = analysis.forecast(y, season=season(period_type), horizon=horizon)
        lasts = [series_of[i.pk][0][-1] for i in members]
        for indicator, view in zip(members, _views(result, lasts, period_type, horizon), strict=True):
            views[indicator.pk] = view
    cache.set_many(
        {_key(pk, None, _horizon(i), stamps.get(pk)): views[pk] for i in indicators if (pk := i.pk) in views},
        FORECAST_TTL,
    )
    return views


def indicator_unit(*, indicator: Indicator, code: str) -> AdminUnit | None:
    """The territory's commune of this code when the indicator is reported at commune level (else None)."""
    if not code or Level.COMMUNE not in indicator.levels:
        return None
    territory = geo_selectors.territory_get(profile=settings.IOC_PROFILE)
    if territory is None:
        return None
    return geo_selectors.territory_communes(territory=territory).filter(code=code).first()


@dataclass(frozen=True)
class UnitFigure:
    """R2.4: one commune's value of a period, its rank, change on the year and whether it is an outlier."""

    code: str
    name: str
    value: float
    rank: int
    outlier: bool
    status: str
    band: dict[str, Any] | None = None  # R2.1: the indicator's colour band holding the value


def commune_figures(*, indicator: Indicator, period: str = "") -> tuple[str, list[UnitFigure]]:
    """R2.4: ranking, comparison and robust-z outliers of the communes for a period (the latest by default)."""
    if Level.COMMUNE not in indicator.levels:
        return "", []
    qs = Value.objects.filter(indicator=indicator, unit__isnull=False)
    period = period or (qs.order_by("-period_start").values_list("period", flat=True).first() or "")
    rows = list(qs.filter(period=period).values_list("unit__code", "unit__name", "value", "status"))
    if not rows:
        return period, []
    values = np.array([r[2] for r in rows], dtype=np.float64)
    ranks = analysis.ranking(values, higher_is_better=indicator.direction != Direction.LOWER)
    flagged = analysis.outliers(values)
    figures = [
        UnitFigure(code, name, value, int(rank), bool(out), status, band_for(indicator.bands, value))
        for (code, name, value, status), rank, out in zip(rows, ranks, flagged, strict=True)
    ]
    return period, sorted(figures, key=lambda f: f.rank)


def changes(*, indicator: Indicator) -> dict[str, float | None]:
    """R2.4: trend (slope per period), period-on-period and year-on-year change of the territory series."""
    _periods, values = series(indicator=indicator)
    if not values:
        return {"trend": None, "pop": None, "yoy": None}
    y = np.array([[np.nan if v is None else v for v in values]], dtype=np.float64)

    def num(a: analysis.Array) -> float | None:
        return None if np.isnan(a[0]) else float(a[0])

    return {
        "trend": num(analysis.trend_slope(y)),
        "pop": num(analysis.change(y, 1)),
        "yoy": num(analysis.change(y, season(indicator.period_type))) if season(indicator.period_type) > 1 else None,
    }


def report_indicator_count(*, agency_id: int | None = None, commune_level: bool = False, sector: str = "") -> int:
    """R8.1 (issue 17): the active indicators a report counts: the catalogue, an agency's indicators, those reported
    per commune (a commune's report), one sector's (a thematic briefing)."""
    qs = indicator_list(sector=sector)
    if agency_id is not None:
        qs = qs.filter(agency_id=agency_id)
    if not commune_level:
        return qs.count()
    # `levels` is a JSON list; SQLite has no JSON containment, and the catalogue is tens of rows.
    return sum(1 for levels in qs.values_list("levels", flat=True) if Level.COMMUNE in (levels or ()))


def report_warnings(
    *,
    user: Any,
    start: dt.datetime,
    end: dt.datetime,
    agency_id: int | None = None,
    unit_id: int | None = None,
    sector: str = "",
) -> QuerySet[IndicatorWarning]:
    """R8.1, R2.3 (issue 17): warnings raised in [start, end) on the indicators the user may see (an agency sees
    its indicators'), newest first; narrowed to one agency's indicators, to the warnings of one commune (its unit
    or a unit under it), or to one sector, when given."""
    qs = IndicatorWarning.objects.filter(_scoped_indicators(user), created_at__gte=start, created_at__lt=end)
    if agency_id is not None:
        qs = qs.filter(indicator__agency_id=agency_id)
    if unit_id is not None:
        path = AdminUnit.objects.filter(pk=unit_id).values_list("path", flat=True).first()
        qs = qs.filter(Q(unit__path=path) | Q(unit__path__startswith=f"{path}/")) if path else qs.none()
    if sector:
        qs = qs.filter(indicator__sector=sector)
    return qs.order_by("-created_at", "-pk")


def _scoped_indicators(user: Any) -> Q:
    scope = user_scope(user=user)
    return Q() if scope.everything else Q(indicator__agency_id__in=scope.agency_ids)


def warning_list(*, user: Any, sector: str = "", limit: int = 50) -> QuerySet[IndicatorWarning]:
    """R2.3: the leaders' warning list (an agency sees its indicators' warnings), newest first."""
    qs = IndicatorWarning.objects.filter(_scoped_indicators(user), cleared_at__isnull=True)
    if sector:
        qs = qs.filter(indicator__sector=sector)
    return qs.select_related("indicator", "indicator__agency", "unit").order_by("-created_at")[:limit]


def calls_for(*, user: Any, status: str | None = CallStatus.OPEN) -> QuerySet[DataCall]:
    """R2.6: data calls the user may see (their agency's; the IOC sees all), earliest deadline first."""
    scope = user_scope(user=user)
    qs = DataCall.objects.select_related("indicator", "agency")
    if not scope.everything:
        qs = qs.filter(agency_id__in=scope.agency_ids)
    return qs.filter(status=status) if status else qs


def call_rules_for(*, user: Any) -> QuerySet[CallRule]:
    """R2.6: the recurring call rules the user may see (their agency's; the IOC sees all), live ones first."""
    scope = user_scope(user=user)
    qs = CallRule.objects.select_related("indicator", "agency")
    if not scope.everything:
        qs = qs.filter(agency_id__in=scope.agency_ids)
    return qs.order_by(F("ended_at").asc(nulls_first=True), "next_open_at", "pk")


def rule_agencies(*, user: Any) -> QuerySet[Agency]:
    """R2.6: the active agencies the user may ask for data (their scope's; the IOC: all), by name."""
    scope = user_scope(user=user)
    qs = Agency.objects.filter(is_active=True).order_by("name")
    return qs if scope.everything else qs.filter(pk__in=scope.agency_ids)


def call_rule_get(*, user: Any, pk: int) -> CallRule | None:
    """R2.6: one recurring call rule the user may see."""
    return call_rules_for(user=user).filter(pk=pk).first()


def owed_indicators(*, user: Any) -> list[tuple[Indicator, str]]:
    """R2.3: the agency's active manual indicators with the last period it reported (empty: never)."""
    scope = user_scope(user=user)
    qs = indicator_list().filter(source="manual")
    if not scope.everything:
        qs = qs.filter(agency_id__in=scope.agency_ids)
    last = dict(
        Value.objects.filter(indicator__in=qs, computed=False)
        .values("indicator_id")
        .annotate(p=Max("period"))
        .values_list("indicator_id", "p")
    )
    return [(i, last.get(i.pk) or "") for i in qs]


def indicators_work_items(*, user: Any) -> list[WorkItem]:
    """DESIGN "Map hooks": open data calls — an agency's own (due first), the IOC's overdue ones."""
    roles = set(getattr(user, "role_codes", ()))
    now = timezone.now()
    if roles & {Role.AGENCY_OFFICER, Role.AGENCY_HEAD}:
        qs = calls_for(user=user)
    elif roles & IOC_STAFF_ROLES:
        qs = calls_for(user=user).filter(deadline_at__lt=now)
    else:
        return []
    return [_call_item(c, now) for c in qs[:WORK_ITEMS_LIMIT]]


def _call_item(call: DataCall, now: dt.datetime) -> WorkItem:
    """A data call as a work item: overdue after its deadline, at risk within CALL_AT_RISK of it."""
    state = OVERDUE if call.deadline_at < now else AT_RISK if call.deadline_at - now < CALL_AT_RISK else "on_track"
    return WorkItem(
        source="indicators",
        kind="indicator_call",
        title=_("Báo cáo số liệu %(code)s kỳ %(period)s — %(agency)s")
        % {"code": call.indicator.code, "period": call.period, "agency": call.agency.name},
        url=reverse("indicators:owed"),
        at=call.created_at,
        due_at=call.deadline_at,
        state=state,
        status=call.status,
        code=call.indicator.code,
        object_id=call.pk,
        agency_id=call.agency_id,
        agency=call.agency.name,
    )


def overdue_calls(*, now: dt.datetime | None = None) -> QuerySet[DataCall]:
    """R2.6: open calls past their deadline."""
    return DataCall.objects.filter(status=CallStatus.OPEN, deadline_at__lt=now or timezone.now())


def unit_values_by_period(*, indicator: Indicator, periods: list[str]) -> dict[str, dict[str, float]]:
    """Commune values per period (code → value), for maps and tables."""
    out: dict[str, dict[str, float]] = defaultdict(dict)
    rows = Value.objects.filter(indicator=indicator, period__in=periods, unit__isnull=False)
    for period, code, value in rows.values_list("period", "unit__code", "value"):
        out[period][code] = value
    return out


# --- configuration pages (R2.2, R2.3, R2.6) ------------------------------------------------------------------
def catalog_versions(*, limit: int = 20) -> QuerySet[CatalogVersion]:
    """R2.2: the approved versions, newest first, with how many indicators each touched."""
    return CatalogVersion.objects.annotate(touched=Count("revisions"))[:limit]


def target_list(*, indicator: Indicator | None = None, limit: int = 50) -> QuerySet[Target]:
    """R2.3: targets, latest changed first (one indicator's when given)."""
    qs = Target.objects.select_related("indicator", "unit", "set_by").order_by("-updated_at", "-pk")
    return (qs.filter(indicator=indicator) if indicator is not None else qs)[:limit]


def call_get(*, user: Any, pk: int) -> DataCall | None:
    """R2.6: one data call the user may see."""
    return calls_for(user=user, status=None).filter(pk=pk).first()
