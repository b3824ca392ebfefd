"""DHIS2 period ids (DESIGN "Periods": `2025`, `2025S1`, `2025Q3`, `202507`, `2025W28`, `20250714`) → the
interval they cover, in Asia/Ho_Chi_Minh (R5.5: `datastream_aggregate`)."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
_PATTERNS = (
    (re.compile(r"(\d{4})"), "year"),
    (re.compile(r"(\d{4})S([12])"), "half"),
    (re.compile(r"(\d{4})Q([1-4])"), "quarter"),
    (re.compile(r"(\d{4})(0[1-9]|1[0-2])"), "month"),
    (re.compile(r"(\d{4})W(\d{1,2})"), "week"),
    (re.compile(r"(\d{4})(\d{2})(\d{2})"), "day"),
)


def _month_start(year: int, month: int) -> dt.date:
    return dt.date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def _dates(kind: str, a: int, b: int, c: int) -> tuple[dt.date, dt.date]:
    if kind == "year":
        return dt.date(a, 1, 1), dt.date(a + 1, 1, 1)
    if kind in ("half", "quarter"):
        months = 6 if kind == "half" else 3
        first = (b - 1) * months + 1
        return _month_start(a, first), _month_start(a, first + months)
    if kind == "month":
        return _month_start(a, b), _month_start(a, b + 1)
    if kind == "week":
        monday = dt.date.fromisocalendar(a, b, 1)
        return monday, monday + dt.timedelta(days=7)
    day = dt.date(a, b, c)
    return day, day + dt.timedelta(days=1)


def period_bounds(period: str) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of a DHIS2 period id in local time; ValueError for anything else."""
    for pattern, kind in _PATTERNS:
        match = pattern.fullmatch(period or "")
        if match:
            numbers = [int(g) for g in match.groups()] + [0, 0]
            start, end = _dates(kind, numbers[0], numbers[1], numbers[2])
            return (dt.datetime.combine(start, dt.time(), LOCAL), dt.datetime.combine(end, dt.time(), LOCAL))
    raise ValueError(f"Kỳ không hợp lệ: {period!r} / Invalid period: {period!r}")
