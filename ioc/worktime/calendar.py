"""Working-time arithmetic (R3.3, R4.3): pure functions over a `WorkCalendar`, no database access.

Days are Asia/Ho_Chi_Minh days (no daylight saving, so a local date plus a wall-clock time is one instant).
A day is a working day when an administrator's exception says so; otherwise when it is not a statutory
holiday (`holidays.VN`, Tết by the lunar calendar) and is Monday–Friday or a compensatory working Saturday
that `holidays.VN` knows. Deadlines count working hours inside the day's periods; a 24/7 calendar counts
plain hours. Statutory sets are cached per year so thousands of calls cost little.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import holidays

from ioc.worktime.choices import ExceptionKind

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
Period = tuple[dt.time, dt.time]
DEFAULT_PERIODS: tuple[Period, ...] = ((dt.time(7, 30), dt.time(11, 30)), (dt.time(13, 30), dt.time(17, 0)))
_MAX_DAYS = 366 * 20  # a deadline further than this is a caller's bug, not a long search


@dataclass(frozen=True)
class WorkCalendar:
    """Working periods of a day, 24/7 flag, and the administrator's exceptions (date → kind)."""

    periods: tuple[Period, ...] = DEFAULT_PERIODS
    around_the_clock: bool = False
    exceptions: Mapping[dt.date, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        previous = dt.time.min
        for start, end in self.periods:
            if not (previous <= start < end):
                raise ValueError("Giờ làm việc phải tăng dần / Working periods must be increasing and disjoint")
            previous = end

    @property
    def hours_per_day(self) -> float:
        return sum(_seconds(s, e) for s, e in self.periods) / 3600


@functools.lru_cache(maxsize=128)
def statutory_year(year: int) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    """(holidays, compensatory working weekend days) of `year` according to `holidays.VN`."""
    calendar = holidays.country_holidays("VN", years=year)
    days_off = frozenset(day for day in calendar if day.year == year)
    workdays = frozenset(d for d in getattr(calendar, "weekend_workdays", ()) if d.year == year)
    return days_off, workdays


def is_statutory_working_day(day: dt.date) -> bool:
    """The national calendar alone, without the administrator's exceptions."""
    days_off, workdays = statutory_year(day.year)
    if day in days_off:
        return False
    return day in workdays or day.weekday() < 5


def is_working_day(day: dt.date, calendar: WorkCalendar) -> bool:
    """R3.3: whether work is counted on `day` (a local date) under `calendar`."""
    if calendar.around_the_clock:
        return True
    kind = calendar.exceptions.get(day)
    if kind is not None:
        return kind == ExceptionKind.WORKING_DAY
    return is_statutory_working_day(day)


def next_working_day(day: dt.date, calendar: WorkCalendar) -> dt.date:
    """The first working day strictly after `day`."""
    for candidate in _days_from(day + dt.timedelta(days=1)):
        if is_working_day(candidate, calendar):
            return candidate
    raise AssertionError("unreachable")  # pragma: no cover


def _seconds(start: dt.time, end: dt.time) -> float:
    return (end.hour - start.hour) * 3600 + (end.minute - start.minute) * 60 + (end.second - start.second)


def _days_from(day: dt.date) -> Iterator[dt.date]:
    for offset in range(_MAX_DAYS):
        yield day + dt.timedelta(days=offset)
    raise ValueError("Khoảng thời gian quá dài / Span longer than 20 years")


def _local(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("Cần thời điểm có múi giờ / An aware datetime is required")
    return moment.astimezone(LOCAL_TZ)


def _periods_on(day: dt.date, calendar: WorkCalendar) -> Iterator[tuple[dt.datetime, dt.datetime]]:
    if not is_working_day(day, calendar):
        return
    for start, end in calendar.periods:
        yield dt.datetime.combine(day, start, LOCAL_TZ), dt.datetime.combine(day, end, LOCAL_TZ)


def deadline_add(*, start: dt.datetime, working_hours: float, calendar: WorkCalendar) -> dt.datetime:
    """R3.3, R4.3: the moment `working_hours` of work after `start` (aware, returned in Asia/Ho_Chi_Minh).

    Work started outside hours starts at the next working period; a due time that falls exactly at the end
    of a period stays there (17:00, not the next morning); a 24/7 calendar adds plain hours.
    """
    if working_hours < 0:
        raise ValueError("Số giờ làm việc không được âm / working_hours must not be negative")
    cursor = _local(start)
    remaining = dt.timedelta(hours=working_hours)
    if calendar.around_the_clock:
        return cursor + remaining
    if not calendar.periods:
        raise ValueError("Lịch không có giờ làm việc / The calendar has no working periods")
    for day in _days_from(cursor.date()):
        for begin, end in _periods_on(day, calendar):
            if cursor >= end:
                continue
            begin = max(begin, cursor)
            if remaining <= end - begin:
                return begin + remaining
            remaining -= end - begin
            cursor = end
    raise AssertionError("unreachable")  # pragma: no cover


def working_hours_between(*, start: dt.datetime, end: dt.datetime, calendar: WorkCalendar) -> float:
    """R3.3, R4.3: working hours elapsed from `start` to `end` (0 when `end` is not after `start`)."""
    begin, finish = _local(start), _local(end)
    if finish <= begin:
        return 0.0
    if calendar.around_the_clock:
        return (finish - begin).total_seconds() / 3600
    total = dt.timedelta()
    for day in _days_from(begin.date()):
        if day > finish.date():
            break
        for p_start, p_end in _periods_on(day, calendar):
            overlap = min(p_end, finish) - max(p_start, begin)
            if overlap > dt.timedelta():
                total += overlap
    return total.total_seconds() / 3600
