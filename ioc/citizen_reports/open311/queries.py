"""The reads Open311 needs (R3.1, R3.4), built on `citizen_reports.selectors` (public fields only, spam hidden).

A page of GET requests costs three short queries whatever its size: the page's ids from the indexed columns,
those reports as plain rows (category, agency, commune, a duplicate's original and the last public event's
time in the same SELECT), and the first public photo of the published ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from ioc.citizen_reports import selectors
from ioc.citizen_reports.choices import CLOSED_STATUSES, OPEN_STATUSES, ReportStatus
from ioc.citizen_reports.models import Category
from ioc.citizen_reports.open311.params import ListQuery

Row = dict[str, Any]


@dataclass(frozen=True)
class Page:
    """Rows of public reports (`selectors.public_report_rows`), whether another page follows, and the first
    public photo of each published report (report id → photo id)."""

    rows: list[Row]
    has_next: bool = False
    photos: dict[int, int] = field(default_factory=dict)


def active_services() -> QuerySet[Category]:
    """Active categories, i.e. GeoReport services."""
    return selectors.category_list(active_only=True)


def service_get(code: str) -> Category | None:
    return selectors.category_get(code=code, active_only=True)


def _with_photos(rows: list[Row], has_next: bool = False) -> Page:
    # Only a published report shows a photo (the operator chose which are public): others need no query.
    published = [row["pk"] for row in rows if row["status"] == ReportStatus.PUBLISHED]
    return Page(rows=rows, has_next=has_next, photos=selectors.public_first_photos(report_ids=published))


def requests_page(query: ListQuery) -> Page:
    """One page of GET requests, newest first."""
    size = query.page_size
    if query.ids:
        rows = selectors.public_report_rows(tracking_codes=query.ids, offset=query.offset, limit=size + 1)
        return _with_photos(rows[:size], len(rows) > size)
    statuses: frozenset[str] = frozenset()
    if len(query.statuses) == 1:
        statuses = CLOSED_STATUSES if query.statuses[0] == "closed" else OPEN_STATUSES
    ids = selectors.public_report_page_ids(
        statuses=statuses,
        category_codes=query.service_codes,
        start=query.start,
        end=query.end,
        offset=query.offset,
        limit=size + 1,
    )
    rows = selectors.public_report_rows(ids=ids[:size]) if ids else []
    return _with_photos(rows, len(ids) > size)


def request_get(code: str) -> Page | None:
    """One public report by its tracking code (the GeoReport service_request_id), or None (spam: None)."""
    normalized = selectors.normalize_code(code)
    if not normalized:
        return None
    rows = selectors.public_report_rows(tracking_codes=[normalized], limit=1)
    return _with_photos(rows) if rows else None
