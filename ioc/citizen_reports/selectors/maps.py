"""DESIGN "Map hooks" of citizen reports: counts in an area, points in a box (R7.1 scope, spam left out) and the
IOC's work items for the operator's single queue (`ioc.web.selectors` finds `citizen_reports_work_items`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count, Max, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from ioc.accounts.choices import IOC_STAFF_ROLES
from ioc.citizen_reports import permissions
from ioc.citizen_reports.choices import HIDDEN_STATUSES, OPEN_STATUSES, ReportStatus
from ioc.citizen_reports.models import Category, Report, ReportEvent
from ioc.citizen_reports.selectors._base import S, scoped_reports
from ioc.common.rawread import Compiled, datetime_reader
from ioc.common.workitems import WorkFilter
from ioc.common.workitems import WorkItem as WorkItem
from ioc.geo.selectors import Area, BBox, filter_box, point_counts_in_area

FEATURES_MAX = 5000
WORK_ITEMS_PER_KIND = 50


def _mapped(user: Any) -> QuerySet[Report]:
    return scoped_reports(user).exclude(status__in=HIDDEN_STATUSES).filter(lat__isnull=False, lon__isnull=False)


def citizen_reports_counts_in_area(
    *, user: Any, area: Area, start: dt.datetime | None = None, end: dt.datetime | None = None
) -> dict[str, Any]:
    """DESIGN "Map hooks": reports with a point in `area` that `user` may see (spam left out): total, open, by
    status and by category code (R6.2). A GROUP BY over grid cells; exact point tests only for the rows of cells
    the border crosses. `start`/`end` (half-open) keep the reports received in a period (a report's area scope,
    R8.1, issue 17)."""
    qs = _mapped(user)
    if start is not None:
        qs = qs.filter(received_at__gte=start)
    if end is not None:
        qs = qs.filter(received_at__lt=end)
    pairs = point_counts_in_area(qs, area, key=("status", "category_id"))
    counts: dict[str, int] = {}
    by_id: dict[int, int] = {}
    for (status, category_id), n in pairs.items():
        counts[status] = counts.get(status, 0) + n
        by_id[category_id] = by_id.get(category_id, 0) + n
    codes = dict(Category.objects.filter(pk__in=by_id).values_list("pk", "code"))
    by_category = {codes[pk]: n for pk, n in by_id.items() if pk in codes}
    return {
        "total": sum(counts.values()),
        "open": sum(n for status, n in counts.items() if status in OPEN_STATUSES),
        "by_status": counts,
        "by_category": by_category,
    }


def citizen_reports_cell_counts(*, user: Any, bbox: Any, zoom: int | None = None) -> dict[str, int]:
    """DESIGN "Map hooks" (R6.1 server clustering): the reports `user` may see in `bbox`, counted per 0.01° grid
    cell with the same filter as `citizen_reports_features` (open only below zoom 12). One GROUP BY over the box's
    cells, read from the covering index `reports_cell_cover_idx` alone (issue 20)."""
    qs = _in_view(user, bbox, zoom)
    rows = qs.order_by().values_list("grid_cell").annotate(n=Count("pk")).values_list("grid_cell", "n")
    return {cell: n for cell, n in rows if cell}


def _bbox(value: Any) -> BBox:
    if isinstance(value, BBox):
        return value
    min_lat, min_lon, max_lat, max_lon = (float(v) for v in value)
    return BBox(min_lat, min_lon, max_lat, max_lon)


def _in_view(user: Any, bbox: Any, zoom: int | None) -> QuerySet[Report]:
    qs = filter_box(_mapped(user), _bbox(bbox))
    return qs.filter(status__in=OPEN_STATUSES) if zoom is not None and zoom < 12 else qs


def citizen_reports_points(
    *, user: Any, bbox: Any, zoom: int | None = None, limit: int = 1000
) -> list[tuple[int, float, float]]:
    """DESIGN "Map hooks": (id, lat, lon) of the reports `citizen_reports_features` would draw, newest first, at
    most `limit` (≤ 5000); read from the covering index alone (issue 20: the selection's members)."""
    newest = _in_view(user, bbox, zoom).order_by("-received_at", "-pk")
    rows = newest.values_list("pk", "lat", "lon")[: max(0, min(int(limit), FEATURES_MAX))]
    return [(pk, lat, lon) for pk, lat, lon in rows if lat is not None and lon is not None]


def citizen_reports_ids_in_cells(*, user: Any, cells: list[str], limit: int = 500) -> list[int]:
    """Issue 20 (the selection's members of a large area): ids of reports `user` may see in `cells` (grid cells an
    area holds wholly, so no point test), at most `limit`, in the covering index's order (cell by cell): no sort,
    the read stops at `limit`."""
    if not cells:
        return []
    rows = _mapped(user).filter(grid_cell__in=cells).order_by().values_list("pk", flat=True)
    return list(rows[: max(0, min(int(limit), FEATURES_MAX))])


def citizen_reports_features(
    *, user: Any, bbox: Any, zoom: int | None = None, limit: int = 1000
) -> list[dict[str, Any]]:
    """DESIGN "Map hooks": the points of reports `user` may see in `bbox` (min_lat, min_lon, max_lat, max_lon),
    newest first, at most `limit` (≤ 5000). Below zoom 12 only open reports are drawn. The newest ids are chosen
    from the covering index `reports_cell_cover_idx`; only those rows are read (issue 20)."""
    now = timezone.now()
    labels = _labels()
    return [
        {
            "id": pk,
            "lat": lat,
            "lon": lon,
            "status": status,
            "status_label": labels[status],
            "category": code,
            "category_name": name,
            "tracking_code": tracking,
            "received_at": received.isoformat(),
            "overdue": bool(deadline and deadline < now and status in (S.FORWARDED, S.IN_PROGRESS)),
        }
        for pk, lat, lon, status, code, name, tracking, received, deadline in _feature_rows(user, bbox, zoom, limit)
    ]


def citizen_reports_features_text(
    *, user: Any, bbox: Any, zoom: int | None = None, limit: int = 1000
) -> list[tuple[Any, float, float, str]]:
    """Issue 20 "Speed": `citizen_reports_features` as (id, lat, lon, the properties' JSON text) — the text
    `json.dumps(properties, ensure_ascii=False, separators=(",", ":"))` gives, as DRF renders it (U+2028 and U+2029
    escaped): the map's layer splices it instead of rendering 2,000 dicts (test_feature_text keeps the two
    byte-equal). Floats by `repr` and strings by the encoder's own function, as `json` writes them."""
    now = timezone.now()
    labels = {status: _text(label) for status, label in _labels().items()}
    names: dict[tuple[str, str], str] = {}
    out = []
    for pk, lat, lon, status, code, name, tracking, received, deadline in _feature_rows(user, bbox, zoom, limit):
        category = names.get((code, name))
        if category is None:
            category = names[(code, name)] = f'"category":{_text(code)},"category_name":{_text(name)}'
        overdue = bool(deadline and deadline < now and status in (S.FORWARDED, S.IN_PROGRESS))
        text = (
            f'{{"id":{pk!r},"lat":{lat!r},"lon":{lon!r},"status":{_text(status)},"status_label":{labels[status]},'
            f'{category},"tracking_code":{_text(tracking)},"received_at":{_text(received.isoformat())},'
            f'"overdue":{"true" if overdue else "false"}}}'
        )
        out.append((pk, lat, lon, text))
    return out


def _text(value: str) -> str:
    """A JSON string as DRF's renderer writes it (ensure_ascii off; U+2028 and U+2029 escaped after encoding)."""
    return encode_basestring(value).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _labels() -> dict[str, str]:
    return {status: str(ReportStatus(status).label) for status in ReportStatus.values}  # once, not per row


def _feature_rows(user: Any, bbox: Any, zoom: int | None, limit: int) -> list[tuple[Any, ...]]:
    qs = _in_view(user, bbox, zoom)
    newest = qs.order_by("-received_at", "-pk").values("pk")[: max(0, min(int(limit), FEATURES_MAX))]
    rows = Report.objects.filter(pk__in=newest).order_by("-received_at", "-pk").values_list(*_FEATURE_FIELDS)
    return _plain_rows(rows)


_FEATURE_FIELDS = (
    "pk",
    "lat",
    "lon",
    "status",
    "category__code",
    "category__name",
    "tracking_code",
    "received_at",
    "deadline_at",
)
_RECEIVED, _DEADLINE = _FEATURE_FIELDS.index("received_at"), _FEATURE_FIELDS.index("deadline_at")


def _plain_rows(rows: QuerySet[Report, tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The queryset's own SQL, its rows converted without the ORM's chain of converters per value (issue 20
    "Speed": up to 2,000 rows of a map view, whose two datetimes through `apply_converters` were a quarter of the
    request's CPU); the other columns (numbers, text) need no conversion on either engine. Same values as
    iterating the queryset (test_core_map)."""
    try:
        sql, params = rows.query.get_compiler(using=rows.db).as_sql()
    except EmptyResultSet:  # a scope that admits nothing (`.none()`): iterating the queryset would give no row
        return []
    connection = connections[rows.db]
    aware = datetime_reader(connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    out = []
    for row in fetched:
        values = list(row)
        values[_RECEIVED], values[_DEADLINE] = aware(values[_RECEIVED]), aware(values[_DEADLINE])
        out.append(tuple(values))
    return out


def citizen_reports_map_version() -> str:
    """DESIGN "Map hooks", issue 20: changes whenever a report's point may have changed (a new report, or any step,
    which writes a ReportEvent: status, place, merge) — MAX(id) of both tables, one index step each on both
    engines, as the statistics' cache key does. The wall screen reloads this layer only when it moves. Global,
    never scoped: it says that something changed, not what."""
    newest = Report.objects.aggregate(n=Max("pk"))["n"]
    event = ReportEvent.objects.aggregate(n=Max("pk"))["n"]
    return f"{newest or 0}:{event or 0}"


def staff_url(report_id: int) -> str:
    try:
        return reverse("citizen_reports:staff_report_detail", args=[report_id])
    except NoReverseMatch:
        return f"/phan-anh/quan-ly/{report_id}/"


_WORK_KINDS: tuple[tuple[str, Q, Any, frozenset[str]], ...] = (
    (
        "verify",
        Q(status=S.RECEIVED, needs_location=False),
        gettext_lazy("Xác minh phản ánh / Verify report"),
        IOC_STAFF_ROLES,
    ),
    (
        "locate",
        Q(needs_location=True, status__in=[S.RECEIVED, S.AWAITING_APPROVAL, S.VERIFIED]),
        gettext_lazy("Xác định vị trí phản ánh / Locate report"),
        IOC_STAFF_ROLES,
    ),
    (
        "approve",
        Q(status=S.AWAITING_APPROVAL),
        gettext_lazy("Duyệt phản ánh / Approve report"),
        permissions.APPROVER_ROLES,
    ),
    (
        "forward",
        Q(status=S.VERIFIED, needs_location=False),
        gettext_lazy("Chuyển phản ánh / Forward report"),
        IOC_STAFF_ROLES,
    ),
    (
        "publish",
        Q(status=S.RESOLVED),
        gettext_lazy("Kiểm tra, công khai kết quả / Check and publish the result"),
        IOC_STAFF_ROLES,
    ),
)


def citizen_reports_work_items(*, user: Any, where: WorkFilter | None = None) -> list[WorkItem]:
    """DESIGN "Map hooks": reports waiting for the IOC: to verify, to locate, to approve (leaders), to forward
    (received back from an agency or approved), resolved results to publish; oldest first. `where`: the queue's
    agency and commune filters, applied before each kind's LIMIT."""
    roles = permissions.roles_of(user)
    where = where or WorkFilter()
    values = {
        name: value for name, value in (("agency", where.agency_id), ("unit", where.commune_id)) if value is not None
    }
    items: list[WorkItem] = []
    url = _url_maker()
    for kind, _condition, label, allowed in _WORK_KINDS:
        if not roles & allowed:
            continue
        rows_read = _work_statement(kind, tuple(sorted(values))).rows(**values)
        items.extend(_report_item(kind, str(label), row, url) for row in rows_read)
    return items


# Each kind's statement compiled once per process and filter shape (issue 20 "Speed": five statements compiled on
# every queue request); the same SQL as the queryset, so the partial indexes above still match.
_WORK_STATEMENTS: dict[tuple[str, tuple[str, ...]], Compiled] = {}


def _work_statement(kind: str, filters: tuple[str, ...]) -> Compiled:
    statement = _WORK_STATEMENTS.get((kind, filters))
    if statement is None:
        condition = next(q for name, q, _label, _roles in _WORK_KINDS if name == kind)

        def build(**slots: Any) -> QuerySet[Report]:
            narrow = Q(**{f"{name}_id": slot for name, slot in slots.items()})
            rows = Report.objects.filter(condition, narrow).order_by("received_at", "pk")
            return rows.values_list(*_ITEM_FIELDS)[:WORK_ITEMS_PER_KIND]  # type: ignore[return-value]

        statement = _WORK_STATEMENTS[(kind, filters)] = Compiled(Report, build, *filters)
    return statement


_URL_MARK = 987654321


def _url_maker() -> Callable[[int], str]:
    """`staff_url` reversed once per call, not once per item (up to 250 items a queue page: 9 ms of reverse())."""
    template = staff_url(_URL_MARK)
    head, mark, tail = template.partition(str(_URL_MARK))
    if not mark:  # pragma: no cover - a URL pattern without the id in it
        return staff_url
    return lambda pk: f"{head}{pk}{tail}"


_ITEM_FIELDS = ("pk", "tracking_code", "received_at", "status", "agency_id", "agency__name", "unit_id", "unit__name")


def _report_item(kind: str, label: str, row: tuple[Any, ...], url: Callable[[int], str]) -> WorkItem:
    pk, code, received, status, agency_id, agency_name, unit_id, unit_name = row
    return WorkItem(
        source="citizen_reports",
        kind=kind,
        title=f"{label} {code}",
        url=url(pk),
        at=received,
        status=status,
        code=code,
        object_id=pk,
        agency_id=agency_id,
        agency=agency_name or "",
        commune_id=unit_id,
        commune=unit_name or "",
    )
