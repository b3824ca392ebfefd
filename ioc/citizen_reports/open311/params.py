"""Parsing Open311 GeoReport v2 arguments (R3.1). "Optional" arguments given empty count as absent (spec).

Every problem is a `ParamError` naming the argument, turned into the spec's error body with HTTP 400.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.http import QueryDict
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from ioc.citizen_reports.open311.formats import LOCAL_TZ

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
MAX_RANGE = dt.timedelta(days=90)  # spec: a start_date–end_date range "may not be greater than 90 days"
MAX_IDS = MAX_PAGE_SIZE
STATUSES = ("open", "closed")
_UNENCODED_PLUS = re.compile(r"(T\d\d:\d\d(?::\d\d(?:\.\d+)?)?) (\d\d:?\d\d)$")
_ATTRIBUTE = re.compile(r"^attribute\[([A-Za-z0-9_\-]{1,60})\](\[\])?$")


class ParamError(Exception):
    """A bad argument: `status` (400) and a description naming the argument."""

    def __init__(self, name: str, message: str, status: int = 400) -> None:
        super().__init__(f"{name}: {message}")
        self.name = name
        self.message = message
        self.status = status

    @property
    def description(self) -> str:
        return f"{self.name}: {self.message}"


def text(data: QueryDict, name: str) -> str:
    """The argument stripped ("" when absent or empty)."""
    return str(data.get(name, "") or "").strip()


def comma_list(data: QueryDict, name: str) -> list[str]:
    """A comma-separated argument (`a,b,c`), also accepted repeated; empty items dropped, order kept, no repeats."""
    items: list[str] = []
    for value in data.getlist(name):
        for item in str(value).split(","):
            item = item.strip()
            if item and item not in items:
                items.append(item)
    return items


def moment(data: QueryDict, name: str) -> dt.datetime | None:
    """A W3C ISO 8601 datetime (`2025-07-01T08:00:00+07:00`, `…Z`); a date or a time without offset is read
    in Vietnam's time (+07:00)."""
    raw = text(data, name)
    if not raw:
        return None
    raw = _UNENCODED_PLUS.sub(r"\1+\2", raw)  # "+07:00" sent unencoded in a query string arrives as " 07:00"
    try:
        parsed = parse_datetime(raw)
        if parsed is None:
            day = parse_date(raw)
            if day is None:
                raise ValueError(raw)
            parsed = dt.datetime.combine(day, dt.time.min)
    except ValueError:
        raise ParamError(
            name,
            _("Ngày giờ phải theo ISO 8601, ví dụ 2025-07-01T08:00:00+07:00 / Must be an ISO 8601 datetime"),
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=LOCAL_TZ)
    return parsed


def positive_int(data: QueryDict, name: str, *, default: int, maximum: int | None = None) -> int:
    raw = text(data, name)
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise ParamError(name, _("Phải là số nguyên dương / Must be a positive integer"))
    value = int(raw)
    if maximum is not None and value > maximum:
        raise ParamError(name, _("Tối đa %(max)d / At most %(max)d") % {"max": maximum})
    return value


@dataclass(frozen=True)
class ListQuery:
    """GET requests: `ids` (tracking codes) override every other filter (spec)."""

    ids: tuple[str, ...] = ()
    service_codes: tuple[str, ...] = ()
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    statuses: tuple[str, ...] = ()
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


def list_query(data: QueryDict, *, now: dt.datetime) -> ListQuery:
    """R3.1: the filters of GET requests; without dates, the last 90 days (the spec's default window);
    with one date, 90 days from or up to it."""
    page = positive_int(data, "page", default=1, maximum=1_000_000)
    page_size = positive_int(data, "page_size", default=DEFAULT_PAGE_SIZE, maximum=MAX_PAGE_SIZE)
    ids = comma_list(data, "service_request_id")
    if ids:
        if len(ids) > MAX_IDS:
            raise ParamError("service_request_id", _("Tối đa %(max)d mã / At most %(max)d ids") % {"max": MAX_IDS})
        return ListQuery(ids=tuple(i.upper() for i in ids), page=page, page_size=page_size)
    statuses = comma_list(data, "status")
    unknown = [s for s in statuses if s.lower() not in STATUSES]
    if unknown:
        raise ParamError("status", _("Chỉ nhận open hoặc closed / Only open or closed"))
    start, end = moment(data, "start_date"), moment(data, "end_date")
    if start is None and end is None:
        start, end = now - MAX_RANGE, None
    elif start is None and end is not None:
        start = end - MAX_RANGE
    elif start is not None and end is None:
        end = start + MAX_RANGE if start + MAX_RANGE < now else None
    if start is not None and end is not None:
        if end < start:
            raise ParamError("end_date", _("Phải sau start_date / Must not be before start_date"))
        if end - start > MAX_RANGE:
            raise ParamError("end_date", _("Khoảng thời gian tối đa 90 ngày / The range may not exceed 90 days"))
    return ListQuery(
        service_codes=tuple(comma_list(data, "service_code")),
        start=start,
        end=end,
        statuses=tuple(sorted({s.lower() for s in statuses})),
        page=page,
        page_size=page_size,
    )


@dataclass
class Attributes:
    """`attribute[code]=value` and `attribute[code][]=v1&attribute[code][]=v2` from a POST."""

    values: dict[str, list[str]] = field(default_factory=dict)

    def single(self, code: str) -> str:
        found = self.values.get(code, [])
        return found[-1] if found else ""


def attributes(data: QueryDict) -> Attributes:
    found = Attributes()
    for key in data:
        if not key.startswith("attribute"):
            continue
        match = _ATTRIBUTE.match(key)
        if match is None:
            raise ParamError(key, _("Tên thuộc tính không hợp lệ / Malformed attribute name"))
        values = [str(v).strip() for v in data.getlist(key) if str(v).strip()]
        if values:
            found.values.setdefault(match.group(1), []).extend(values)
    return found


def boolean_choice(value: str, name: str, *, default: bool) -> bool:
    """A singlevaluelist `true`/`false` attribute value."""
    if not value:
        return default
    lowered = value.lower()
    if lowered in ("true", "1", "yes"):
        return True
    if lowered in ("false", "0", "no"):
        return False
    raise ParamError(name, _("Chỉ nhận true hoặc false / Only true or false"))
