"""Cadence of the data hub's obligations (R1.3): pure functions, no database access.

A rule (frequency, weekdays, day, month, local due time) gives nominal due days; a day that is not a working day
of the agency's calendar (holiday, weekend, an administrator's day off) moves to the next working day. Each due
instant is then judged against the agency's accepted submissions: one received after the previous due instant
and no later than this one is on time; otherwise the first one after it (and before the next due instant) makes
it late; none, once the instant has passed, makes it missing. A submission answers one due instant only.
"""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ioc.datahub.choices import DueState, ObligationFrequency
from ioc.worktime.selectors import LOCAL_TZ, WorkCalendar, is_working_day, next_working_day

# How far apart two due days can be, per frequency: the look-back and look-ahead around a range (plus the longest
# run of days off, Tết, that can push a due day forward).
SPAN_DAYS: dict[str, int] = {
    ObligationFrequency.TEMPLATE: 8,
    ObligationFrequency.WEEKLY: 8,
    ObligationFrequency.MONTHLY: 32,
    ObligationFrequency.QUARTERLY: 93,
    ObligationFrequency.YEARLY: 367,
}
DAYS_OFF_MAX = 15
QUARTER_MONTHS = (1, 4, 7, 10)


@dataclass(frozen=True)
class Rule:
    """R1.3: when an obligation falls due. `weekdays` are ISO weekdays (1 = Monday)."""

    frequency: str
    weekdays: tuple[int, ...] = ()
    day: int | None = None
    month: int | None = None
    due_time: dt.time = dt.time(17, 0)


@dataclass(frozen=True)
class Due:
    """One due instant and what became of it (`submitted_at`: the submission that answered it)."""

    at: dt.datetime
    state: str
    submitted_at: dt.datetime | None = None

    @property
    def label(self) -> str:
        return str(DueState(self.state).label)

    @property
    def is_overdue(self) -> bool:
        return self.state == DueState.MISSING


def rule_weekdays(frequency: str, own: Sequence[int], cadence: Sequence[int]) -> tuple[int, ...]:
    """R1.3: a template obligation follows the profile's template cadence when it sets one, else its own days."""
    if frequency == ObligationFrequency.TEMPLATE and cadence:
        return tuple(sorted(set(cadence)))
    return tuple(sorted(set(own)))


def _months(start: dt.date, end: dt.date) -> Iterator[tuple[int, int]]:
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _on_day(year: int, month: int, day: int) -> dt.date:
    """Day `day` of the month, or its last day when the month is shorter (the 31st of February is the 28th/29th)."""
    return dt.date(year, month, min(day, month_calendar.monthrange(year, month)[1]))


def nominal_days(rule: Rule, start: dt.date, end: dt.date) -> Iterator[dt.date]:
    """The due days before any move, from `start` to `end` (both included)."""
    if rule.frequency in (ObligationFrequency.TEMPLATE, ObligationFrequency.WEEKLY):
        day = start
        while day <= end:
            if day.isoweekday() in rule.weekdays:
                yield day
            day += dt.timedelta(days=1)
        return
    months: tuple[int, ...] = tuple(range(1, 13))
    if rule.frequency == ObligationFrequency.QUARTERLY:
        months = QUARTER_MONTHS
    elif rule.frequency == ObligationFrequency.YEARLY:
        months = (rule.month or 1,)
    for year, month in _months(start, end):
        if month in months:
            candidate = _on_day(year, month, rule.day or 1)
            if start <= candidate <= end:
                yield candidate


def due_instants(rule: Rule, *, start: dt.date, end: dt.date, calendar: WorkCalendar) -> list[dt.datetime]:
    """R1.3: the due instants whose (moved) day lies in [start, end], at the rule's local due time."""
    days: set[dt.date] = set()
    for day in nominal_days(rule, start - dt.timedelta(days=DAYS_OFF_MAX), end):
        moved = day if is_working_day(day, calendar) else next_working_day(day, calendar)
        if start <= moved <= end:
            days.add(moved)
    return [dt.datetime.combine(day, rule.due_time, tzinfo=LOCAL_TZ) for day in sorted(days)]


def judge(
    dues: Sequence[dt.datetime], received: Sequence[dt.datetime], *, now: dt.datetime, since: dt.datetime
) -> list[Due]:
    """R1.3: on time, late, missing or upcoming for each due instant (sorted), given the accepted submissions'
    receipt instants; `since` bounds the first due's window (submissions before it answered earlier dues)."""
    pending = sorted(moment for moment in received if moment > since)
    result: list[Due] = []
    previous = since
    for index, due in enumerate(dues):
        window = [moment for moment in pending if previous < moment <= due]
        following = dues[index + 1] if index + 1 < len(dues) else None
        if window:
            pending = [moment for moment in pending if moment > due]
            result.append(Due(due, DueState.ON_TIME, window[-1]))
        elif pending and (following is None or pending[0] <= following) and pending[0] <= now:
            result.append(Due(due, DueState.LATE, pending.pop(0)))
        else:
            result.append(Due(due, DueState.MISSING if due < now else DueState.UPCOMING))
        previous = due
    return result


def obligation_dues(
    rule: Rule,
    *,
    start: dt.date,
    end: dt.date,
    calendar: WorkCalendar,
    received: Sequence[dt.datetime],
    now: dt.datetime,
) -> list[Due]:
    """R1.3: the judged due instants of [start, end]; the window is widened by one period each side so the first
    due knows its predecessor and the last one may still be answered late before the next."""
    span = dt.timedelta(days=SPAN_DAYS.get(rule.frequency, 32) + DAYS_OFF_MAX)
    wide = due_instants(rule, start=start - span, end=end + span, calendar=calendar)
    before = [due for due in wide if due.astimezone(LOCAL_TZ).date() < start]
    since = before[-1] if before else dt.datetime.combine(start - span, rule.due_time, tzinfo=LOCAL_TZ)
    judged = judge([due for due in wide if due > since], received, now=now, since=since)
    return [due for due in judged if due.at.astimezone(LOCAL_TZ).date() <= end]
