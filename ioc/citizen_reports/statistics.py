"""Statistics of citizen reports (R3.5), read from the statistics cells (rollup.py) plus one live count.

The cohort is the reports *received* between `start` and `end` (days in Asia/Ho_Chi_Minh, both inclusive);
each figure counts what has happened to that cohort so far:

- received: every report in the cohort (spam included: it was received);
- verified: verified by the IOC (verified_at set), whatever happened next;
- rejected: status "không tiếp nhận";
- handled: resolved and published (published_at set);
- on_time: handled, and resolved within the deadline (handled_on_time);
- overdue: still open past its deadline, plus handled late;
- avg_handling_hours: mean hours from receipt to publication over the handled reports;
- rating_avg / rating_count: the citizens' satisfaction (1–5) and how many rated.

All but "still open past its deadline" are sums over the cells the database keeps per local day and month
(whole months from month cells, the days at the range's edges from day cells), so a year over a million reports
reads a few hundred thousand narrow rows at most, not the reports. "Still open past its deadline" moves with the
clock: it is counted live over the open reports, from a covering index (reports_open_deadline_idx).
Agency roles see only the reports their agency holds (accounts.scope_filter).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import zoneinfo
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import NotSupportedError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import CharField, Count, F, Func, Max, Q, QuerySet, Sum
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ioc.accounts.selectors import Scope, scope_filter, user_scope
from ioc.agencies.models import Agency
from ioc.citizen_reports.choices import OPEN_STATUSES, Channel
from ioc.citizen_reports.models import Category, Report, ReportEvent, StatisticsCell
from ioc.citizen_reports.rollup import CELL_OFFSET_MINUTES, MEASURES
from ioc.geo.selectors import unit_list

DIMENSIONS = ("agency", "category", "commune", "channel")
PERIODS = ("month", "week", "day")
GROUP_BY_CHOICES = DIMENSIONS + PERIODS
COUNT_FIELDS = ("received", "verified", "rejected", "handled", "on_time", "overdue", "rating_count")
# The live count next to the cells' sums: reports still open past their deadline.
OPEN_LATE = "open_late"
_OPEN_LIST = sorted(OPEN_STATUSES)
_DIMENSION_COLUMN = {"agency": "agency_id", "category": "category_id", "commune": "unit_id", "channel": "channel"}


@dataclass(frozen=True)
class StatisticsRow:
    """R3.5: the figures of one group (an agency, a category, a commune, a channel or a period)."""

    key: str
    label: str
    received: int = 0
    verified: int = 0
    rejected: int = 0
    handled: int = 0
    on_time: int = 0
    overdue: int = 0
    avg_handling_hours: float | None = None
    rating_avg: float | None = None
    rating_count: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass(frozen=True)
class Statistics:
    """R3.5: rows in display order and the totals of the whole range."""

    start: dt.date
    end: dt.date
    group_by: str
    rows: list[StatisticsRow]
    totals: StatisticsRow


# --- SQL expressions (portable: SQLite and PostgreSQL, never a Python function per row) -----------------------


class LocalDay(Func):
    """The first day (YYYY-MM-DD) of the local month, ISO week or day a UTC timestamp falls in."""

    output_field = CharField()

    def __init__(self, expression: Any, *, period: str, offset_minutes: int) -> None:
        super().__init__(expression)
        self.period, self.offset_minutes = period, offset_minutes

    def as_sqlite(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any) -> Any:
        sql, params = compiler.compile(self.source_expressions[0])
        shift = f"{self.offset_minutes:+d} minutes"
        if self.period == "month":
            return f"strftime(%s, {sql}, %s)", ["%Y-%m-01", *params, shift]
        if self.period == "week":  # back six days, then forward to the next Monday: this week's Monday
            return f"date({sql}, %s, '-6 days', 'weekday 1')", [*params, shift]
        return f"date({sql}, %s)", [*params, shift]

    def as_postgresql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any) -> Any:
        # UTC wall time plus the fixed offset, truncated, as a date: cheap arithmetic per row (a named zone and
        # to_char() per row cost PostgreSQL several times as much on a year of reports).
        sql, params = compiler.compile(self.source_expressions[0])
        shift = f"{self.offset_minutes} minutes"
        return (
            f"CAST(date_trunc(%s, (({sql}) AT TIME ZONE 'UTC') + CAST(%s AS interval)) AS date)",
            [self.period, *params, shift],
        )


# --- the selector ------------------------------------------------------------------------------------------------


def local_range(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start 00:00, the day after end 00:00) in the display time zone, as aware datetimes."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    lower = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    upper = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return lower, upper


def _fixed_offset_minutes(lower: dt.datetime, upper: dt.datetime) -> int:
    """The display zone's UTC offset; Asia/Ho_Chi_Minh has kept +07:00 since 1975 (no daylight saving)."""
    offsets = {lower.utcoffset(), upper.utcoffset()}
    if len(offsets) != 1:  # pragma: no cover - only for zones with daylight saving
        raise NotSupportedError("statistics by period need a time zone without daylight saving")
    offset = offsets.pop() or dt.timedelta()
    return int(offset.total_seconds() // 60)


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def cell_parts(start: dt.date, end: dt.date, group_by: str) -> list[tuple[str, dt.date, dt.date]]:
    """(grain, first day, last day) of the cells covering [start, end]: the whole months inside it from month
    cells, the days before and after them from day cells. By week or day, day cells throughout (a week can
    straddle two months)."""
    first = start if start.day == 1 else _next_month(start)
    stop = (end + dt.timedelta(days=1)).replace(day=1)  # the first day of the month after the last whole one
    if group_by in ("week", "day") or first >= stop:
        return [("d", start, end)]
    parts = [("m", first, stop - dt.timedelta(days=1))]
    if start < first:
        parts.insert(0, ("d", start, first - dt.timedelta(days=1)))
    if stop <= end:
        parts.append(("d", stop, end))
    return parts


def _cell_sums(*, scope: Scope, grain: str, lower: dt.date, upper: dt.date, group_by: str) -> QuerySet[Any]:
    """The cells' measures summed by group, for the cells of one grain between two days (both included).
    Periods are summed by the cells' day, in the order of the primary key (no sort), and folded into weeks or
    months in Python: a year of day cells grouped by week in SQL costs SQLite twice as much."""
    cells = scope_filter(
        StatisticsCell.objects.filter(grain=grain, day__gte=lower, day__lte=upper),
        scope=scope,
        agency_field="agency_id",
        unit_id_field="unit_id",
    )
    key = F("day") if group_by in PERIODS else F(_DIMENSION_COLUMN[group_by])
    sums = {f"sum_{name}": Sum(name) for name in MEASURES}
    return cells.order_by().values(group_key=key).annotate(**sums).filter(Q(sum_received__gt=0))


def _open_late(*, scope: Scope, start: dt.date, end: dt.date, group_by: str, now: dt.datetime) -> QuerySet[Any]:
    """Reports of the cohort still open past their deadline, counted by group. An open report has no closed_at
    (a constraint), and the covering index on (closed_at, deadline_at, received_at, ...) answers without
    reading a report."""
    lower, upper = local_range(start, end)
    reports = Report.objects.filter(
        closed_at__isnull=True,
        status__in=_OPEN_LIST,
        deadline_at__lt=now,
        received_at__gte=lower,
        received_at__lt=upper,
    )
    reports = scope_filter(reports, scope=scope, agency_field="agency", unit_field="unit")
    key: Any
    if group_by in PERIODS:
        key = LocalDay("received_at", period=group_by, offset_minutes=_fixed_offset_minutes(lower, upper))
    else:
        key = F(_DIMENSION_COLUMN[group_by])
    return reports.order_by().values(group_key=key).annotate(open_late=Count("*"))


def citizen_reports_statistics(
    *, user: Any, start: dt.date, end: dt.date, group_by: str, now: dt.datetime | None = None
) -> Statistics:
    """R3.5: received, verified, rejected, handled, on time, overdue, average handling time and satisfaction,
    by agency, category, commune, channel, or by month, ISO week or day (Asia/Ho_Chi_Minh).

    The result is kept in the shared cache for `CITIZEN_REPORTS_STATISTICS_CACHE_SECONDS` (60 s; 0 = off) under
    the user's scope, the filters, the language and the data version (the newest report and timeline event ids,
    so any write shows at once); only "overdue", which moves with the clock, may lag by that long. The page and
    its chart endpoint therefore compute the figures once."""
    if group_by not in GROUP_BY_CHOICES:
        raise ValueError(f"unknown group_by: {group_by}")
    scope = user_scope(user=user)
    seconds = int(getattr(settings, "CITIZEN_REPORTS_STATISTICS_CACHE_SECONDS", 60))
    if now is not None or seconds <= 0:
        return _compute(scope=scope, start=start, end=end, group_by=group_by, now=now or timezone.now())
    key = _cache_key(scope, start, end, group_by)
    stats = cache.get(key)
    if not isinstance(stats, Statistics):
        stats = _compute(scope=scope, start=start, end=end, group_by=group_by, now=timezone.now())
        cache.set(key, stats, seconds)
    return stats


def _cache_key(scope: Scope, start: dt.date, end: dt.date, group_by: str) -> str:
    versions = {
        "report": Report.objects.aggregate(newest=Max("pk"))["newest"],  # MAX(id): one index step on both engines
        "event": ReportEvent.objects.aggregate(newest=Max("pk"))["newest"],
    }
    parts = [
        "all" if scope.everything else ",".join(map(str, sorted(scope.agency_ids))),
        "|".join(scope.unit_paths),
        start.isoformat(),
        end.isoformat(),
        group_by,
        get_language() or "",
        str(versions["report"]),
        str(versions["event"]),
    ]
    return "ioc:citizen_reports:statistics:v1:" + hashlib.sha256("/".join(parts).encode()).hexdigest()


def _compute(*, scope: Scope, start: dt.date, end: dt.date, group_by: str, now: dt.datetime) -> Statistics:
    lower, upper = local_range(start, end)
    if _fixed_offset_minutes(lower, upper) != CELL_OFFSET_MINUTES:  # pragma: no cover - a deployment outside UTC+7
        raise NotSupportedError("the statistics cells hold Vietnam's days (UTC+07:00); TIME_ZONE differs")
    raw: dict[str, dict[str, int]] = {}
    for grain, first, last in cell_parts(start, end, group_by):
        for item in _cell_sums(scope=scope, grain=grain, lower=first, upper=last, group_by=group_by):
            key = _key_text(item["group_key"])
            if group_by in PERIODS:
                key = period_start(group_by, dt.date.fromisoformat(key)).isoformat()
            sums = raw.setdefault(key, {})
            for name in MEASURES:
                sums[name] = sums.get(name, 0) + int(item[f"sum_{name}"])
    for item in _open_late(scope=scope, start=start, end=end, group_by=group_by, now=now):
        sums = raw.setdefault(_key_text(item["group_key"]), {})
        sums[OPEN_LATE] = sums.get(OPEN_LATE, 0) + int(item[OPEN_LATE])
    rows = _period_rows(group_by, start, end, raw) if group_by in PERIODS else _dimension_rows(group_by, raw)
    everything: dict[str, int] = {}
    for sums in raw.values():
        for name, value in sums.items():
            everything[name] = everything.get(name, 0) + value
    totals = _row("total", _("Tổng cộng / Total"), everything)
    return Statistics(start=start, end=end, group_by=group_by, rows=rows, totals=totals)


def _key_text(value: Any) -> str:
    if value is None or value == 0:  # 0: a cell of reports not yet forwarded, or not yet located
        return ""
    if isinstance(value, dt.date):  # PostgreSQL answers dates, SQLite text
        return value.isoformat()
    return str(value)


def _row(key: str, label: str, sums: dict[str, int] | None) -> StatisticsRow:
    """A group's figures from its summed measures (and its live count of reports open past their deadline)."""
    if not sums:
        return StatisticsRow(key=key, label=label)
    handled, rated = sums.get("handled", 0), sums.get("rating_count", 0)
    return StatisticsRow(
        key=key,
        label=label,
        received=sums.get("received", 0),
        verified=sums.get("verified", 0),
        rejected=sums.get("rejected", 0),
        handled=handled,
        on_time=sums.get("on_time", 0),
        overdue=sums.get("handled_late", 0) + sums.get(OPEN_LATE, 0),
        avg_handling_hours=round(sums.get("handled_seconds", 0) / 3600 / handled, 2) if handled else None,
        rating_avg=round(sums.get("rating_sum", 0) / rated, 2) if rated else None,
        rating_count=rated,
    )


# --- labels -------------------------------------------------------------------------------------------------------


def _dimension_rows(group_by: str, raw: dict[str, dict[str, int]]) -> list[StatisticsRow]:
    labels = _dimension_labels(group_by, [k for k in raw if k])
    rows = [_row(key, labels.get(key) or _missing_label(group_by), item) for key, item in raw.items()]
    return sorted(rows, key=lambda r: (-r.received, r.label))


def _dimension_labels(group_by: str, keys: list[str]) -> dict[str, str]:
    if group_by == "channel":
        return {key: str(Channel(key).label) if key in Channel.values else key for key in keys}
    ids = [int(k) for k in keys]
    pairs: Iterable[tuple[int, str]]
    if group_by == "agency":
        pairs = Agency.objects.filter(pk__in=ids).values_list("pk", "name")
    elif group_by == "category":
        pairs = Category.objects.filter(pk__in=ids).values_list("pk", "name")
    else:
        pairs = unit_list(hierarchy=None).filter(pk__in=ids).values_list("pk", "full_name")
    return {str(pk): name for pk, name in pairs}


def _missing_label(group_by: str) -> str:
    if group_by == "agency":
        return _("Chưa chuyển cơ quan / Not forwarded")
    return _("Chưa xác định / Unknown")


def _period_rows(group_by: str, start: dt.date, end: dt.date, raw: dict[str, dict[str, int]]) -> list[StatisticsRow]:
    """Every period of the range, in order, empty ones included (charts need the gaps)."""
    return [
        _row(period_id(group_by, day), period_label(group_by, day), raw.get(day.isoformat()))
        for day in _period_starts(group_by, start, end)
    ]


def period_start(group_by: str, day: dt.date) -> dt.date:
    """The first day of the month, ISO week (Monday) or day that `day` falls in."""
    if group_by == "month":
        return day.replace(day=1)
    if group_by == "week":
        return day - dt.timedelta(days=day.weekday())
    return day


def _period_starts(group_by: str, start: dt.date, end: dt.date) -> Iterator[dt.date]:
    if group_by == "month":
        day = start.replace(day=1)
        while day <= end:
            yield day
            day = _next_month(day)
        return
    step = 7 if group_by == "week" else 1
    day = period_start(group_by, start)
    while day <= end:
        yield day
        day += dt.timedelta(days=step)


def period_id(group_by: str, day: dt.date) -> str:
    """DHIS2 period ids (DESIGN "Periods"): 202507, 2025W28, 20250714."""
    if group_by == "month":
        return day.strftime("%Y%m")
    if group_by == "week":
        year, week, _weekday = day.isocalendar()
        return f"{year}W{week}"
    return day.strftime("%Y%m%d")


def period_label(group_by: str, day: dt.date) -> str:
    if group_by == "month":
        return day.strftime("%m/%Y")
    if group_by == "week":
        year, week, _weekday = day.isocalendar()
        return _("Tuần %(week)s/%(year)s (từ %(day)s)") % {"week": week, "year": year, "day": day.strftime("%d/%m")}
    return day.strftime("%d/%m/%Y")
