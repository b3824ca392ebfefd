"""R10.4 (003:9): the arithmetic of a monthly allowance, pure (no database): days in post at each work place, the
amount under the rule's proration, the text printed on the sheet. Integer đồng; halves round up.

- `none`: a month with any day in post is paid whole, at the rate of the place held for the most days (on a tie,
  the place held last).
- `by_days`: each place's rate × its days in post ÷ the month's days, summed, rounded once.
A place whose rule names no allowance is "chưa quy định": it adds nothing, and a line with nothing else is None.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ioc.operations.choices import Proration, WorkPlace

Span = tuple[str, dt.date, dt.date | None]  # (work place, first day, last day or None = open)
UNSET = "chưa quy định"
# The work places in their order, read once: `WorkPlace.values` builds the choices (lazy labels) on every call,
# which was a third of a 2,000-line month (issue 24 "Speed", profiled).
PLACES: tuple[str, ...] = tuple(member.value for member in WorkPlace)


@dataclass(frozen=True)
class LineAmount:
    days: dict[str, int]
    days_in_month: int
    amount_vnd: int | None
    basis: str


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def vnd(amount: int | None) -> str:
    """1000000 → "1.000.000" (Vietnamese thousands separator); None → "chưa quy định"."""
    return UNSET if amount is None else f"{amount:,}".replace(",", ".")


def days_by_place(spans: Iterable[Span], month: dt.date) -> tuple[dict[str, int], str | None]:
    """Days in post at each place within `month`, and the place held on the last day in post."""
    first, last = month_bounds(month)
    days: dict[str, int] = {}
    latest: tuple[dt.date, str] | None = None
    for place, starts, ends in spans:
        begin, finish = max(first, starts), min(last, ends or last)
        if finish < begin:
            continue
        days[place] = days.get(place, 0) + (finish - begin).days + 1
        if latest is None or finish > latest[0]:
            latest = (finish, place)
    return days, latest[1] if latest else None


def line_amount(
    spans: Iterable[Span], month: dt.date, rates: Mapping[str, int | None], proration: str
) -> LineAmount | None:
    """The allowance of one person for `month` (None: not in post that month)."""
    days, last_place = days_by_place(spans, month)
    if not days:
        return None
    in_month = month_bounds(month)[1].day
    if proration == Proration.BY_DAYS:
        return _by_days(days, in_month, rates)
    chosen = max(days, key=lambda place: (days[place], place == last_place))
    rate = rates.get(chosen)
    basis = f"{vnd(rate)} ({WorkPlace(chosen).label}, cả tháng)" if rate is not None else UNSET
    return LineAmount(days, in_month, rate, basis)


def _by_days(days: dict[str, int], in_month: int, rates: Mapping[str, int | None]) -> LineAmount:
    numerator, parts = 0, []
    for place in PLACES:
        if place not in days:
            continue
        rate = rates.get(place)
        if rate is None:
            parts.append(f"{UNSET} × {days[place]}/{in_month}")
            continue
        numerator += rate * days[place]
        parts.append(f"{vnd(rate)} × {days[place]}/{in_month}")
    defined = any(rates.get(place) is not None for place in days)
    amount = (2 * numerator + in_month) // (2 * in_month) if defined else None
    return LineAmount(days, in_month, amount, " + ".join(parts))
