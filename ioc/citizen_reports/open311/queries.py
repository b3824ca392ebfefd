"""The reads Open311 needs (R3.1, R3.4), built on `citizen_reports.selectors` (public fields only, spam hidden).

Three queries per page whatever its size: the page's ids, the reports (with category, agency, commune and the last
public event's time in the same SELECT) and the public photos of those reports.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import F, OuterRef, Prefetch, QuerySet, Subquery

from ioc.citizen_reports import selectors
from ioc.citizen_reports.choices import CLOSED_STATUSES, OPEN_STATUSES
from ioc.citizen_reports.models import Category, Report, ReportEvent
from ioc.citizen_reports.open311.params import ListQuery

# Only what a GeoReport `request` shows: never the reporter, never internal fields, never unit geometry.
REQUEST_FIELDS = (
    "tracking_code",
    "status",
    "description",
    "address",
    "lat",
    "lon",
    "received_at",
    "closed_at",
    "deadline_at",
    "rejection_reason",
    "result",
    "category__code",
    "category__name",
    "agency__name",
    "unit__code",
    "unit__hierarchy",
)
PHOTOS_ATTR = "open311_photos"


def active_services() -> QuerySet[Category]:
    """Active categories, i.e. GeoReport services."""
    return selectors.category_list(active_only=True)


def service_get(code: str) -> Category | None:
    return selectors.category_get(code=code, active_only=True)


def _requests(filters: dict[str, object]) -> QuerySet[Report]:
    last_public_event = (
        ReportEvent.objects.filter(report_id=OuterRef("pk"), is_public=True).order_by("-at").values("at")[:1]
    )
    return (
        selectors.public_reports(filters=filters)
        .only(*REQUEST_FIELDS)
        .annotate(open311_updated_at=Subquery(last_public_event), open311_original=F("duplicate_of__tracking_code"))
        .prefetch_related(Prefetch("photos", queryset=selectors.public_photo_queryset(), to_attr=PHOTOS_ATTR))
    )


def requests_page(query: ListQuery) -> tuple[list[Report], bool]:
    """One page of GET requests (newest first) and whether another page follows.

    The page's ids come first from a lean query on the indexed columns, then only those rows are read with
    their joins and last-event subquery: SQLite would otherwise build every matching row before sorting
    (docs/benchmarks.md, Open311 GET on SQLite)."""
    if query.ids:
        rows = list(_requests({"tracking_codes": list(query.ids)})[query.offset : query.offset + query.page_size + 1])
        return rows[: query.page_size], len(rows) > query.page_size
    filters: dict[str, object] = {}
    if query.service_codes:
        filters["category"] = list(query.service_codes)
    if len(query.statuses) == 1:
        filters["status"] = sorted(CLOSED_STATUSES if query.statuses[0] == "closed" else OPEN_STATUSES)
    lean = selectors.public_reports(filters=filters)
    if query.start is not None:
        lean = lean.filter(received_at__gte=query.start)
    if query.end is not None:
        lean = lean.filter(received_at__lte=query.end)
    ids = list(lean.values_list("pk", flat=True)[query.offset : query.offset + query.page_size + 1])
    position = {pk: index for index, pk in enumerate(ids[: query.page_size])}
    rows = sorted(_requests({}).filter(pk__in=position), key=lambda report: position[report.pk])
    return rows, len(ids) > query.page_size


def request_get(code: str) -> Report | None:
    """One public report by its tracking code (the GeoReport service_request_id), or None (spam: None)."""
    normalized = selectors.normalize_code(code)
    if not normalized:
        return None
    found: Sequence[Report] = list(_requests({"tracking_codes": [normalized]})[:1])
    return found[0] if found else None
