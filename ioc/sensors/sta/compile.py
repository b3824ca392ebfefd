"""`$filter` and `$orderby` trees (odata.py) → Django expressions for one entity set (R5.5).

Works the same on SQLite and PostgreSQL: string tests use `instr`/`left`/`right` (case-sensitive, unlike
SQLite's LIKE), `geo.distance` is the planar distance in degrees (the unit of WGS 84, as the standard says)
computed in SQL from the lat/lon columns. `st_within`, `st_intersects`, `st_contains`, `st_disjoint` and
`geo.intersects` test each row's representative point with shapely in Python after a bounding-box prefilter in
SQL, and become `pk IN (…)`: exact for point locations, the representative point for polygons.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import shapely
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Expression, ExpressionWrapper, F, FloatField, Q, Value
from django.db.models.fields.json import KT
from django.db.models.functions import (
    Cast,
    Ceil,
    Concat,
    Extract,
    Floor,
    Left,
    Length,
    Lower,
    Mod,
    Power,
    Right,
    Round,
    Sqrt,
    StrIndex,
    Substr,
    Trim,
    Upper,
)
from django.db.models.lookups import (
    Exact,
    GreaterThan,
    GreaterThanOrEqual,
    IsNull,
    LessThan,
    LessThanOrEqual,
)
from django.utils import timezone
from shapely.geometry.base import BaseGeometry

from ioc.sensors.sta.entities import EntitySet, Prop
from ioc.sensors.sta.odata import Binary, Call, Literal, Node, Path, QueryError, Unary

COMPARISONS = {
    "eq": Exact,
    "gt": GreaterThan,
    "ge": GreaterThanOrEqual,
    "lt": LessThan,
    "le": LessThanOrEqual,
}
ARITHMETIC = {"add": "+", "sub": "-", "mul": "*", "div": "/"}
GEO_CANDIDATES_MAX = 500_000


@dataclass(frozen=True)
class Val:
    """A compiled operand: an expression and its kind (number, string, time, bool, json, result, id, geo)."""

    expr: Any
    kind: str
    lookup: str = ""  # the Django path of a property operand ("thing__name")
    geometry: BaseGeometry | None = None  # a geo literal
    many: bool = False


@dataclass
class Compiler:
    entity: EntitySet
    distinct: bool = False

    # --- operands ----------------------------------------------------------------------------------------

    def value(self, node: Node) -> Val:
        if isinstance(node, Literal):
            return self.literal(node)
        if isinstance(node, Path):
            return self.path(node.segments)
        if isinstance(node, Call):
            result = self.call(node)
            if isinstance(result, Q):
                raise QueryError(f"{node.name}() cho giá trị đúng/sai / {node.name}() is a condition, not a value")
            return result
        if isinstance(node, Binary) and (node.op in ARITHMETIC or node.op == "mod"):
            return self.arithmetic(node)
        raise QueryError("Cần một giá trị, không phải điều kiện / A value is expected, not a condition")

    def literal(self, node: Literal) -> Val:
        if node.kind == "geo":
            return Val(None, "geo", geometry=node.value)
        return Val(Value(node.value), node.kind)

    def path(self, segments: tuple[str, ...]) -> Val:
        from ioc.sensors.sta.entities import ENTITY_SETS

        entity, prefix, many = self.entity, "", False
        for index, segment in enumerate(segments):
            nav = entity.nav(segment)
            if nav is not None:
                prefix += nav.forward + "__"
                many = many or nav.many
                entity = ENTITY_SETS[nav.target]
                continue
            if segment in ("id", "@iot.id"):
                if index != len(segments) - 1:
                    raise QueryError("id không có thuộc tính con / id has no sub-properties")
                self.distinct = self.distinct or many
                return Val(F(prefix + "pk"), "id", lookup=prefix, many=many)
            prop = entity.prop(segment)
            if prop is None:
                raise QueryError(f"Thuộc tính không tồn tại: {segment} / Unknown property: {segment}")
            self.distinct = self.distinct or many
            return self.prop_value(prop, prefix, list(segments[index + 1 :]), many)
        raise QueryError(f"Đường dẫn trỏ tới thực thể, không phải thuộc tính: {'/'.join(segments)} / Not a property")

    def prop_value(self, prop: Prop, prefix: str, keys: list[str], many: bool) -> Val:
        lookup = prefix + prop.field
        if keys:
            if prop.kind not in ("json", "result"):
                raise QueryError(f"{prop.name} không có thuộc tính con / {prop.name} has no sub-properties")
            lookup = "__".join([lookup, *keys])
            return Val(KT(lookup), "json", lookup=lookup, many=many)
        if prop.kind == "geo":
            return Val(None, "geo", lookup=prefix, many=many)
        if prop.kind in ("time", "interval"):
            return Val(F(lookup), "time", lookup=lookup, many=many)
        if prop.kind == "result":
            return Val(F(prefix + "result_number"), "result", lookup=prefix, many=many)
        if prop.kind == "json":
            return Val(F(lookup), "rawjson", lookup=lookup, many=many)
        return Val(F(lookup), "string", lookup=lookup, many=many)

    def arithmetic(self, node: Binary) -> Val:
        left, right = self.numeric(node.left), self.numeric(node.right)
        if node.op == "mod":
            return Val(Mod(left, right), "number")
        combined = left._combine(right, ARITHMETIC[node.op], False)
        return Val(ExpressionWrapper(combined, output_field=FloatField()), "number")

    def numeric(self, node: Node) -> Any:
        val = self.value(node)
        if val.kind == "number":
            return val.expr
        if val.kind == "json":
            return Cast(val.expr, FloatField())
        if val.kind in ("result", "id"):
            return val.expr
        raise QueryError("Phép tính cần số / Arithmetic needs numbers")

    # --- conditions --------------------------------------------------------------------------------------

    def condition(self, node: Node) -> Q:
        if isinstance(node, Binary) and node.op in ("and", "or"):
            left, right = self.condition(node.left), self.condition(node.right)
            return left & right if node.op == "and" else left | right
        if isinstance(node, Unary) and node.op == "not":
            return ~self.condition(node.operand)
        if isinstance(node, Binary) and (node.op in COMPARISONS or node.op == "ne"):
            return self.comparison(node)
        if isinstance(node, Call):
            result = self.call(node)
            if isinstance(result, Q):
                return result
        if isinstance(node, Literal) and node.kind == "bool":
            return Q(pk__isnull=False) if node.value else Q(pk__isnull=True)
        raise QueryError("Cần một điều kiện / A condition is expected")

    def comparison(self, node: Binary) -> Q:
        right_bool = isinstance(node.right, Literal) and node.right.kind == "bool"
        if node.op in ("eq", "ne") and right_bool and isinstance(node.left, Call | Binary | Unary):
            inner = self.condition(node.left)
            return inner if (node.op == "eq") == bool(node.right.value) else ~inner  # type: ignore[union-attr]
        left, right = self.value(node.left), self.value(node.right)
        if right.kind == "null" or left.kind == "null":
            return self.null_test(left if right.kind == "null" else right, node.op)
        if left.kind == "id" or right.kind == "id":
            left, right = self.ids(left, right)
        elif left.kind in ("result", "json", "rawjson") or right.kind in ("result", "json", "rawjson"):
            special = self.json_comparison(left, right, node.op)
            if isinstance(special, Q):
                return special
            left, right = special
        if left.kind == "geo" or right.kind == "geo":
            raise QueryError("Không so sánh trực tiếp hình học / Geometries cannot be compared")
        return self.compare(node.op, left.expr, right.expr)

    @staticmethod
    def compare(op: str, left: Any, right: Any) -> Q:
        if op == "ne":
            return ~Q(Exact(left, right))
        return Q(COMPARISONS[op](left, right))

    def null_test(self, val: Val, op: str) -> Q:
        if val.kind == "null":
            return Q(pk__isnull=op == "ne")
        lookup = val.lookup + "result" if val.kind == "result" else val.lookup
        if not lookup or val.kind == "id":
            raise QueryError("So sánh với null cần một thuộc tính / null compares with a property")
        test = Q(IsNull(F(lookup), True))
        return test if op == "eq" else ~test

    def ids(self, left: Val, right: Val) -> tuple[Val, Val]:
        ident, other = (left, right) if left.kind == "id" else (right, left)
        if other.kind == "number" and isinstance(other.expr.value, int):
            return ident, other
        if other.kind == "string":
            text = other.expr.value
            if text.isdigit():
                return Val(ident.expr, "id"), Val(Value(int(text)), "number")
            external = Val(F(ident.lookup + "ext_id"), "string")
            return (external, other) if left.kind == "id" else (other, external)
        raise QueryError("id so sánh với số nguyên hoặc chuỗi / id compares with an integer or a string")

    def json_comparison(self, left: Val, right: Val, op: str) -> Q | tuple[Val, Val]:
        field, other = (left, right) if left.kind in ("result", "json", "rawjson") else (right, left)
        swap = field is right
        if field.kind == "rawjson":
            raise QueryError("So sánh một đối tượng JSON cần đường dẫn con / Compare a JSON member, not the object")
        if other.kind == "number":
            expr = field.expr if field.kind == "result" else Cast(field.expr, FloatField())
            converted = Val(expr, "number")
        elif other.kind in ("string", "bool") and op in ("eq", "ne"):
            lookup = field.lookup + "result" if field.kind == "result" else field.lookup
            test = Q(**{lookup: other.expr.value})
            return test if op == "eq" else ~test
        elif other.kind in ("string", "time") and field.kind == "json":
            converted = Val(field.expr, "string")
        else:
            raise QueryError("Kiểu so sánh không hỗ trợ với kết quả / Unsupported comparison with result")
        return (other, converted) if swap else (converted, other)

    # --- functions ---------------------------------------------------------------------------------------

    def call(self, node: Call) -> Q | Val:
        handler = FUNCTIONS.get(node.name)
        if handler is None:
            raise QueryError(f"Hàm không được hỗ trợ: {node.name} / Unsupported function: {node.name}")
        arity, function = handler
        if len(node.args) not in arity:
            raise QueryError(f"{node.name}: sai số tham số / {node.name}: wrong number of arguments")
        result: Q | Val = function(self, node.args)
        return result

    def text(self, node: Node) -> Any:
        val = self.value(node)
        if val.kind not in ("string", "json"):
            raise QueryError("Hàm chuỗi cần chuỗi / A string function needs a string")
        return val.expr

    def timeval(self, node: Node) -> Any:
        val = self.value(node)
        if val.kind not in ("time", "datetime"):
            raise QueryError("Hàm thời gian cần thời điểm / A date function needs a time")
        return val.expr

    def geo_path_literal(self, args: tuple[Node, ...]) -> tuple[Val, BaseGeometry, bool]:
        first, second = self.value(args[0]), self.value(args[1])
        if first.kind == "geo" and first.geometry is None and second.geometry is not None:
            return first, second.geometry, False
        if second.kind == "geo" and second.geometry is None and first.geometry is not None:
            return second, first.geometry, True
        raise QueryError("Hàm hình học cần một thuộc tính vị trí và một WKT / A location and a WKT literal")

    def points_in(self, place: Val, geometry: BaseGeometry, *, within: bool) -> Q:
        model = self.entity.model
        box = geometry.bounds  # (min_lon, min_lat, max_lon, max_lat)
        lat, lon = place.lookup + "lat", place.lookup + "lon"
        rows = list(
            model._default_manager.filter(
                **{f"{lat}__gte": box[1], f"{lat}__lte": box[3], f"{lon}__gte": box[0], f"{lon}__lte": box[2]}
            ).values_list("pk", lat, lon)[:GEO_CANDIDATES_MAX]
        )
        if not rows:
            return Q(pk__in=[])
        test = shapely.contains_xy if within else shapely.intersects_xy
        shapely.prepare(geometry)
        hits = test(geometry, [r[2] for r in rows], [r[1] for r in rows]).tolist()
        return Q(pk__in=sorted({row[0] for row, hit in zip(rows, hits, strict=True) if hit}))


def _string_test(kind: str) -> Callable[[Compiler, tuple[Node, ...]], Q]:
    def build(c: Compiler, args: tuple[Node, ...]) -> Q:
        if kind == "substringof":
            return Q(GreaterThan(StrIndex(c.text(args[1]), c.text(args[0])), 0))
        haystack, needle = c.text(args[0]), c.text(args[1])
        if kind == "contains":
            return Q(GreaterThan(StrIndex(haystack, needle), 0))
        cut = Left if kind == "startswith" else Right
        return Q(Exact(cut(haystack, Length(needle)), needle))

    return build


def _date_part(part: str) -> Callable[[Compiler, tuple[Node, ...]], Val]:
    return lambda c, a: Val(Extract(c.timeval(a[0]), part, tzinfo=dt.UTC), "number")


def _distance(c: Compiler, args: tuple[Node, ...]) -> Val:
    place, geometry, _swapped = c.geo_path_literal(args)
    if geometry.geom_type != "Point":
        raise QueryError("geo.distance cần một điểm POINT / geo.distance needs a POINT")
    dx = F(place.lookup + "lon") - Value(geometry.x)
    dy = F(place.lookup + "lat") - Value(geometry.y)
    return Val(Sqrt(Power(dx, 2) + Power(dy, 2), output_field=FloatField()), "number")


def _spatial(kind: str) -> Callable[[Compiler, tuple[Node, ...]], Q]:
    def build(c: Compiler, args: tuple[Node, ...]) -> Q:
        place, geometry, swapped = c.geo_path_literal(args)
        if (kind == "within" and swapped) or (kind == "contains" and not swapped):
            raise QueryError("Thứ tự tham số không hợp lệ / Wrong argument order")
        found = c.points_in(place, geometry, within=kind in ("within", "contains"))
        return ~found if kind == "disjoint" else found

    return build


def _substring(c: Compiler, args: tuple[Node, ...]) -> Val:
    start = ExpressionWrapper(c.numeric(args[1]) + 1, output_field=FloatField())
    length = c.numeric(args[2]) if len(args) == 3 else None
    return Val(Substr(c.text(args[0]), start, length), "string")


def _unary(function: type[Expression], kind: str, text: bool = True) -> Callable[[Compiler, tuple[Node, ...]], Val]:
    return lambda c, a: Val(function(c.text(a[0]) if text else c.numeric(a[0])), kind)


ONE, TWO = frozenset({1}), frozenset({2})
FUNCTIONS: dict[str, tuple[frozenset[int], Callable[[Compiler, tuple[Node, ...]], Any]]] = {
    "substringof": (TWO, _string_test("substringof")),
    "contains": (TWO, _string_test("contains")),
    "startswith": (TWO, _string_test("startswith")),
    "endswith": (TWO, _string_test("endswith")),
    "length": (ONE, _unary(Length, "number")),
    "tolower": (ONE, _unary(Lower, "string")),
    "toupper": (ONE, _unary(Upper, "string")),
    "trim": (ONE, _unary(Trim, "string")),
    "concat": (TWO, lambda c, a: Val(Concat(c.text(a[0]), c.text(a[1])), "string")),
    "indexof": (TWO, lambda c, a: Val(StrIndex(c.text(a[0]), c.text(a[1])) - 1, "number")),
    "substring": (frozenset({2, 3}), _substring),
    "year": (ONE, _date_part("year")),
    "month": (ONE, _date_part("month")),
    "day": (ONE, _date_part("day")),
    "hour": (ONE, _date_part("hour")),
    "minute": (ONE, _date_part("minute")),
    "second": (ONE, _date_part("second")),
    "now": (frozenset({0}), lambda c, a: Val(Value(timezone.now()), "time")),
    "round": (ONE, _unary(Round, "number", text=False)),
    "floor": (ONE, _unary(Floor, "number", text=False)),
    "ceiling": (ONE, _unary(Ceil, "number", text=False)),
    "geo.distance": (TWO, _distance),
    "geo.intersects": (TWO, _spatial("intersects")),
    "st_intersects": (TWO, _spatial("intersects")),
    "st_within": (TWO, _spatial("within")),
    "st_contains": (TWO, _spatial("contains")),
    "st_disjoint": (TWO, _spatial("disjoint")),
}


def compile_filter(entity: EntitySet, node: Node) -> tuple[Q, bool]:
    """(the condition, whether it crosses a to-many navigation and needs DISTINCT)."""
    compiler = Compiler(entity)
    condition = compiler.condition(node)
    return condition, compiler.distinct


def compile_orderby(entity: EntitySet, items: list[tuple[Node, bool]]) -> list[Any]:
    compiler = Compiler(entity)
    ordering: list[Any] = []
    for node, descending in items:
        val = compiler.value(node)
        if val.kind in ("geo", "rawjson") or val.expr is None:
            raise QueryError("Không sắp xếp theo thuộc tính này / Cannot order by this property")
        if val.many:
            raise QueryError("Không sắp xếp theo quan hệ nhiều / Cannot order through a to-many navigation")
        expr = val.expr if hasattr(val.expr, "asc") else ExpressionWrapper(val.expr, output_field=FloatField())
        if _never_null(entity, expr):
            ordering.append(expr.desc() if descending else expr.asc())
        else:
            ordering.append(expr.desc(nulls_last=True) if descending else expr.asc(nulls_first=True))
    return ordering


def _never_null(entity: EntitySet, expr: Any) -> bool:
    """A column of the entity's own table that holds no NULL (`phenomenonTime` of an Observation, an id): ordered
    without a NULLS clause, so PostgreSQL walks its index in either direction (issue 11 "Speed": with `DESC NULLS
    LAST`, which a b-tree's backward scan does not give, each Datastream's newest reading sorted all 33,000 of its
    rows at 10 M observations). For such a column the order is the same."""
    name = str(getattr(expr, "name", "")) if isinstance(expr, F) else ""
    if not name or "__" in name:
        return False
    if name == "pk":
        return True
    try:
        field = entity.model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return not field.null
