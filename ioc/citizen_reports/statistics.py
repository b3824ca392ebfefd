"""Statistics of citizen reports (R3.5): one GROUP BY query over the reports received in a date range.

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

Everything is computed by the database (conditional COUNT/AVG with GROUP BY; period buckets and durations
in SQL, no per-row Python function on SQLite), so a year over a million reports stays a single scan.
Agency roles see only the reports their agency holds (accounts.scope_filter).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import zoneinfo
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import NotSupportedError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import (
    Avg,
    BigIntegerField,
    CharField,
    Count,
    DateTimeField,
    Expression,
    FloatField,
    Func,
    Max,
    Q,
    QuerySet,
)
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ioc.accounts.selectors import Scope, scope_filter, user_scope
from ioc.agencies.models import Agency
from ioc.citizen_reports.choices import OPEN_STATUSES, Channel, ReportStatus
from ioc.citizen_reports.models import Category, Report, ReportEvent
from ioc.geo.selectors import unit_list

DIMENSIONS = ("agency", "category", "commune", "channel")
PERIODS = ("month", "week", "day")
GROUP_BY_CHOICES = DIMENSIONS + PERIODS
COUNT_FIELDS = ("received", "verified", "rejected", "handled", "on_time", "overdue", "rating_count")
# Longer ranges scan the table on SQLite (see ScanRange); shorter ones use the received_at index.
INDEX_RANGE_DAYS = 92
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


class HoursBetween(Func):
    """Hours from one timestamp to another (NULL when either is NULL)."""

    output_field = FloatField()

    def _parts(self, compiler: SQLCompiler) -> tuple[str, str, list[Any]]:
        start_sql, start_params = compiler.compile(self.source_expressions[0])
        end_sql, end_params = compiler.compile(self.source_expressions[1])
        return start_sql, end_sql, [*end_params, *start_params]

    def as_sqlite(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any) -> Any:
        start_sql, end_sql, params = self._parts(compiler)
        return f"((julianday({end_sql}) - julianday({start_sql})) * 24.0)", params

    def as_postgresql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any) -> Any:
        start_sql, end_sql, params = self._parts(compiler)
        return f"(EXTRACT(EPOCH FROM ({end_sql} - {start_sql})) / 3600.0)", params


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


def _group_expression(group_by: str, lower: dt.datetime, upper: dt.datetime) -> Expression:
    if group_by in PERIODS:
        offset = _fixed_offset_minutes(lower, upper)
        return LocalDay("received_at", period=group_by, offset_minutes=offset)
    column = _DIMENSION_COLUMN[group_by]
    return NoIndex(column, output_field=CharField() if column == "channel" else BigIntegerField())


def _figures(now: dt.datetime) -> dict[str, Any]:
    handled = Q(published_at__isnull=False)
    open_late = Q(status__in=list(OPEN_STATUSES), deadline_at__lt=now)
    return {
        "received": Count("*"),
        "verified": Count("id", filter=Q(verified_at__isnull=False)),
        "rejected": Count("id", filter=Q(status=ReportStatus.REJECTED)),
        "handled": Count("published_at"),
        "on_time": Count("id", filter=handled & Q(handled_on_time=True)),
        "overdue": Count("id", filter=open_late | (handled & Q(handled_on_time=False))),
        # The filter spares SQLite a julianday() of every unpublished row (a third of the query's time).
        "avg_handling_hours": Avg(HoursBetween("received_at", "published_at"), filter=handled),
        "rating_avg": Avg("rating"),
        "rating_count": Count("rating"),
    }


class NoIndex(Func):
    """A column as a plain expression on SQLite (`+col`), so the planner cannot use its index. For a long range
    SQLite would otherwise walk the received_at index (or the category/commune index, to skip sorting the
    groups) and fetch each row at random: 2 to 3.5 times slower than one scan of the table. PostgreSQL's planner
    has statistics and gets the bare column."""

    def as_sqlite(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any) -> Any:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"+{sql}", params

    def as_postgresql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any) -> Any:
        return compiler.compile(self.source_expressions[0])


def report_statistics_queryset(*, scope: Scope, start: dt.date, end: dt.date) -> QuerySet[Report]:
    """The reports counted: received in the range, within the scope (agency roles: their agency)."""
    lower, upper = local_range(start, end)
    qs = Report.objects.all()
    if (end - start).days > INDEX_RANGE_DAYS:
        qs = qs.alias(scan_received_at=NoIndex("received_at", output_field=DateTimeField()))
        qs = qs.filter(scan_received_at__gte=lower, scan_received_at__lt=upper)
    else:
        qs = qs.filter(received_at__gte=lower, received_at__lt=upper)
    return scope_filter(qs, scope=scope, agency_field="agency", unit_field="unit")


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
    grouped = (
        report_statistics_queryset(scope=scope, start=start, end=end)
        .order_by()
        .annotate(group_key=_group_expression(group_by, lower, upper))
        .values("group_key")
        .annotate(**_figures(now))
        .order_by("group_key")
    )
    raw: dict[str, dict[str, Any]] = {_key_text(item["group_key"]): dict(item) for item in grouped}
    rows = _period_rows(group_by, start, end, raw) if group_by in PERIODS else _dimension_rows(group_by, raw)
    return Statistics(start=start, end=end, group_by=group_by, rows=rows, totals=_totals(rows))


def _key_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):  # PostgreSQL answers dates, SQLite text
        return value.isoformat()
    return str(value)


def _row(key: str, label: str, item: dict[str, Any] | None) -> StatisticsRow:
    if item is None:
        return StatisticsRow(key=key, label=label)
    hours, rating = item["avg_handling_hours"], item["rating_avg"]
    return StatisticsRow(
        key=key,
        label=label,
        **{name: int(item[name] or 0) for name in COUNT_FIELDS},
        avg_handling_hours=None if hours is None else round(float(hours), 2),
        rating_avg=None if rating is None else round(float(rating), 2),
    )


def _totals(rows: list[StatisticsRow]) -> StatisticsRow:
    """Sums of counts; averages weighted by their counts (exact, no second query)."""
    counts = {name: sum(getattr(r, name) for r in rows) for name in COUNT_FIELDS}
    hours = sum((r.avg_handling_hours or 0) * r.handled for r in rows if r.avg_handling_hours is not None)
    hours_n = sum(r.handled for r in rows if r.avg_handling_hours is not None)
    rating = sum((r.rating_avg or 0) * r.rating_count for r in rows if r.rating_avg is not None)
    total = StatisticsRow(key="total", label=_("Tổng cộng / Total"), **counts)
    return replace(
        total,
        avg_handling_hours=round(hours / hours_n, 2) if hours_n else None,
        rating_avg=round(rating / counts["rating_count"], 2) if counts["rating_count"] else None,
    )


# --- labels -------------------------------------------------------------------------------------------------------


def _dimension_rows(group_by: str, raw: dict[str, dict[str, Any]]) -> list[StatisticsRow]:
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


def _period_rows(group_by: str, start: dt.date, end: dt.date, raw: dict[str, dict[str, Any]]) -> list[StatisticsRow]:
    """Every period of the range, in order, empty ones included (charts need the gaps)."""
    return [
        _row(period_id(group_by, day), period_label(group_by, day), raw.get(day.isoformat()))
        for day in _period_starts(group_by, start, end)
    ]


def _period_starts(group_by: str, start: dt.date, end: dt.date) -> Iterator[dt.date]:
    if group_by == "month":
        day = start.replace(day=1)
        while day <= end:
            yield day
            day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return
    step = 7 if group_by == "week" else 1
    day = start - dt.timedelta(days=start.weekday()) if group_by == "week" else start
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
