"""Period arithmetic of the indicators' period types (DHIS2 ids, `ioc.common.periods`)."""

from __future__ import annotations

import datetime as dt

from ioc.common.periods import period_code, period_parse
from ioc.indicators.choices import PERIODS_PER_YEAR, PeriodType

_MONTHS = {PeriodType.MONTH: 1, PeriodType.QUARTER: 3, PeriodType.HALF: 6, PeriodType.YEAR: 12}


def start_date(code: str) -> dt.date:
    return period_parse(code).start.date()


def matches(code: str, period_type: str) -> bool:
    """Whether a valid period id is of this period type (202507 is a month, 2025Q3 a quarter…)."""
    return period_code(start_date(code), period_type) == code


def shift(code: str, period_type: str, steps: int) -> str:
    """The period `steps` periods after (negative: before) `code` of the same type."""
    day = start_date(code)
    months = day.year * 12 + day.month - 1 + steps * _MONTHS[PeriodType(period_type)]
    return period_code(dt.date(months // 12, months % 12 + 1, 1), period_type)


def sequence(last: str, period_type: str, count: int) -> list[str]:
    """`count` consecutive periods ending with `last`, oldest first."""
    return [shift(last, period_type, k) for k in range(1 - count, 1)]


def year_periods(year: int, period_type: str) -> list[str]:
    """The periods of a year, in order."""
    first = period_code(dt.date(year, 1, 1), period_type)
    return [shift(first, period_type, k) for k in range(PERIODS_PER_YEAR[PeriodType(period_type)])]


def season(period_type: str) -> int:
    return PERIODS_PER_YEAR[PeriodType(period_type)]
