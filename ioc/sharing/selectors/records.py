"""R1.6: one page of a shared dataset's current rows through a grant — only its fields and communes; filters and
sort on `ioc:filterable` fields (their expression indexes, `datahub.selectors.field_sql`) and real columns; keyset
paging with an opaque cursor.

A filter is `name=value` or `name__gt|gte|lt|lte=value`; real columns are `period`, `commune` and `unit` (2025
codes). A sort is `field` or `-field` (a filterable field or `period`), ties broken by the row id in the same
direction, so that the expression index (whose entries end with the row id) serves the order. Rows lacking the
sorted field come where the engine puts NULL (SQLite first ascending, PostgreSQL last), and the cursor follows:
a page after a cursor reads the rest of the keyed rows by a row-value comparison the index can seek to, then (when
NULLs come after them) the NULL-keyed rows, as two queries rather than one OR the index cannot serve.

A page's rows are JSON text assembled from each stored value's own JSON text (`field_json_sql`): nothing is decoded
and encoded again on the way out (docs/benchmarks.md, "Sharing read API").
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import OperationalError, connection
from django.db.models import F, Q, QuerySet, TextField, Window
from django.db.models.expressions import OrderBy, RawSQL
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _

from ioc.datahub.models import Record
from ioc.datahub.selectors import NUMERIC_TYPES, field_json_sql, field_sql
from ioc.geo.models import AdminUnit
from ioc.sharing.models import Grant

if TYPE_CHECKING:
    from ioc.datahub.models import Dataset

REAL_COLUMNS = {"period": "period", "commune": "commune__code", "unit": "unit__code"}
OPERATORS = {"": "exact", "gt": "gt", "gte": "gte", "lt": "lt", "lte": "lte"}
SQL_OPERATORS = {"exact": "=", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}
TABLE = Record._meta.db_table


class QueryError(ValueError):
    """A filter or sort the API refuses: `status` 400 (not filterable, bad value) or 403 (outside the grant)."""

    def __init__(self, field_name: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.field = field_name
        self.message = message
        self.status = status


class CursorError(QueryError):
    def __init__(self, message: str) -> None:
        super().__init__("cursor", message)


@dataclass
class Page:
    """One page: the rows as one JSON array's text (each row an object: `_id`, `_period`, `_unit`, `_commune`, then
    the granted fields in the grant's order), the rows' ids, and the next page's cursor."""

    fields: list[str]
    ids: list[int] = field(default_factory=list)
    results: str = "[]"
    next_cursor: str | None = None

    @property
    def rows(self) -> list[dict[str, Any]]:
        """The rows decoded (the CSV answer)."""
        rows: list[dict[str, Any]] = json.loads(self.results)
        return rows

    def results_json(self) -> str:
        """The rows as one JSON array's text."""
        return self.results


@dataclass(frozen=True)
class _Sort:
    name: str
    descending: bool
    sql: str  # the key expression ("" when sorting by the row id alone)


def _filterable(dataset: Dataset) -> dict[str, str]:
    return {f["name"]: f.get("type", "string") for f in dataset.fields if f.get("ioc:filterable") is True}


def _typed(name: str, value: str, field_type: str) -> Any:
    if field_type not in NUMERIC_TYPES:
        return value
    try:
        return float(value.replace(",", "."))
    except ValueError:
        raise QueryError(name, _("Giá trị lọc phải là số.")) from None


def _split(key: str) -> tuple[str, str]:
    name, _sep, op = key.partition("__")
    if op not in OPERATORS:
        raise QueryError(key, _("Phép so sánh không hỗ trợ (chỉ gt, gte, lt, lte)."))
    return name, OPERATORS[op]


def _field_check(dataset: Dataset, grant: Grant, name: str, filterable: dict[str, str]) -> None:
    known = {f["name"] for f in dataset.fields}
    if name not in known:
        raise QueryError(name, _("Bộ dữ liệu không có trường này."))
    if name not in filterable:
        raise QueryError(name, _("Trường không được đánh dấu ioc:filterable: không lọc, sắp xếp được."))
    if name not in grant.fields:
        raise QueryError(name, _("Trường nằm ngoài phạm vi được chia sẻ."), status=403)


def _apply_filters(
    qs: QuerySet[Record], dataset: Dataset, grant: Grant, filters: Mapping[str, str]
) -> QuerySet[Record]:
    filterable = _filterable(dataset)
    for key, value in sorted(filters.items()):
        name, op = _split(key)
        if name in REAL_COLUMNS:
            qs = qs.filter(**{f"{REAL_COLUMNS[name]}__{op}": value})
            continue
        _field_check(dataset, grant, name, filterable)
        sql = field_sql(name, field_type=filterable[name])
        qs = qs.extra(where=[f"{sql} {SQL_OPERATORS[op]} %s"], params=[_typed(name, value, filterable[name])])  # noqa: S610 - names match schema.NAME
    return qs


def _sort(dataset: Dataset, grant: Grant, sort: str) -> _Sort:
    name = sort.lstrip("-")
    descending = sort.startswith("-")
    if not name:
        return _Sort("", descending, "")
    if name == "period":
        return _Sort(name, descending, f'"{TABLE}"."period"')
    filterable = _filterable(dataset)
    _field_check(dataset, grant, name, filterable)
    return _Sort(name, descending, field_sql(name, field_type=filterable[name]))


def _filters_digest(filters: Mapping[str, str], sort: str) -> str:
    canonical = json.dumps([sorted(filters.items()), sort], ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def cursor_encode(*, sort: str, digest: str, key: Any, pk: int) -> str:
    raw = json.dumps({"s": sort, "f": digest, "v": key, "k": pk}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def cursor_decode(value: str, *, sort: str, digest: str) -> tuple[Any, int]:
    """(key, pk) after which the page starts; CursorError for anything not made by this API for this query."""
    try:
        data = json.loads(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise CursorError(_("Con trỏ trang không hợp lệ.")) from None
    if not isinstance(data, dict) or not isinstance(data.get("k"), int) or isinstance(data.get("k"), bool):
        raise CursorError(_("Con trỏ trang không hợp lệ."))
    if data.get("s") != sort or data.get("f") != digest:
        raise CursorError(_("Con trỏ trang thuộc một truy vấn khác (bộ lọc hoặc thứ tự đã đổi)."))
    key = data.get("v")
    if not (key is None or isinstance(key, str | int | float)) or isinstance(key, bool):
        raise CursorError(_("Con trỏ trang không hợp lệ."))
    return key, data["k"]


def _after(qs: QuerySet[Record], order: _Sort, key: Any, pk: int) -> list[QuerySet[Record]]:
    """The rows after (key, pk) in the page order, as parts read one after the other: the keyed rows past the
    cursor by `(key, id) > (…)` (the index seeks to it), and the NULL-keyed rows where the engine sorts NULL."""
    cmp = "<" if order.descending else ">"
    id_sql = f'"{TABLE}"."id"'
    if not order.sql:
        return [qs.filter(pk__lt=pk) if order.descending else qs.filter(pk__gt=pk)]
    nulls_first = (connection.vendor == "postgresql") == order.descending
    keyed = qs.extra(where=[f"{order.sql} IS NOT NULL"])  # noqa: S610 - expression from field_sql, names checked
    if key is None:  # the cursor is among the NULL-keyed rows
        nulls = qs.extra(where=[f"{order.sql} IS NULL AND {id_sql} {cmp} %s"], params=[pk])  # noqa: S610 - as above
        return [nulls, keyed] if nulls_first else [nulls]
    after = qs.extra(where=[f"({order.sql}, {id_sql}) {cmp} (%s, %s)"], params=[key, pk])  # noqa: S610 - as above
    return [after] if nulls_first else [after, qs.extra(where=[f"{order.sql} IS NULL"])]  # noqa: S610 - as above


def _base(dataset: Dataset, grant: Grant) -> QuerySet[Record]:
    # The dataset id as a literal too: SQLite uses a partial index only when the query names its condition.
    qs = Record.objects.filter(dataset=dataset, is_current=True).extra(  # noqa: S610 - an integer
        where=[f'"{TABLE}"."dataset_id" = {int(dataset.pk)}']
    )
    # The grant's communes by id from the link table alone (no units loaded: every page read asks).
    commune_ids = list(Grant.communes.through.objects.filter(grant_id=grant.pk).values_list("adminunit_id", flat=True))
    if commune_ids:
        qs = qs.filter(Q(commune_id__in=commune_ids) | Q(commune__isnull=True, unit_id__in=commune_ids))
    return qs


def shared_page(
    *, dataset: Dataset, grant: Grant, filters: Mapping[str, str], sort: str = "", cursor: str = "", limit: int
) -> Page:
    """R1.6: one page of `dataset`'s current rows as `grant` allows (fields, communes); QueryError names a
    filter, sort or cursor the API refuses. On PostgreSQL the database writes the rows' text (`_page_pg`); on
    SQLite Python does, from each value's JSON text (`_page_rows`): the same bytes (a test compares them)."""
    return _shared_page(
        dataset=dataset,
        grant=grant,
        filters=filters,
        sort=sort,
        cursor=cursor,
        limit=limit,
        in_database=connection.vendor == "postgresql",
    )


def _shared_page(
    *,
    dataset: Dataset,
    grant: Grant,
    filters: Mapping[str, str],
    sort: str,
    cursor: str,
    limit: int,
    in_database: bool,
) -> Page:
    order = _sort(dataset, grant, sort)
    qs = _apply_filters(_base(dataset, grant), dataset, grant, filters)
    digest = _filters_digest(filters, sort)
    parts = _after(qs, order, *cursor_decode(cursor, sort=sort, digest=digest)) if cursor else [qs]
    names = list(grant.fields)
    if in_database:
        return _page_pg(parts, order, names, limit, sort, digest)
    index = _sqlite_index(dataset, order.name if order.sql and order.name != "period" else _first_field(filters))
    found: list[tuple[Any, ...]] = []
    for part in parts:
        found += _fetch(_ordered(part, order, names)[: limit + 1 - len(found)], index)
        if len(found) > limit:
            break
    return _page_rows(names, found, limit, sort, digest)


def _ordered(qs: QuerySet[Record], order: _Sort, names: list[str]) -> QuerySet[Any]:
    """The page's columns in order: id, period, unit, commune, sort key, then each granted field's JSON text."""
    direction = "-" if order.descending else ""
    values = {f"v{i}": RawSQL(field_json_sql(name), [], output_field=TextField()) for i, name in enumerate(names)}  # noqa: S611 - names match schema.NAME
    if order.sql:
        qs = qs.annotate(o_key=RawSQL(order.sql, [])).order_by(f"{direction}o_key", f"{direction}pk")  # noqa: S611
        return qs.annotate(**values).values_list("pk", "period", "unit_id", "commune_id", "o_key", *values)
    qs = qs.order_by(f"{direction}pk").annotate(**values)
    return qs.values_list("pk", "period", "unit_id", "commune_id", "pk", *values)


def _first_field(filters: Mapping[str, str]) -> str:
    names = [key.partition("__")[0] for key in sorted(filters)]
    return next((name for name in names if name not in REAL_COLUMNS), "")


_INDEXES: dict[tuple[int, str], str] = {}


def _sqlite_index(dataset: Dataset, name: str) -> str:
    """SQLite: the dataset's expression index on `name` (found in the schema, remembered once found). Without
    statistics SQLite prefers the (dataset, current, unit) index and sorts a million rows in a temporary B-tree;
    the page names the expression index instead (docs/benchmarks.md, "Sharing read API")."""
    if connection.vendor != "sqlite" or not name:
        return ""
    key = (dataset.pk, name)
    if key not in _INDEXES:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql LIKE %s AND sql LIKE %s",
                [TABLE, f'%$."{name}"%', f'%"dataset_id" = {int(dataset.pk)}'],
            )
            row = cursor.fetchone()
        if row is None:
            return ""
        _INDEXES[key] = str(row[0])
    return _INDEXES[key]


def _fetch(qs: QuerySet[Any], index: str) -> list[tuple[Any, ...]]:
    """The page's rows; on SQLite through `INDEXED BY` the expression index when there is one."""
    if not index:
        return list(qs)
    sql, params = qs.query.sql_with_params()
    sql = sql.replace(f'FROM "{TABLE}"', f'FROM "{TABLE}" INDEXED BY "{index}"', 1)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows: list[tuple[Any, ...]] = cursor.fetchall()
    except OperationalError:  # the index is gone (a dataset id reused by a test database): the plain query
        _INDEXES.clear()
        return list(qs)
    return rows


def _page_rows(names: list[str], found: list[tuple[Any, ...]], limit: int, sort: str, digest: str) -> Page:
    """Each row's JSON text through one template (SQLite): the real columns encoded here (each distinct period and code
    once), each field's stored JSON text as the query gave it."""
    shown = found[:limit]
    codes = {
        pk: _dumps(code)
        for pk, code in AdminUnit.objects.filter(pk__in={r[2] for r in shown} | {r[3] for r in shown}).values_list(
            "pk", "code"
        )
    }
    periods = {period: _dumps(period) for period in {r[1] for r in shown}}
    template = '{"_id":%d,"_period":%s,"_unit":%s,"_commune":%s' + "".join(f",{_dumps(n)}:%s" for n in names) + "}"
    page = Page(fields=names, ids=[r[0] for r in shown])
    rows = [
        template % (pk, periods[period], codes.get(unit_id, EMPTY), codes.get(commune_id, EMPTY), *values)
        for pk, period, unit_id, commune_id, _key, *values in shown
    ]
    page.results = "[" + ",".join(rows) + "]"
    if len(found) > limit and shown:
        last = shown[-1]
        page.next_cursor = cursor_encode(sort=sort, digest=digest, key=last[4], pk=last[0])
    return page


EMPTY = '""'


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


# --- PostgreSQL: the page as one text from the database ---------------------------------------------------------


@dataclass(frozen=True)
class _Slice:
    """What one part of a page gave: its rows found (up to `want` + 1: one more tells that a next page exists), the
    first `want` rows' JSON texts joined by commas, their ids likewise, and the last shown row's key and id."""

    found: int
    rows: str | None
    ids: str | None
    last_key: Any
    last_id: int | None


def _page_pg(parts: list[QuerySet[Record]], order: _Sort, names: list[str], limit: int, sort: str, digest: str) -> Page:
    """PostgreSQL: each part's rows come as one aggregated text, so Python handles a string per part rather than
    a thousand rows of values (docs/benchmarks.md, "Sharing read API"); the body is the same as SQLite's."""
    page = Page(fields=names)
    texts: list[str] = []
    last: tuple[Any, int | None] = (None, None)
    more = False
    for part in parts:
        want = limit - len(page.ids)
        got = _slice_pg(part, order, names, want)
        if got.rows is not None and got.ids is not None:
            texts.append(got.rows)
            page.ids += [int(pk) for pk in got.ids.split(",")]
            last = (got.last_key, got.last_id)
        if got.found > want:
            more = True
            break
    page.results = "[" + ",".join(texts) + "]"
    if more and last[1] is not None:
        page.next_cursor = cursor_encode(sort=sort, digest=digest, key=last[0], pk=last[1])
    return page


def _slice_pg(part: QuerySet[Record], order: _Sort, names: list[str], want: int) -> _Slice:
    """One query: the part's first `want` + 1 rows in the page order (numbered by `row_number()` over that same
    order, which the index scan gives without a sort), aggregated into the rows' JSON text — the real columns by
    `to_json` (the same escapes as Python's `json.dumps`), each granted field's stored JSON text as it is."""
    direction = "-" if order.descending else ""
    key: Any = RawSQL(order.sql, []) if order.sql else F("pk")  # noqa: S611 - expression from field_sql
    by = [OrderBy(key, descending=order.descending), OrderBy(F("pk"), descending=order.descending)]
    values = {f"v{i}": RawSQL(field_json_sql(name), [], output_field=TextField()) for i, name in enumerate(names)}  # noqa: S611 - names match schema.NAME
    inner = (
        part.annotate(
            o_key=key,
            u_code=F("unit__code"),
            c_code=F("commune__code"),
            rn=Window(RowNumber(), order_by=by),
            **values,
        )
        .order_by(f"{direction}o_key", f"{direction}pk")
        .values_list("pk", "period", "u_code", "c_code", "o_key", "rn", *values)[: want + 1]
    )
    sql, params = inner.query.sql_with_params()
    row = (
        """'{"_id":' || t."pk" || ',"_period":' || to_json(t."period")::text"""
        """ || ',"_unit":' || COALESCE(to_json(t."u_code")::text, '""')"""
        """ || ',"_commune":' || COALESCE(to_json(t."c_code")::text, '""')"""
        + "".join(f" || ',{_dumps(name)}:' || t.\"v{i}\"" for i, name in enumerate(names))
        + " || '}'"
    )
    shown = f"FILTER (WHERE t.rn <= {int(want)})"
    aggregates = (
        f"count(*), string_agg({row}, ',' ORDER BY t.rn) {shown}, "
        f"""string_agg(t."pk"::text, ',' ORDER BY t.rn) {shown}, """
        f"""(array_agg(t."o_key" ORDER BY t.rn DESC) {shown})[1], (array_agg(t."pk" ORDER BY t.rn DESC) {shown})[1]"""
    )
    query = f"SELECT {aggregates} FROM ({sql}) t"  # noqa: S608 - names match schema.NAME (field_json_sql checked each)
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        found, rows, ids, last_key, last_id = cursor.fetchone()
    return _Slice(found, rows, ids, last_key, last_id)
