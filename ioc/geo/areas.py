"""Areas and the 0.01° grid (DESIGN "Contracts"): an `Area` is a geometry, its bbox and optionally its unit.

Records with a point store a grid cell, so counting points in an area is a GROUP BY over cells; exact
point-in-polygon tests run only for the points in cells the area's boundary crosses.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass
from itertools import compress
from operator import itemgetter
from typing import Any, NamedTuple, TypeVar

import numpy as np
import shapely
from django.db import connection
from django.db.models import (
    Count,
    IntegerField,
    Max,
    Model,
    QuerySet,
)
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _
from shapely.geometry.base import BaseGeometry

from ioc.geo.choices import GRID_STEP
from ioc.geo.errors import GeoInputError, NoBoundaryError
from ioc.geo.index import GEOD, check_point
from ioc.geo.models import AdminUnit

M = TypeVar("M", bound=Model)
MAX_RADIUS_M = 500_000.0
CIRCLE_SEGMENTS = 72
MAX_GEOJSON_VERTICES = 200_000
_CELLS_PER_DEGREE = round(1 / GRID_STEP)
# Above this many grid cells in a box the cells are not named in SQL (a province-sized box: the lat/lon range).
CELLS_FILTER_MAX = 20_000


class BBox(NamedTuple):
    """A bounding box in degrees (WGS84)."""

    min_lat: float
    min_lon: float
    max_lat: float
    max_lon: float


@dataclass(frozen=True)
class Circle:
    """The centre (degrees) and radius (metres) an area was drawn from (`area_from_circle`)."""

    lat: float
    lon: float
    radius_m: float


@dataclass(frozen=True)
class Area:
    """DESIGN "Contracts": a polygonal geometry (lon/lat), its bounding box and the unit it came from, if any;
    `circle` when it is a circle's polygon (issue 20: its border cells are then sorted by distance in SQL)."""

    geometry: BaseGeometry
    bbox: BBox
    unit: AdminUnit | None = None
    circle: Circle | None = None


def _bbox_of(geometry: BaseGeometry) -> BBox:
    min_lon, min_lat, max_lon, max_lat = (float(v) for v in geometry.bounds)
    return BBox(min_lat, min_lon, max_lat, max_lon)


def grid_cell(lat: float, lon: float) -> str:
    """The 0.01° grid cell of a point: "<floor(lat*100)>:<floor(lon*100)>", e.g. 21.0287, 105.8523 → "2102:10585"."""
    lat, lon = check_point(lat, lon)
    return f"{_cell_index(lat)}:{_cell_index(lon)}"


def _cell_index(value: float) -> int:
    return math.floor(round(value * _CELLS_PER_DEGREE, 6))


def grid_cell_bbox(cell: str) -> BBox:
    """The box a grid cell covers."""
    try:
        lat_i, lon_i = (int(part) for part in cell.split(":"))
    except ValueError as exc:
        raise GeoInputError(_("Ô lưới không hợp lệ / Malformed grid cell"), field="cell") from exc
    n = _CELLS_PER_DEGREE
    return BBox(lat_i / n, lon_i / n, (lat_i + 1) / n, (lon_i + 1) / n)


def area_from_unit(unit: AdminUnit) -> Area:
    """The area of a unit with a boundary (2025 provinces and communes); NoBoundaryError otherwise."""
    if not unit.geometry:
        raise NoBoundaryError(
            _("Đơn vị %(code)s không có ranh giới / Unit %(code)s has no boundary") % {"code": unit.qualified_code},
            field="unit",
        )
    geometry = shapely.from_geojson(unit.geometry)
    return Area(geometry=geometry, bbox=_bbox_of(geometry), unit=unit)


def area_from_circle(lat: float, lon: float, radius_m: float) -> Area:
    """A geodesic circle: `CIRCLE_SEGMENTS` points at `radius_m` metres from the centre on the WGS84 ellipsoid."""
    lat, lon = check_point(lat, lon)
    if not isinstance(radius_m, int | float) or not math.isfinite(radius_m) or not 0 < radius_m <= MAX_RADIUS_M:
        raise GeoInputError(
            _("Bán kính phải lớn hơn 0 và không quá %(max)s m / radius_m must be > 0 and at most %(max)s m")
            % {"max": int(MAX_RADIUS_M)},
            field="radius_m",
        )
    azimuths = np.linspace(0.0, 360.0, CIRCLE_SEGMENTS, endpoint=False)
    lons, lats, _back = GEOD.fwd(
        np.full(CIRCLE_SEGMENTS, lon), np.full(CIRCLE_SEGMENTS, lat), azimuths, np.full(CIRCLE_SEGMENTS, radius_m)
    )
    geometry = shapely.Polygon(zip(lons.tolist(), lats.tolist(), strict=True))
    return Area(geometry=geometry, bbox=_bbox_of(geometry), circle=Circle(lat, lon, float(radius_m)))


def _geojson_geometry(obj: dict[str, Any]) -> dict[str, Any]:
    kind = obj.get("type")
    if kind == "Feature":
        geometry = obj.get("geometry")
        if not isinstance(geometry, dict):
            raise GeoInputError(_("Feature không có geometry / Feature without a geometry"), field="geometry")
        return geometry
    if kind == "FeatureCollection":
        features = obj.get("features")
        if not isinstance(features, list) or not features:
            raise GeoInputError(_("FeatureCollection rỗng / Empty FeatureCollection"), field="features")
        parts = [_geojson_geometry(f) if isinstance(f, dict) else {} for f in features]
        return {"type": "GeometryCollection", "geometries": parts}
    return obj


def _polygonal(geometry: BaseGeometry) -> BaseGeometry:
    kinds = set(shapely.get_type_id(shapely.get_parts(geometry)).tolist())
    if geometry.is_empty or not kinds <= {3, 6}:  # Polygon, MultiPolygon
        raise GeoInputError(
            _("Vùng phải là Polygon hoặc MultiPolygon / The area must be a Polygon or MultiPolygon"), field="type"
        )
    if shapely.get_num_coordinates(geometry) > MAX_GEOJSON_VERTICES:
        raise GeoInputError(_("Vùng có quá nhiều đỉnh / The area has too many vertices"), field="coordinates")
    if not geometry.is_valid:
        raise GeoInputError(
            _("Vùng không hợp lệ: %(reason)s / Invalid polygon: %(reason)s")
            % {"reason": shapely.is_valid_reason(geometry)},
            field="coordinates",
        )
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    if min_lat < -90 or max_lat > 90 or min_lon < -180 or max_lon > 180:
        raise GeoInputError(
            _("Toạ độ ngoài phạm vi WGS84 (kinh độ, vĩ độ) / Coordinates out of WGS84 range (lon, lat)"),
            field="coordinates",
        )
    return shapely.union_all(shapely.get_parts(geometry)) if geometry.geom_type == "GeometryCollection" else geometry


def area_from_geojson(obj: dict[str, Any] | str) -> Area:
    """An area from a GeoJSON Polygon / MultiPolygon, a Feature with one, or a FeatureCollection of them.

    Raises GeoInputError (a ValueError) naming the problem: not JSON, not GeoJSON, not polygonal, invalid rings.
    """
    if isinstance(obj, str):
        try:
            obj = json.loads(obj)
        except (ValueError, RecursionError) as exc:  # RecursionError: deep nesting
            raise GeoInputError(_("Không phải JSON hợp lệ / Not valid JSON"), field="geojson") from exc
    if not isinstance(obj, dict) or not isinstance(obj.get("type"), str):
        raise GeoInputError(_("Không phải đối tượng GeoJSON / Not a GeoJSON object"), field="type")
    try:
        geometry = shapely.from_geojson(json.dumps(_geojson_geometry(obj)))
    except (shapely.errors.GEOSException, ValueError, TypeError) as exc:
        if isinstance(exc, GeoInputError):
            raise
        raise GeoInputError(
            _("GeoJSON không hợp lệ / Invalid GeoJSON: %(reason)s") % {"reason": str(exc)[:200]}, field="coordinates"
        ) from exc
    geometry = _polygonal(geometry)
    return Area(geometry=geometry, bbox=_bbox_of(geometry))


def _cell_boxes(cells: list[tuple[int, int]]) -> np.ndarray:
    lat_i = np.array([c[0] for c in cells], dtype=float)
    lon_i = np.array([c[1] for c in cells], dtype=float)
    n = _CELLS_PER_DEGREE
    return np.asarray(shapely.box(lon_i / n, lat_i / n, (lon_i + 1) / n, (lat_i + 1) / n))


def _split(qs: QuerySet[M], area: Area, lat_field: str, lon_field: str) -> tuple[QuerySet[M], list[Any], list[Any]]:
    """The bbox-filtered queryset and the primary keys of its rows inside and outside the area."""
    box = area.bbox
    in_box = qs.filter(
        **{
            f"{lat_field}__gte": box.min_lat,
            f"{lat_field}__lte": box.max_lat,
            f"{lon_field}__gte": box.min_lon,
            f"{lon_field}__lte": box.max_lon,
        }
    )
    rows = list(in_box.order_by().values_list("pk", lat_field, lon_field))
    if not rows:
        return in_box, [], []
    lats = np.array([r[1] for r in rows], dtype=float)
    lons = np.array([r[2] for r in rows], dtype=float)
    lat_i = np.floor(np.round(lats * _CELLS_PER_DEGREE, 6)).astype(int).tolist()
    lon_i = np.floor(np.round(lons * _CELLS_PER_DEGREE, 6)).astype(int).tolist()
    keys = list(zip(lat_i, lon_i, strict=True))
    cells = sorted(set(keys))
    shapely.prepare(area.geometry)
    boxes = _cell_boxes(cells)
    inside = dict(zip(cells, shapely.contains_properly(area.geometry, boxes).tolist(), strict=True))
    touching = dict(zip(cells, shapely.intersects(area.geometry, boxes).tolist(), strict=True))
    hit = np.array([inside[key] for key in keys], dtype=bool)
    exact = [i for i, key in enumerate(keys) if touching[key] and not inside[key]]
    if exact:  # only the rows in cells the border crosses get an exact test
        hit[exact] = shapely.intersects_xy(area.geometry, lons[exact], lats[exact])
    return (
        in_box,
        [r[0] for r, h in zip(rows, hit.tolist(), strict=True) if h],
        [r[0] for r, h in zip(rows, hit.tolist(), strict=True) if not h],
    )


def bbox_cells(box: BBox, *, limit: int | None = None) -> list[str] | None:
    """The grid cells a box touches, in order, or None when there are more than `limit` (issue 20: filtering on
    `grid_cell IN (…)` lets a covering index that starts with `grid_cell` answer a box without reading rows)."""
    limit = CELLS_FILTER_MAX if limit is None else limit
    lat_lo, lat_hi = _cell_index(box.min_lat), _cell_index(box.max_lat)
    lon_lo, lon_hi = _cell_index(box.min_lon), _cell_index(box.max_lon)
    if (lat_hi - lat_lo + 1) * (lon_hi - lon_lo + 1) > limit:
        return None
    return [f"{a}:{b}" for a in range(lat_lo, lat_hi + 1) for b in range(lon_lo, lon_hi + 1)]


def filter_box(qs: QuerySet[M], box: BBox) -> QuerySet[M]:
    """Rows of `qs` (with `lat`, `lon` and their `grid_cell`) whose point lies in `box`, borders included; the
    box's grid cells are named too when they are few, so an index on `grid_cell` serves the query (issue 20)."""
    qs = qs.filter(lat__gte=box.min_lat, lat__lte=box.max_lat, lon__gte=box.min_lon, lon__lte=box.max_lon)
    cells = bbox_cells(box)
    return qs if cells is None else qs.filter(grid_cell__in=cells)


def _value(row: tuple[Any, ...], width: int, single: bool) -> Any:
    return row[0] if single else tuple(row[:width])


def _border_counts(qs: QuerySet[M], area: Area, keys: tuple[str, ...], border: set[str]) -> dict[Any, int]:
    """The rows of the border cells whose point lies in `area`, counted by `keys`. Issue 20: their (keys, lat, lon)
    come from the covering index in one read and get one vectorised point test (measured faster than grouping
    them first into 0.001° sub-cells, whose thousands of groups cost more in Python than the rows they spared)."""
    rows = list(qs.filter(grid_cell__in=border).order_by().values_list(*keys, "lat", "lon"))
    if not rows:
        return {}
    width = len(keys)
    points = np.array([row[width:] for row in rows], dtype=float)
    hit = shapely.intersects_xy(area.geometry, points[:, 1], points[:, 0]).tolist()
    key = itemgetter(*range(width))  # one field: its value; several: a tuple, as `_value` gives
    return dict(Counter(map(key, compress(rows, hit))))


class Ring(NamedTuple):
    """Issue 20: a circle's polygon seen in a local plane (metres east and north of its centre, an affine image of
    lon/lat, so straight edges stay straight): every point nearer the centre than `inner2` (squared) lies inside
    the polygon, every point farther than `outer2` outside; only the thin ring between needs the exact test."""

    lat: float
    lon: float
    ky: float
    kx: float
    inner2: float
    outer2: float


METRES_PER_DEGREE = 111_320.0  # the plane's scale only: the ring's bounds are measured in that same plane
RING_MARGIN = 1e-6  # relative, on squared distances: far above the rounding of the SQL arithmetic (~1e-13)
RING_MIN_ROWS = 5000  # border rows from which the ring's statement is cheaper than reading them (measured)


def area_ring(area: Area) -> Ring | None:
    """The ring of a circle's area (None for any other area, or a polygon that does not hold its centre).
    Exact by construction: the inner bound is the centre's distance to the polygon's boundary in the plane, the
    outer one the farthest vertex (a polygon lies within the disk that holds its vertices' hull)."""
    circle = area.circle
    if circle is None or area.geometry.geom_type != "Polygon":
        return None
    ky = METRES_PER_DEGREE
    kx = METRES_PER_DEGREE * math.cos(math.radians(circle.lat))
    coords = shapely.get_coordinates(area.geometry)
    xs = (coords[:, 0] - circle.lon) * kx
    ys = (coords[:, 1] - circle.lat) * ky
    plane = shapely.Polygon(np.column_stack([xs, ys]))
    origin = shapely.Point(0.0, 0.0)
    if not plane.is_valid or not plane.contains(origin):
        return None
    inner = float(shapely.distance(plane.exterior, origin))
    outer = float(np.sqrt(np.max(xs * xs + ys * ys)))
    return Ring(circle.lat, circle.lon, ky, kx, inner * inner * (1 - RING_MARGIN), outer * outer * (1 + RING_MARGIN))


def _ring_tag(model: type[Model], ring: Ring) -> RawSQL:
    """-1 inside the ring, 0 outside, the row's id on it (each such row then its own group). Written as SQL: the
    same CASE built from Django expressions cost ~1 ms of compiling a request (measured), more than it saved on
    a small circle."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = {field.name: str(field.column) for field in model._meta.concrete_fields}
    lat, lon = (f"{table}.{quote(columns[name])}" for name in ("lat", "lon"))
    pk = f"{table}.{quote(columns[model._meta.pk.name if model._meta.pk else 'id'])}"  # an integer (`_border`)
    d2 = f"(({lat} - %s) * ({lat} - %s) * %s + ({lon} - %s) * ({lon} - %s) * %s)"
    values = (ring.lat, ring.lat, ring.ky * ring.ky, ring.lon, ring.lon, ring.kx * ring.kx)
    sql = f"CASE WHEN {d2} <= %s THEN -1 WHEN {d2} <= %s THEN {pk} ELSE 0 END"
    params = (*values, ring.inner2, *values, ring.outer2)
    return RawSQL(sql, params, output_field=IntegerField())  # noqa: S611 - quoted column names, numbers as parameters


def _ring_counts(qs: QuerySet[M], area: Area, keys: tuple[str, ...], border: set[str], ring: Ring) -> dict[Any, int]:
    """`_border_counts` for a circle (issue 20): SQL sorts the border cells' rows by their squared distance in the
    ring's plane — inside, outside or on the ring — and answers the inside ones counted by `keys` and the ring's
    own rows one by one, which alone get the exact point test. A 3 km circle's border cells hold ~20,000 reports
    at the densest; the ring (~3 m wide) a few dozen."""
    rows = (
        qs.filter(grid_cell__in=border)
        .order_by()
        .annotate(_tag=_ring_tag(qs.model, ring))
        .values_list(*keys, "_tag")
        .annotate(n=Count("pk"), _lat=Max("lat"), _lon=Max("lon"))
    )
    width = len(keys)
    counts: Counter[Any] = Counter()
    exact: list[tuple[Any, ...]] = []
    for row in rows:
        if row[width] == -1:
            counts[_value(row, width, width == 1)] += row[width + 1]
        elif row[width]:
            exact.append(row)
    if exact:
        points = np.array([row[-2:] for row in exact], dtype=float)
        hit = shapely.intersects_xy(area.geometry, points[:, 1], points[:, 0]).tolist()
        for row in compress(exact, hit):
            counts[_value(row, width, width == 1)] += row[width + 1]  # a join may repeat a row: its count
    return dict(counts)


def _cell_classes(area: Area, cells: list[str]) -> tuple[list[str], list[str]]:
    """The grid cells among `cells` the area holds wholly, and those its border crosses (the rest: outside)."""
    boxes = [grid_cell_bbox(cell) for cell in cells]
    geoms = shapely.box(
        [b.min_lon for b in boxes], [b.min_lat for b in boxes], [b.max_lon for b in boxes], [b.max_lat for b in boxes]
    )
    shapely.prepare(area.geometry)
    inside = shapely.contains_properly(area.geometry, geoms).tolist()
    touching = shapely.intersects(area.geometry, geoms).tolist()
    full = [c for c, i in zip(cells, inside, strict=True) if i]
    border = [c for c, i, t in zip(cells, inside, touching, strict=True) if t and not i]
    return full, border


def area_full_cells(area: Area) -> list[str]:
    """The grid cells the area holds wholly (every point of such a cell is in the area: its rows need no point
    test), in order; [] when the area's box has more than `CELLS_FILTER_MAX` cells."""
    named = bbox_cells(area.bbox)
    return [] if named is None else _cell_classes(area, named)[0]


def _add(counts: dict[Any, int], found: dict[Any, int]) -> None:
    for value, n in found.items():
        counts[value] = counts.get(value, 0) + n


def _border(qs: QuerySet[M], area: Area, keys: tuple[str, ...], border: set[str], expected: float) -> dict[Any, int]:
    """The border cells' rows in `area` counted by `keys`: sorted by distance in SQL when the area is a circle and
    its border cells are expected to hold at least `RING_MIN_ROWS` rows (below, the statement's own cost is more
    than the rows it spares), else read and tested (`_border_counts`)."""
    pk = qs.model._meta.pk
    numbered = pk is not None and pk.get_internal_type() in ("AutoField", "BigAutoField")  # the ring's rows by id
    ring = area_ring(area) if numbered and expected >= RING_MIN_ROWS else None
    return _border_counts(qs, area, keys, border) if ring is None else _ring_counts(qs, area, keys, border, ring)


def _summed(rows: list[tuple[Any, ...]], width: int, single: bool, cells: set[str] | None) -> dict[Any, int]:
    """Rows (grid_cell, *keys, n) summed by their keys, only those of `cells` when given."""
    counts: dict[Any, int] = {}
    for row in rows:
        if row[0] and (cells is None or row[0] in cells):
            value = _value(row[1:], width, single)
            counts[value] = counts.get(value, 0) + row[-1]
    return counts


def point_counts_in_area(qs: QuerySet[M], area: Area, *, key: str | tuple[str, ...]) -> dict[Any, int]:
    """DESIGN "Map hooks": rows of `qs` (with `lat`, `lon` and their `grid_cell`) whose point lies in `area`,
    counted by `key` (a field, or a tuple of fields whose values then key the counts as tuples; non-zero counts
    only). A GROUP BY over grid cells: cells wholly inside count whole; only the rows of cells the area's border
    crosses get an exact point test (`_border_counts`). Shared by every domain's `*_counts_in_area`.

    Issue 20: the box's cells are sorted first, by geometry alone, into those the area holds, those its border
    crosses and the rest; each statement names its own cells, so a covering index on (grid_cell, key columns, lat,
    lon) answers without reading rows, and no index entry is visited twice or outside the area's cells. A box of
    more than `CELLS_FILTER_MAX` cells is read by its lat/lon range and its cells sorted from the rows found."""
    keys = (key,) if isinstance(key, str) else tuple(key)
    single = isinstance(key, str)
    box = area.bbox
    in_box = qs.filter(lat__gte=box.min_lat, lat__lte=box.max_lat, lon__gte=box.min_lon, lon__lte=box.max_lon)
    named = bbox_cells(box)
    counts: dict[Any, int]
    if named is None:
        grouped = list(in_box.order_by().values_list("grid_cell", *keys).annotate(n=Count("pk")))
        full, border = _cell_classes(area, sorted({row[0] for row in grouped if row[0]}))
        counts = _summed(grouped, len(keys), single, set(full))
    else:
        full, border = _cell_classes(area, named)
        counts = {}
        if full:
            rows = in_box.filter(grid_cell__in=full).order_by().values_list("grid_cell", *keys).annotate(n=Count("pk"))
            counts = _summed(list(rows), len(keys), single, None)
    if border:
        # The border cells' rows, guessed from the full cells' density (an estimate only chooses the method).
        expected = sum(counts.values()) / len(full) * len(border) if full else 0.0
        _add(counts, _border(in_box, area, keys, set(border), expected))
    return {value: n for value, n in counts.items() if n}


def point_ids_in_area(qs: QuerySet[M], area: Area, lat_field: str = "lat", lon_field: str = "lon") -> list[Any]:
    """Primary keys of the rows of `qs` whose point lies in `area` (its border included).

    The bbox is filtered in SQL; rows in grid cells wholly inside the area are taken as they are; only rows in
    cells the border crosses are tested exactly.
    """
    return _split(qs, area, lat_field, lon_field)[1]


def filter_points_in_area(qs: QuerySet[M], area: Area, lat_field: str = "lat", lon_field: str = "lon") -> QuerySet[M]:
    """`qs` limited to rows whose point lies in `area`, as a queryset filtered by id.

    The shorter of the two id lists goes into SQL: `pk IN (inside)` or the bbox filter minus `pk IN (outside)`.
    """
    in_box, inside, outside = _split(qs, area, lat_field, lon_field)
    if len(inside) <= len(outside):
        return qs.filter(pk__in=inside)
    return in_box.exclude(pk__in=outside)
