"""Reading SensorThings collections and entities (R5.5): query options applied to a visible queryset, entities
rendered with `@iot.id`, `@iot.selfLink`, navigation links, `$select`, and `$expand` (nested, with options:
one query per expanded navigation and level, `$top`/`$skip` per parent by one LIMITed arm per parent).

Rows are read as tuples of the columns the entity's `$select` needs (`Shape`), never as model instances, and each
is rendered into one dict (issue 11 "GET p95": building 100 Observations with three JSON fields each, then reading
them back attribute by attribute, was most of a page's Python). A single model instance (an entity path, a write's
answer) goes through the same `Shape` as a tuple of its attributes, so both give the same bytes."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db import connections
from django.db.models import Count, F, QuerySet, Window
from django.db.models.functions import RowNumber

from ioc.sensors.selectors import Viewer, visible_under
from ioc.sensors.sta.compile import compile_filter, compile_orderby
from ioc.sensors.sta.entities import ENTITY_SETS, EntitySet, Nav, Prop
from ioc.sensors.sta.odata import QueryError, QueryOptions

Row = tuple[Any, ...]  # (pk, [ext_id], the Shape's fields…, [the parent's id when expanded])


@dataclass(frozen=True)
class Links:
    base: str  # ".../sta/v1.1/"

    def self_link(self, entity: EntitySet, obj: Any) -> str:
        return f"{self.base}{entity.name}({key_text(obj)})"


def key_text(obj: Any) -> str:
    ext = getattr(obj, "ext_id", None)
    return f"'{ext}'" if ext else str(obj.pk)


def _time(value: Any) -> str | None:
    return None if value is None else value.isoformat().replace("+00:00", "Z")


def prop_json(obj: Any, prop: Prop) -> Any:
    value = getattr(obj, prop.field)
    if prop.kind == "time":
        return _time(value)
    if prop.kind == "interval":
        end = getattr(obj, prop.end_field)
        if value is None:
            return None
        return _time(value) if end is None else f"{_time(value)}/{_time(end)}"
    return value


class Shape:
    """One entity set under one `$select`: the columns a row is read as (`values_list` names: pk, ext_id for the
    sets with string ids, then each selected property's field, and an interval's end field) and how each output
    key is made from them, in the order the entity's JSON lists them."""

    def __init__(self, entity: EntitySet, select: list[str] | None) -> None:
        wanted = set(select) if select else None
        self.entity = entity
        self.string_ids = entity.string_ids
        self.with_id = wanted is None or bool(wanted & {"id", "@iot.id"})
        self.with_link = wanted is None or "@iot.selfLink" in wanted
        columns = ["pk", "ext_id"] if entity.string_ids else ["pk"]
        self.props: list[tuple[str, str, int, int]] = []  # (JSON name, kind, column, end column or -1)
        for prop in entity.props:
            if wanted is not None and prop.name not in wanted:
                continue
            at, end = len(columns), -1
            columns.append(prop.field)
            if prop.kind == "interval":
                end = len(columns)
                columns.append(prop.end_field)
            self.props.append((prop.name, prop.kind, at, end))
        self.columns = tuple(columns)
        self.navs = [
            (f"{nav.name}@iot.navigationLink", f"/{nav.name}")
            for nav in entity.navs
            if wanted is None or nav.name in wanted
        ]

    def row_of(self, obj: Any) -> Row:
        """A model instance as the tuple `values_list(*self.columns)` would give."""
        return tuple(obj.pk if name == "pk" else getattr(obj, name) for name in self.columns)

    def render(self, base: str, row: Row) -> dict[str, Any]:
        """One row's JSON object: the only dict built for it."""
        pk = row[0]
        ext = row[1] if self.string_ids else None
        out: dict[str, Any] = {}
        if self.with_id:
            out["@iot.id"] = ext or int(pk)
        link = f"{base}{self.entity.name}('{ext}')" if ext else f"{base}{self.entity.name}({pk})"
        if self.with_link:
            out["@iot.selfLink"] = link
        for name, kind, i, j in self.props:
            value = row[i]
            if kind == "time":
                value = None if value is None else value.isoformat().replace("+00:00", "Z")
            elif kind == "interval" and value is not None:
                start = value.isoformat().replace("+00:00", "Z")
                end = row[j]
                value = start if end is None else f"{start}/{end.isoformat().replace('+00:00', 'Z')}"
            out[name] = value
        for key, tail in self.navs:
            out[key] = link + tail
        return out


def self_link_of(base: str, entity: EntitySet, row: Row) -> str:
    ext = row[1] if entity.string_ids else None
    return f"{base}{entity.name}('{ext}')" if ext else f"{base}{entity.name}({row[0]})"


def apply_options(entity: EntitySet, qs: QuerySet[Any], options: QueryOptions) -> QuerySet[Any]:
    """$filter and $orderby (then the id) on a queryset."""
    if options.filter is not None:
        condition, distinct = compile_filter(entity, options.filter)
        qs = qs.filter(condition)
        if distinct:
            qs = qs.distinct()
    ordering = compile_orderby(entity, options.orderby) if options.orderby else []
    return qs.order_by(*ordering, "pk")


def _check_select(entity: EntitySet, options: QueryOptions) -> None:
    for name in options.select or ():
        if name not in ("id", "@iot.id", "@iot.selfLink") and not entity.prop(name) and not entity.nav(name):
            raise QueryError(f"$select: thuộc tính không tồn tại: {name} / unknown property: {name}")
    for item in options.expand:
        nav = entity.nav(item.nav)
        if nav is None:
            raise QueryError(f"$expand: quan hệ không tồn tại: {item.nav} / unknown navigation: {item.nav}")
        _check_select(ENTITY_SETS[nav.target], item.options)


def check_options(entity: EntitySet, options: QueryOptions) -> None:
    _check_select(entity, options)


class Renderer:
    def __init__(self, links: Links, viewer: Viewer) -> None:
        self.links = links
        self.viewer = viewer

    def entity(self, entity: EntitySet, obj: Any, options: QueryOptions) -> dict[str, Any]:
        """One model instance (an entity path, a write's answer), rendered as a collection's row would be."""
        shape = Shape(entity, options.select)
        [row] = self.rows(shape, [shape.row_of(obj)], options)
        return row

    def rows(self, shape: Shape, found: list[Row], options: QueryOptions) -> list[dict[str, Any]]:
        base = self.links.base
        render = shape.render
        rendered = [render(base, row) for row in found]
        for item in options.expand:
            nav = shape.entity.nav(item.nav)
            assert nav is not None
            self._expand(shape.entity, nav, found, rendered, item.options)
        return rendered

    def _expand(
        self, entity: EntitySet, nav: Nav, parents: list[Row], rendered: list[dict[str, Any]], opts: Any
    ) -> None:
        target = ENTITY_SETS[nav.target]
        shape = Shape(target, opts.select)
        parent_ids = [row[0] for row in parents]
        # The parents were read through the viewer's visibility; children whose visibility is their parent's need
        # no check of their own (no join to the Things per child row).
        qs = apply_options(target, visible_under(target.model, self.viewer, parent=entity.model), opts)
        limit = opts.limit if nav.many else 1
        stop = opts.skip + limit + 1
        children = per_parent(qs, shape.columns, nav.reverse, parent_ids, opts.skip, stop) if nav.many else None
        if children is None:
            children = _numbered(qs, shape.columns, nav.reverse, parent_ids, opts.skip, stop)
        grouped: dict[int, list[Row]] = defaultdict(list)
        for child in children:
            grouped[child[-1]].append(child[:-1])
        counts = _counts(qs, nav.reverse, parent_ids) if opts.count and nav.many else {}
        for parent, out in zip(parents, rendered, strict=True):
            page = grouped.get(parent[0], [])
            objs = self.rows(shape, page[:limit], opts)
            if not nav.many:
                if objs:
                    out[nav.name] = objs[0]
                continue
            if opts.count:
                out[f"{nav.name}@iot.count"] = counts.get(parent[0], 0) if page else 0
            out[nav.name] = objs
            if len(page) > limit:
                link = out.get("@iot.selfLink") or self_link_of(self.links.base, entity, parent)
                query = urlencode({"$top": limit, "$skip": opts.skip + limit})
                out[f"{nav.name}@iot.nextLink"] = f"{link}/{nav.name}?{query}"

    def collection(
        self, entity: EntitySet, qs: QuerySet[Any], options: QueryOptions, page_url: str, params: dict[str, str]
    ) -> dict[str, Any]:
        qs = apply_options(entity, qs, options)
        body: dict[str, Any] = {}
        if options.count:
            body["@iot.count"] = qs.count()
        limit = options.limit
        shape = Shape(entity, options.select)
        found = list(qs.values_list(*shape.columns)[options.skip : options.skip + limit + 1])
        if len(found) > limit:
            following = {**params, "$top": str(limit), "$skip": str(options.skip + limit)}
            body["@iot.nextLink"] = f"{page_url}?{urlencode(following)}"
        body["value"] = self.rows(shape, found[:limit], options)
        return body


_SENTINEL = -7_340_033  # a parent id no row has: its place among the compiled parameters is each arm's parent
_ARMS = 100  # parents per UNION ALL statement (SQLite allows 500 arms)


def per_parent(
    qs: QuerySet[Any], columns: tuple[str, ...], reverse: str, parent_ids: list[int], start: int, stop: int
) -> list[Row] | None:
    """`$expand` with `$top`/`$skip` per parent (R5.5; issue 11 "GET p95"): rows `start:stop` of each parent's
    children, in the query's order, as one `UNION ALL` of one LIMITed arm per parent (on PostgreSQL one `LATERAL`
    join over the parents' ids, `_lateral`: planned once), each row the `columns` and
    then the parent's id. Each arm is an index range scan (e.g. `sensors_obs_ds_time` for a Datastream's
    Observations), where numbering every child of every parent with a window function read all of their rows. The
    arm is compiled once (the parent id a sentinel parameter); each arm keeps its ORDER BY + LIMIT in its own
    subquery, whose rows SQLite and PostgreSQL emit in order; the rows get the ORM's own converters. None when the
    sentinel is not exactly one parameter (the caller numbers the rows instead)."""
    if not parent_ids:
        return []
    arm = qs.filter(**{reverse: _SENTINEL}).annotate(_parent=F(reverse)).values_list(*columns, "_parent")[start:stop]
    compiler = arm.query.get_compiler(using=qs.db)
    sql, params = compiler.as_sql()
    slots = [i for i, value in enumerate(params) if value == _SENTINEL]
    if len(slots) != 1:
        return None
    width = compiler.col_count
    fetched: list[Row] = []
    with connections[qs.db].cursor() as cursor:
        if connections[qs.db].vendor == "postgresql":
            cursor.execute(_lateral(sql, slots[0]), [parent_ids, *(v for i, v in enumerate(params) if i != slots[0])])
            fetched = [row[:width] for row in cursor.fetchall()]
            return list(compiler.results_iter(results=[fetched], tuple_expected=True))
        for first in range(0, len(parent_ids), _ARMS):
            chunk = parent_ids[first : first + _ARMS]
            union = " UNION ALL ".join(f"SELECT * FROM ({sql}) arm{n}" for n in range(len(chunk)))  # noqa: S608 - ORM SQL
            values: list[Any] = []
            for parent in chunk:
                each = list(params)
                each[slots[0]] = parent
                values.extend(each)
            cursor.execute(union, values)  # the ORM compiled the SQL, the values are bound
            fetched.extend(row[:width] for row in cursor.fetchall())
    return list(compiler.results_iter(results=[fetched], tuple_expected=True))


_PLACEHOLDER = re.compile(r"%%|%s")


def _lateral(sql: str, slot: int) -> str:
    """PostgreSQL: the arm run once per parent by `CROSS JOIN LATERAL` over the parents' ids, one statement planned
    once (100 UNION ALL arms took 58 ms to plan at 10 M observations, 21 ms to run). The arm's parameter at `slot`
    becomes the parent's column; each arm's rows keep their order (numbered as the arm emits them)."""
    seen = -1

    def swap(match: re.Match[str]) -> str:
        nonlocal seen
        if match.group() == "%%":
            return "%%"
        seen += 1
        return "parents.id" if seen == slot else "%s"

    arm = _PLACEHOLDER.sub(swap, sql)
    return (
        "SELECT arm.* FROM unnest(%s::bigint[]) WITH ORDINALITY AS parents(id, n) "  # noqa: S608 - ORM SQL
        f"CROSS JOIN LATERAL (SELECT a.*, row_number() OVER () AS arm_n FROM ({arm}) a) arm "
        "ORDER BY parents.n, arm.arm_n"
    )


def _numbered(
    qs: QuerySet[Any], columns: tuple[str, ...], reverse: str, parent_ids: list[int], start: int, stop: int
) -> list[Row]:
    """The children ranked per parent by a window function (a to-one navigation, or `per_parent`'s fallback)."""
    qs = qs.filter(**{f"{reverse}__in": parent_ids}).annotate(_parent=F(reverse))
    ordering: list[Any] = list(qs.query.order_by)
    qs = qs.annotate(_rn=Window(RowNumber(), partition_by=F(reverse), order_by=ordering))
    return list(qs.filter(_rn__gt=start, _rn__lte=stop).values_list(*columns, "_parent"))


def _counts(qs: QuerySet[Any], reverse: str, parent_ids: list[int]) -> dict[int, int]:
    """`$count` inside `$expand`: the children per parent, one grouped query."""
    rows = (
        qs.filter(**{f"{reverse}__in": parent_ids}).order_by().values(reverse).annotate(_n=Count("pk", distinct=True))
    )
    return {row[reverse]: row["_n"] for row in rows}
