"""The SensorThings renderer as it was before rows were read as tuples (issue 11 "GET p95", sta4 branch): model
instances rendered attribute by attribute. Kept only as the tests' reference: `test_sta_render_bytes` checks that
`ioc.sensors.sta.render` answers the same bytes for the same requests. Only the rows' reading and rendering are under
comparison: the query options (`apply_options`; the views' `check_options` serves both), the links and the `$count`
per parent are imported from `render`, so a change to them is never tested against a stale copy."""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from urllib.parse import urlencode

from django.db.models import F, QuerySet, Window
from django.db.models.functions import RowNumber

from ioc.sensors.selectors import Viewer, visible
from ioc.sensors.sta.entities import ENTITY_SETS, EntitySet, Nav, Prop
from ioc.sensors.sta.odata import QueryOptions
from ioc.sensors.sta.render import Links, _counts, apply_options


def iot_id(obj: Any) -> int | str:
    return getattr(obj, "ext_id", None) or int(obj.pk)


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


class Renderer:
    def __init__(self, links: Links, viewer: Viewer) -> None:
        self.links = links
        self.viewer = viewer

    def entity(self, entity: EntitySet, obj: Any, options: QueryOptions) -> dict[str, Any]:
        [row] = self.entities(entity, [obj], options)
        return row

    def entities(self, entity: EntitySet, objs: list[Any], options: QueryOptions) -> list[dict[str, Any]]:
        rows = [self._plain(entity, obj, options.select) for obj in objs]
        for item in options.expand:
            nav = entity.nav(item.nav)
            assert nav is not None
            self._expand(entity, nav, objs, rows, item.options)
        return rows

    def _plain(self, entity: EntitySet, obj: Any, select: list[str] | None) -> dict[str, Any]:
        wanted = set(select) if select else None
        row: dict[str, Any] = {}
        if wanted is None or wanted & {"id", "@iot.id"}:
            row["@iot.id"] = iot_id(obj)
        link = self.links.self_link(entity, obj)
        if wanted is None or "@iot.selfLink" in wanted:
            row["@iot.selfLink"] = link
        for prop in entity.props:
            if wanted is None or prop.name in wanted:
                row[prop.name] = prop_json(obj, prop)
        for nav in entity.navs:
            if wanted is None or nav.name in wanted:
                row[f"{nav.name}@iot.navigationLink"] = f"{link}/{nav.name}"
        return row

    def _expand(self, entity: EntitySet, nav: Nav, objs: list[Any], rows: list[dict[str, Any]], opts: Any) -> None:
        target = ENTITY_SETS[nav.target]
        parent_ids = [o.pk for o in objs]
        qs = apply_options(target, visible(target.model, self.viewer), opts)
        limit = opts.limit if nav.many else 1
        grouped: dict[int, list[Any]] = defaultdict(list)
        children = per_parent(qs, nav.reverse, parent_ids, opts.skip, opts.skip + limit + 1) if nav.many else None
        if children is None:
            children = _numbered(qs, nav.reverse, parent_ids, opts.skip, opts.skip + limit + 1)
        for child in children:
            grouped[child._parent].append(child)
        if opts.count and nav.many:
            counts = _counts(qs, nav.reverse, parent_ids)
            for parent, found in grouped.items():
                for child in found:
                    child._n = counts.get(parent, 0)
        for obj, row in zip(objs, rows, strict=True):
            self._attach(target, nav, obj, row, grouped.get(obj.pk, []), opts, limit)

    def _attach(
        self, target: EntitySet, nav: Nav, obj: Any, row: dict[str, Any], children: list[Any], opts: Any, limit: int
    ) -> None:
        page = children[:limit]
        rendered = self.entities(target, page, opts)
        if not nav.many:
            if rendered:
                row[nav.name] = rendered[0]
            return
        if opts.count:
            row[f"{nav.name}@iot.count"] = children[0]._n if children else 0
        row[nav.name] = rendered
        if len(children) > limit:
            link = row.get("@iot.selfLink") or self.links.self_link(ENTITY_SETS[_owner_set(nav)], obj)
            query = urlencode({"$top": limit, "$skip": opts.skip + limit})
            row[f"{nav.name}@iot.nextLink"] = f"{link}/{nav.name}?{query}"

    def collection(
        self, entity: EntitySet, qs: QuerySet[Any], options: QueryOptions, page_url: str, params: dict[str, str]
    ) -> dict[str, Any]:
        qs = apply_options(entity, qs, options)
        body: dict[str, Any] = {}
        if options.count:
            body["@iot.count"] = qs.count()
        limit = options.limit
        objs = list(qs[options.skip : options.skip + limit + 1])
        if len(objs) > limit:
            following = {**params, "$top": str(limit), "$skip": str(options.skip + limit)}
            body["@iot.nextLink"] = f"{page_url}?{urlencode(following)}"
        body["value"] = self.entities(entity, objs[:limit], options)
        return body


_SENTINEL = -7_340_033  # a parent id no row has: its place among the compiled parameters is each arm's parent
_ARMS = 100  # parents per UNION ALL statement (SQLite allows 500 arms)


def per_parent(qs: QuerySet[Any], reverse: str, parent_ids: list[int], start: int, stop: int) -> list[Any] | None:
    """`$expand` with `$top`/`$skip` per parent (R5.5; issue 11 "GET p95"): rows `start:stop` of each parent's
    children, in the query's order, as one `UNION ALL` of one LIMITed arm per parent. Each arm is an index range
    scan (e.g. `sensors_obs_ds_time` for a Datastream's Observations), where numbering every child of every
    parent with a window function read all of their rows. The arm is compiled once (the parent id a sentinel
    parameter); each arm keeps its ORDER BY + LIMIT in its own subquery, whose rows SQLite and PostgreSQL emit in
    order. None when the sentinel is not exactly one parameter (the caller numbers the rows instead)."""
    if not parent_ids:
        return []
    arm = qs.filter(**{reverse: _SENTINEL}).annotate(_parent=F(reverse))[start:stop]
    sql, params = arm.query.sql_with_params()
    slots = [i for i, value in enumerate(params) if value == _SENTINEL]
    if len(slots) != 1:
        return None
    found: list[Any] = []
    for first in range(0, len(parent_ids), _ARMS):
        chunk = parent_ids[first : first + _ARMS]
        union = " UNION ALL ".join(f"SELECT * FROM ({sql}) arm{n}" for n in range(len(chunk)))
        values: list[Any] = []
        for parent in chunk:
            each = list(params)
            each[slots[0]] = parent
            values.extend(each)
        found.extend(qs.model.objects.raw(union, values))  # the ORM compiled the SQL, the values are bound
    return found


def _numbered(qs: QuerySet[Any], reverse: str, parent_ids: list[int], start: int, stop: int) -> list[Any]:
    """The children ranked per parent by a window function (a to-one navigation, or `per_parent`'s fallback)."""
    qs = qs.filter(**{f"{reverse}__in": parent_ids}).annotate(_parent=F(reverse))
    ordering: list[Any] = list(qs.query.order_by)
    qs = qs.annotate(_rn=Window(RowNumber(), partition_by=F(reverse), order_by=ordering))
    return list(qs.filter(_rn__gt=start, _rn__lte=stop))


def _owner_set(nav: Nav) -> str:
    for entity in ENTITY_SETS.values():
        if nav in entity.navs:
            return entity.name
    raise LookupError(nav.name)
