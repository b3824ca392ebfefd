"""The public page of reports in SQL (R3.4): the read behind Open311 `GET requests` and its hot path.

Why SQL here and the ORM everywhere else (docs/decisions/0001-sql-for-the-public-report-page.md): on the 2-core
machine, compiling this page's queries (joins, the last-public-event subquery) and converting each value cost
the ORM ~3× the database work itself, which kept Open311 GET under its 300 requests/s. The statements are built
once per process from the models' `_meta` (tables and columns are never spelled out), use parameters only, and
`test_core_public_rows` checks they return what the ORM returns for the same reports.

Only `selectors` calls this module: the selectors own the rules (spam hidden, public fields only).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db import connections, router
from django.db.models import Model

from ioc.agencies.models import Agency
from ioc.citizen_reports.choices import HIDDEN_STATUSES, OPEN_STATUSES
from ioc.citizen_reports.models import Category, Report, ReportEvent, ReportPhoto
from ioc.common.prepared import prepared_cursor, prepared_enabled
from ioc.geo.models import AdminUnit

# Row keys, in SELECT order: the ORM's `values()` names, so rows read the same whichever way they came.
ROW_KEYS = (
    "pk",
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
    "updated_at",
    "original",
)
_HIDDEN = sorted(str(status) for status in HIDDEN_STATUSES)
_DATETIME_KEYS = ("received_at", "closed_at", "deadline_at", "updated_at")
_REPORT_COLUMNS = ("id", *ROW_KEYS[1:12])  # the report's own columns, "pk" being "id"


def _alias() -> str:
    return router.db_for_read(Report) or "default"


def _q(name: str) -> str:
    return connections[_alias()].ops.quote_name(name)


def _table(model: type[Model]) -> str:
    return _q(model._meta.db_table)


def _column(model: type[Model], field: str) -> str:
    return _q(str(model._meta.get_field(field).column))  # type: ignore[union-attr]


def _marks(count: int) -> str:
    return ", ".join(["%s"] * count)


@functools.cache
def _page_statement(alias: str) -> str:
    """The page's SELECT up to its WHERE clause (the caller adds conditions, order and limit)."""
    r = Report
    select = ", ".join(f"r.{_column(r, name)}" for name in _REPORT_COLUMNS)
    e = ReportEvent
    last_public_event = (
        f"(SELECT e.{_column(e, 'at')} FROM {_table(e)} e "  # noqa: S608 (names from _meta, values are parameters)
        f"WHERE e.{_column(e, 'report')} = r.{_column(r, 'id')} AND e.{_column(e, 'is_public')} = %s "
        f"ORDER BY e.{_column(e, 'at')} DESC LIMIT 1)"
    )
    return (
        f"SELECT {select}, c.{_column(Category, 'code')}, c.{_column(Category, 'name')}, "  # noqa: S608 (as above)
        f"a.{_column(Agency, 'name')}, "
        f"u.{_column(AdminUnit, 'code')}, u.{_column(AdminUnit, 'hierarchy')}, {last_public_event}, "
        f"d.{_column(r, 'tracking_code')} "
        f"FROM {_table(r)} r "
        f"INNER JOIN {_table(Category)} c ON c.{_column(Category, 'id')} = r.{_column(r, 'category')} "
        f"LEFT OUTER JOIN {_table(Agency)} a ON a.{_column(Agency, 'id')} = r.{_column(r, 'agency')} "
        f"LEFT OUTER JOIN {_table(AdminUnit)} u ON u.{_column(AdminUnit, 'id')} = r.{_column(r, 'unit')} "
        f"LEFT OUTER JOIN {_table(r)} d ON d.{_column(r, 'id')} = r.{_column(r, 'duplicate_of')} "
        f"WHERE r.{_column(r, 'status')} NOT IN ({_marks(len(HIDDEN_STATUSES))})"
    )


def _newest_first() -> str:
    return f" ORDER BY r.{_column(Report, 'received_at')} DESC, r.{_column(Report, 'id')} DESC"


def _moment(value: Any) -> dt.datetime | None:
    """A stored datetime as an aware datetime (SQLite gives text or naive UTC values, PostgreSQL aware ones)."""
    if value is None or (isinstance(value, dt.datetime) and value.tzinfo is not None):
        return value
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment


def _db_moment(value: dt.datetime) -> Any:
    return connections[_alias()].ops.adapt_datetimefield_value(value)


def page_ids(
    *,
    statuses: Sequence[str],
    category_codes: Sequence[str],
    start: dt.datetime | None,
    end: dt.datetime | None,
    offset: int,
    limit: int,
) -> list[int]:
    """The ids of one page, newest first, from the (status, received_at) index; `end` is inclusive.

    Statuses that are all "open" are read one index scan per status, the scans merged by the outer ORDER BY.
    Open reports are a small part of any window, and PostgreSQL otherwise walks the received_at index and skips
    the closed ones row by row: 2.1–3.0 ms a page against 1.2–1.4 ms (docs/benchmarks.md; SQLite is as fast
    either way). Closed reports are most of a window, and the one scan stays faster for them."""
    if statuses and len(statuses) > 1 and set(statuses) <= OPEN_STATUSES:
        parts, params = [], []
        for status in sorted(statuses):
            branch, branch_params = _ids_select([status], category_codes, start, end, columns="received_at")
            parts.append(f"SELECT * FROM ({branch}{_newest_first()} LIMIT %s) AS s")  # noqa: S608 (as below)
            params.extend([*branch_params, offset + limit])
        sql = f"SELECT id FROM ({' UNION ALL '.join(parts)}) AS page ORDER BY received_at DESC, id DESC"  # noqa: S608
    else:
        sql, params = _ids_select(statuses, category_codes, start, end)
        sql += _newest_first()
    sql += " LIMIT %s OFFSET %s"
    params.extend([limit, offset])
    with _cursor() as cursor:
        cursor.execute(sql, params)
        return [int(row[0]) for row in cursor.fetchall()]


def _ids_select(
    statuses: Sequence[str],
    category_codes: Sequence[str],
    start: dt.datetime | None,
    end: dt.datetime | None,
    columns: str = "",
) -> tuple[str, list[Any]]:
    """SELECT r.id [AS id, r.received_at AS received_at] … WHERE …, with its parameters (no order, no limit)."""
    r = Report
    select = f"r.{_column(r, 'id')} AS id"
    if columns:
        select += f", r.{_column(r, 'received_at')} AS received_at"
    sql = f"SELECT {select} FROM {_table(r)} r"  # noqa: S608 (names from _meta, values are parameters)
    if category_codes:
        sql += f" INNER JOIN {_table(Category)} c ON c.{_column(Category, 'id')} = r.{_column(r, 'category')}"
    params: list[Any] = []
    if statuses:
        sql += f" WHERE r.{_column(r, 'status')} IN ({_marks(len(statuses))})"
        params.extend(statuses)
    else:
        sql += f" WHERE r.{_column(r, 'status')} NOT IN ({_marks(len(HIDDEN_STATUSES))})"
        params.extend(_HIDDEN)
    if category_codes:
        sql += f" AND c.{_column(Category, 'code')} IN ({_marks(len(category_codes))})"
        params.extend(category_codes)
    if start is not None:
        sql += f" AND r.{_column(r, 'received_at')} >= %s"
        params.append(_db_moment(start))
    if end is not None:
        sql += f" AND r.{_column(r, 'received_at')} <= %s"
        params.append(_db_moment(end))
    return sql, params


def rows(
    *, ids: Iterable[int] = (), tracking_codes: Iterable[str] = (), offset: int = 0, limit: int | None = None
) -> list[dict[str, Any]]:
    """Public rows (`ROW_KEYS`) of the given reports, newest first; spam never. With neither ids nor codes: none.
    `offset` counts only with a `limit`."""
    wanted_ids, wanted_codes = [int(pk) for pk in ids], list(tracking_codes)
    if not wanted_ids and not wanted_codes:
        return []
    sql = _page_statement(_alias())
    params: list[Any] = [True, *_HIDDEN]
    if wanted_ids:
        sql += f" AND r.{_column(Report, 'id')} IN ({_marks(len(wanted_ids))})"
        params.extend(wanted_ids)
    if wanted_codes:
        sql += f" AND r.{_column(Report, 'tracking_code')} IN ({_marks(len(wanted_codes))})"
        params.extend(wanted_codes)
    sql += _newest_first()
    if limit is not None:
        sql += " LIMIT %s OFFSET %s"
        params.extend([limit, offset])
    with _cursor() as cursor:
        cursor.execute(sql, params)
        found = [dict(zip(ROW_KEYS, row, strict=True)) for row in cursor.fetchall()]
    for row in found:
        for key in _DATETIME_KEYS:
            row[key] = _moment(row[key])
    return found


@contextlib.contextmanager
def _cursor() -> Iterator[Any]:
    """A cursor for this module's statements: `ioc.common.prepared.prepared_cursor`, planned once per connection
    with a generic plan on PostgreSQL — the same few statements run on every public request, and planning them
    again each time cost ~1 ms of PostgreSQL's CPU per page (docs/decisions/0006) —, reading timestamps with the
    C parser (`_iso_timestamptz_loader`)."""
    alias = _alias()
    with prepared_cursor(alias) as cursor:
        if prepared_enabled(alias):
            cursor.cursor.adapters.register_loader("timestamptz", _iso_timestamptz_loader())
        yield cursor


@functools.cache
def _iso_timestamptz_loader() -> type:
    """A psycopg loader reading PostgreSQL's text timestamps ("2025-07-14 02:00:00.5+00", the session is in UTC)
    with `datetime.fromisoformat`, which is C: psycopg's own parser and Django's time-zone wrapper are Python, and a
    page's ~170 timestamps cost ~0.6 ms that way, 7 % of an Open311 GET (docs/benchmarks.md). Same values: aware
    datetimes in UTC; `test_core_public_rows` compares them with the ORM's."""
    from psycopg.adapt import Loader

    class IsoTimestamptzLoader(Loader):
        def load(self, data: Any) -> dt.datetime:
            return dt.datetime.fromisoformat(bytes(data).decode())

    return IsoTimestamptzLoader


def first_public_photos(report_ids: Sequence[int]) -> dict[int, int]:
    """Report id → its first photo marked public (the order of `selectors.public_photo_queryset`)."""
    if not report_ids:
        return {}
    p = ReportPhoto
    sql = (
        f"SELECT p.{_column(p, 'report')}, p.{_column(p, 'id')} FROM {_table(p)} p "  # noqa: S608 (names from _meta)
        f"WHERE p.{_column(p, 'is_public')} = %s AND p.{_column(p, 'report')} IN ({_marks(len(report_ids))}) "
        f"ORDER BY p.{_column(p, 'kind')}, p.{_column(p, 'uploaded_at')}, p.{_column(p, 'id')}"
    )
    first: dict[int, int] = {}
    with _cursor() as cursor:
        cursor.execute(sql, [True, *report_ids])
        for report_id, photo_id in cursor.fetchall():
            first.setdefault(int(report_id), int(photo_id))
    return first
