"""R8.2: due days of the act's report calendar (pure rules, no database).

A periodic report is due before day D (the act's `due_day`; R8.2's 25th when the act names none) of its period's
last month: Lộc Ninh's monthly report before the 25th of the month, the quarterly one before the 25th of the
quarter's last month (003:11.6). A due day that is not a working day (weekend, holiday, an administrator's day
off) moves to the next working day, as `worktime` rules; the rule is stated in words for the screen.
"""

from __future__ import annotations

import calendar as cal
import datetime as dt
from dataclasses import dataclass

from ioc.common.periods import period_code, period_parse
from ioc.reporting.choices import CADENCE_PERIOD_TYPE, Cadence
from ioc.worktime.selectors import WorkCalendar, is_working_day, next_working_day

DEFAULT_DUE_DAY = 25
DRAFT_LEAD_DAYS = 10
REMIND_BEFORE_DAYS = 3
WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")
# The operations template each periodic frequency of the act's calendar is drafted with.
FREQUENCY_TEMPLATE = {
    Cadence.MONTHLY: "operations-monthly",
    Cadence.QUARTERLY: "operations-quarterly",
    Cadence.HALF_YEARLY: "operations-half-yearly",
    Cadence.YEARLY: "operations-yearly",
}


@dataclass(frozen=True)
class Due:
    """One period's due day: the act's day, the day after moving off days off, and the rule in words."""

    period: str
    nominal: dt.date
    due: dt.date
    rule: str
    draft_on: dt.date


def _last_month_day(period: str, day: int) -> dt.date:
    last = (period_parse(period).end - dt.timedelta(days=1)).date()
    return last.replace(day=min(day, cal.monthrange(last.year, last.month)[1]))


def _day(day: dt.date) -> str:
    return f"{WEEKDAYS[day.weekday()]} {day:%d/%m/%Y}"


def due_for(*, frequency: str, period: str, due_day: int | None, due_rule: str, calendar: WorkCalendar) -> Due:
    """The due day of `period` for a calendar entry, moved off a day off with the reason stated."""
    nominal = _last_month_day(period, due_day or DEFAULT_DUE_DAY)
    base = due_rule or f"Trước ngày {due_day or DEFAULT_DUE_DAY} của tháng cuối kỳ (R8.2)"
    due = nominal if is_working_day(nominal, calendar) else next_working_day(nominal, calendar)
    rule = base
    if due != nominal:
        rule = f"{base}; {_day(nominal)} là ngày nghỉ nên hạn chuyển sang ngày làm việc kế tiếp, {_day(due)}"
    return Due(period=period, nominal=nominal, due=due, rule=rule, draft_on=due - dt.timedelta(days=DRAFT_LEAD_DAYS))


def periods_around(*, frequency: str, today: dt.date) -> list[str]:
    """The period holding `today` and the one before it (the report of a period just ended may still be due)."""
    kind = CADENCE_PERIOD_TYPE[Cadence(frequency)]
    current = period_code(today, kind)
    previous = period_code(period_parse(current).start.date() - dt.timedelta(days=1), kind)
    return [previous, current]


def periods_of_year(*, frequency: str, year: int) -> list[str]:
    """Every period of a frequency in a year (the calendar page and its tests)."""
    kind = CADENCE_PERIOD_TYPE[Cadence(frequency)]
    codes = [period_code(dt.date(year, month, 1), kind) for month in range(1, 13)]
    return list(dict.fromkeys(codes))
