"""R5.4, R2.3–R2.4 (issue 20 part 5): the sector dashboards, one per monitored domain of the profile's act.

A domain calls for indicator sectors (`indicators.selectors.domain_sectors`) and may have a live monitor of its
own (citizen reports, incidents, sensors: `MONITORS`). Every figure comes from the owning app's selectors, in the
user's scope: trends with the forecast bands of `indicator_forecast`, the commune ranking of `commune_figures`,
breakdowns as GROUP BY counts over the period (never rows), warnings with their reasons.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.citizen_reports import selectors as report_selectors
from ioc.citizen_reports.choices import ReportStatus
from ioc.common.choices import Severity
from ioc.common.periods import period_parse
from ioc.geo.models import AdminUnit
from ioc.incidents import selectors as incident_selectors
from ioc.incidents.choices import KIND_CHOICES
from ioc.indicators import selectors as indicator_selectors
from ioc.indicators.choices import Level
from ioc.indicators.models import Indicator, IndicatorWarning
from ioc.regulation import selectors as regulation_selectors
from ioc.regulation.choices import DomainKind
from ioc.sensors import selectors as sensor_selectors
from ioc.sensors.models import Datastream

CHARTS_MAX = 6
FRESH = dt.timedelta(hours=1)
# The indicator sectors whose domain has a live monitor of its own, and which one.
MONITORS = {
    "tuong-tac": "citizen_reports",
    "an-ninh-trat-tu": "incidents",
    "giao-thong": "incidents",
    "moi-truong": "sensors",
    "hanh-chinh-cong": "dossiers",
}


@dataclass(frozen=True)
class Domain:
    """A monitored domain of the act, the indicator sectors it calls for and its own monitors."""

    code: str
    name: str
    source: str
    sectors: tuple[str, ...]
    monitors: tuple[str, ...]

    @property
    def sector_labels(self) -> list[str]:
        return [indicator_selectors.sector_label(s) for s in self.sectors]


def domain_list(*, profile: str | None = None) -> list[Domain]:
    """The act's monitored domains (every kind when it names no `domain`) that have indicators or a monitor."""
    profile = profile or settings.IOC_PROFILE
    rows = list(regulation_selectors.monitored_domains(kind=DomainKind.DOMAIN, profile=profile))
    if not rows:
        rows = list(regulation_selectors.monitored_domains(kind=None, profile=profile))
    active = set(indicator_selectors.indicator_list().values_list("sector", flat=True))
    domains = []
    for row in rows:
        sectors = tuple(indicator_selectors.domain_sectors(domain_code=row.code))
        monitors = tuple(sorted({MONITORS[s] for s in sectors if s in MONITORS}))
        if monitors or active.intersection(sectors):
            domains.append(Domain(row.code, row.name, row.source, sectors, monitors))
    return domains


def domain_get(*, code: str, profile: str | None = None) -> Domain | None:
    return next((d for d in domain_list(profile=profile) if d.code == code), None)


@dataclass(frozen=True)
class Breakdown:
    """One table of a dashboard: a title and (label, count) rows, largest first."""

    key: str
    title: str
    rows: list[tuple[str, int]]

    @property
    def total(self) -> int:
        return sum(n for _label, n in self.rows)


@dataclass
class Dashboard:
    domain: Domain
    start: dt.date
    end: dt.date
    unit: AdminUnit | None
    cards: list[indicator_selectors.Card] = field(default_factory=list)
    charts: list[dict[str, Any]] = field(default_factory=list)
    ranking_indicator: Indicator | None = None
    ranking_period: str = ""
    ranking: list[indicator_selectors.UnitFigure] = field(default_factory=list)
    breakdowns: list[Breakdown] = field(default_factory=list)
    warnings: list[IndicatorWarning] = field(default_factory=list)


def _within(period: str, start: dt.date, end: dt.date) -> bool:
    try:
        parsed = period_parse(period)
    except ValidationError:
        return True
    first = timezone.localtime(parsed.start).date()
    return first <= end and timezone.localtime(parsed.end).date() > start


def _chart(indicator: Indicator, *, unit: AdminUnit | None, start: dt.date, end: dt.date) -> dict[str, Any]:
    periods, values = indicator_selectors.series(indicator=indicator, unit=unit)
    kept = [(p, v) for p, v in zip(periods, values, strict=True) if _within(p, start, end)]
    data: dict[str, Any] = {
        "code": indicator.code,
        "name": indicator.name,
        "unit": indicator.unit_label,
        "periods": [p for p, _v in kept],
        "values": [v for _p, v in kept],
    }
    forecast = indicator_selectors.indicator_forecast(indicator=indicator) if unit is None else None
    if forecast is not None and kept and kept[-1][0] == periods[-1]:
        data["forecast"] = {
            "periods": forecast.periods, "point": forecast.point, "lo80": forecast.lo80, "hi80": forecast.hi80,
            "lo95": forecast.lo95, "hi95": forecast.hi95,
        }  # fmt: skip
    return data


def _cards(sectors: Iterable[str]) -> list[indicator_selectors.Card]:
    cards: list[indicator_selectors.Card] = []
    for sector in sectors:
        cards.extend(indicator_selectors.dashboard_cards(sector=sector))
    return cards


def _grouped(qs: QuerySet[Any], key: str, labels: dict[Any, str] | None = None) -> list[tuple[str, int]]:
    """(label, count) per value of `key`, largest first: one GROUP BY, never the rows."""
    found = []
    for row in qs.values(key).annotate(n=Count("pk")):
        label = (labels or {}).get(row[key], row[key]) or _("(chưa xác định)")
        found.append((str(label), int(row["n"])))
    return sorted(found, key=lambda r: (-r[1], r[0]))


def _local_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    lower = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    return lower, timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))


def reports_breakdowns(*, user: Any, start: dt.date, end: dt.date, unit: AdminUnit | None) -> list[Breakdown]:
    """R3.5: citizen reports received in the period by category, commune and status (GROUP BY, scoped)."""
    filters: dict[str, Any] = {"start": start, "end": end}
    if unit is not None:
        filters["unit"] = unit
    reports = report_selectors.report_list_for(user=user, filters=filters).order_by()
    statuses = {s.value: str(s.label) for s in ReportStatus}
    return [
        Breakdown("reports_category", _("Phản ánh theo lĩnh vực"),
                  _grouped(reports, "category__name")),
        Breakdown("reports_commune", _("Phản ánh theo xã, phường"),
                  _grouped(reports, "unit__name")),
        Breakdown("reports_status", _("Phản ánh theo trạng thái"),
                  _grouped(reports, "status", statuses)),
    ]  # fmt: skip


def incidents_breakdowns(*, user: Any, start: dt.date, end: dt.date, unit: AdminUnit | None) -> list[Breakdown]:
    """R4.3–R4.5: incidents raised in the period by kind, severity and commune (GROUP BY, scoped)."""
    lower, upper = _local_bounds(start, end)
    incidents = incident_selectors.incident_list(user=user).filter(raised_at__gte=lower, raised_at__lt=upper)
    if unit is not None:
        incidents = incidents.filter(Q(unit__path__startswith=unit.path))
    incidents = incidents.order_by()
    kinds = {code: str(label) for code, label in KIND_CHOICES}
    severities = {int(s.value): str(s.label) for s in Severity}
    return [
        Breakdown("incidents_kind", _("Sự cố theo loại"),
                  _grouped(incidents, "kind", kinds)),
        Breakdown("incidents_severity", _("Sự cố theo mức độ"),
                  _grouped(incidents, "severity", severities)),
        Breakdown("incidents_commune", _("Sự cố theo xã, phường"),
                  _grouped(incidents, "unit__name")),
    ]  # fmt: skip


def sensors_freshness(*, user: Any, now: dt.datetime) -> dict[str, int]:
    """R5.5: the visible datastreams: total, reporting within the hour (fresh), silent longer, never reported."""
    streams = sensor_selectors.visible(Datastream, sensor_selectors.viewer_for(user)).order_by()
    counts = streams.aggregate(
        total=Count("pk"),
        fresh=Count("pk", filter=Q(latest_time__gte=now - FRESH)),
        never=Count("pk", filter=Q(latest_time__isnull=True)),
    )
    total, fresh, never = int(counts["total"]), int(counts["fresh"]), int(counts["never"])
    return {"total": total, "fresh": fresh, "silent": total - fresh - never, "never": never}


def sensors_breakdowns(*, user: Any, now: dt.datetime) -> list[Breakdown]:
    """R5.5: the sensors by freshness, with text labels (reporting, silent, never reported)."""
    counts = sensors_freshness(user=user, now=now)
    rows = [
        (str(_("Đang báo số liệu")), counts["fresh"]),
        (str(_("Im lặng quá 1 giờ")), counts["silent"]),
        (str(_("Chưa có số liệu")), counts["never"]),
    ]
    return [Breakdown("sensors_freshness", _("Cảm biến theo tình trạng"), rows)]


def _ranking(cards: list[indicator_selectors.Card]) -> tuple[Indicator | None, str, list[Any]]:
    for card in cards:
        if Level.COMMUNE in card.indicator.levels:
            period, figures = indicator_selectors.commune_figures(indicator=card.indicator)
            if figures:
                return card.indicator, period, figures
    return None, "", []


def domain_dashboard(
    *, user: Any, domain: Domain, start: dt.date, end: dt.date, unit: AdminUnit | None = None
) -> Dashboard:
    """R5.4: a domain's dashboard for the period [start, end] (local days) and an optional unit."""
    board = Dashboard(domain=domain, start=start, end=end, unit=unit)
    board.cards = _cards(domain.sectors)
    with_data = [c for c in board.cards if c.period][:CHARTS_MAX]
    board.charts = [_chart(c.indicator, unit=unit, start=start, end=end) for c in with_data]
    board.ranking_indicator, board.ranking_period, board.ranking = _ranking(board.cards)
    if "citizen_reports" in domain.monitors:
        board.breakdowns += reports_breakdowns(user=user, start=start, end=end, unit=unit)
    if "incidents" in domain.monitors:
        board.breakdowns += incidents_breakdowns(user=user, start=start, end=end, unit=unit)
    if "sensors" in domain.monitors:
        board.breakdowns += sensors_breakdowns(user=user, now=timezone.now())
    for sector in domain.sectors:
        board.warnings += list(indicator_selectors.warning_list(user=user, sector=sector, limit=20))
    return board
