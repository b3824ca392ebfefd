"""DHIS2 period ids (DESIGN "Periods"): `2025`, `2025S1`, `2025Q3`, `202507`, `2025W28`, `20250714`.

Shared by every app that takes a period in an API, an import or a URL (citizen reports' filters, the data hub's
submissions and series). A period is a half-open interval in Asia/Ho_Chi_Minh.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
_PERIOD = re.compile(r"([0-9]{4})(?:([SQW])([0-9]{1,2})|([0-9]{2})([0-9]{2})?)?")


@dataclass(frozen=True)
class Period:
    """A DHIS2 period id (DESIGN "Periods") as a half-open interval in Asia/Ho_Chi_Minh."""

    code: str
    start: dt.datetime
    end: dt.datetime


def _bounds(first: dt.date, after: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(first, dt.time.min, tzinfo=LOCAL_TZ)
    return start, dt.datetime.combine(after, dt.time.min, tzinfo=LOCAL_TZ)


def _month_after(year: int, month: int) -> dt.date:
    return dt.date(year + (month == 12), month % 12 + 1, 1)


def period_parse(code: str) -> Period:
    """'2025', '2025S1', '2025Q3', '202507', '2025W28', '20250714' → Period; anything else → ValidationError."""
    try:
        start, end = _period_bounds(code)
    except (ValueError, AttributeError) as exc:
        raise ValidationError(
            _("Kỳ không hợp lệ (ví dụ 2025, 2025Q3, 202507)"),
            code="invalid_period",
        ) from exc
    return Period(code, start, end)


def _period_bounds(code: str) -> tuple[dt.datetime, dt.datetime]:
    match = _PERIOD.fullmatch(code)
    if match is None:
        raise ValueError(code)
    year, kind, number, month, day = match.groups()
    y = int(year)
    if kind == "S" and number in ("1", "2"):
        first = dt.date(y, 1 + 6 * (int(number) - 1), 1)
        return _bounds(first, _month_after(y, first.month + 5))
    if kind == "Q" and number in ("1", "2", "3", "4"):
        first = dt.date(y, 1 + 3 * (int(number) - 1), 1)
        return _bounds(first, _month_after(y, first.month + 2))
    if kind == "W":
        first = dt.date.fromisocalendar(y, int(number), 1)
        return _bounds(first, first + dt.timedelta(days=7))
    if kind is None and month is None:
        return _bounds(dt.date(y, 1, 1), dt.date(y + 1, 1, 1))
    if kind is None and day is None:
        return _bounds(dt.date(y, int(month), 1), _month_after(y, int(month)))
    if kind is None:
        first = dt.date(y, int(month), int(day))
        return _bounds(first, first + dt.timedelta(days=1))
    raise ValueError(code)


PERIOD_TYPES = ("year", "half", "quarter", "month", "week", "day")


def period_code(day: dt.date, period_type: str) -> str:
    """The DHIS2 id of the period of `period_type` (year, half, quarter, month, week, day) holding `day`."""
    if period_type == "year":
        return f"{day.year}"
    if period_type == "half":
        return f"{day.year}S{1 + (day.month > 6)}"
    if period_type == "quarter":
        return f"{day.year}Q{(day.month - 1) // 3 + 1}"
    if period_type == "month":
        return f"{day.year}{day.month:02d}"
    if period_type == "week":
        year, week, _weekday = day.isocalendar()
        return f"{year}W{week}"
    if period_type == "day":
        return day.strftime("%Y%m%d")
    raise ValueError(period_type)
