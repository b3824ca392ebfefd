"""R10.4: cutting a month into duty shifts from the center's working calendar (`worktime`), pure: a 24/7 center
runs three shifts every day, holidays included; office hours run one shift per working period on working days
only (Tết and other days off have none). Local (Asia/Ho_Chi_Minh) wall-clock times."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from ioc.operations.allowance_calc import month_bounds
from ioc.operations.choices import AROUND_THE_CLOCK_SHIFTS, OFFICE_SHIFT_LABELS
from ioc.worktime.selectors import LOCAL_TZ, WorkCalendar, is_working_day, statutory_year


@dataclass(frozen=True)
class ShiftCut:
    label: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    is_holiday: bool


def is_holiday(day: dt.date) -> bool:
    """A statutory holiday (`holidays.VN`, Tết by the lunar calendar)."""
    return day in statutory_year(day.year)[0]


def cut_month(month: dt.date, calendar: WorkCalendar) -> Iterator[ShiftCut]:
    first, last = month_bounds(month)
    day = first
    while day <= last:
        yield from cut_day(day, calendar)
        day += dt.timedelta(days=1)


def cut_day(day: dt.date, calendar: WorkCalendar) -> Iterator[ShiftCut]:
    holiday = is_holiday(day)
    if calendar.around_the_clock:
        for hour, hours, label in AROUND_THE_CLOCK_SHIFTS:
            start = dt.datetime.combine(day, dt.time(hour), LOCAL_TZ)
            yield ShiftCut(label, start, start + dt.timedelta(hours=hours), holiday)
        return
    if not is_working_day(day, calendar):
        return
    for index, (begin, end) in enumerate(calendar.periods):
        label = OFFICE_SHIFT_LABELS[index] if index < len(OFFICE_SHIFT_LABELS) else f"Ca {index + 1}"
        yield ShiftCut(
            label, dt.datetime.combine(day, begin, LOCAL_TZ), dt.datetime.combine(day, end, LOCAL_TZ), holiday
        )


def inside_office_hours(starts_at: dt.datetime, ends_at: dt.datetime, calendar: WorkCalendar) -> bool:
    """Whether a shift lies within one working period of a working day (always true for 24/7)."""
    if calendar.around_the_clock:
        return True
    start, end = starts_at.astimezone(LOCAL_TZ), ends_at.astimezone(LOCAL_TZ)
    if start.date() != end.date() or not is_working_day(start.date(), calendar):
        return False
    return any(begin <= start.time() and end.time() <= finish for begin, finish in calendar.periods)
