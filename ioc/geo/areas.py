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
from django.db.models import Count, Model, QuerySet
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
class Area:
    """DESIGN "Contracts": a polygonal geometry (lon/lat), its bounding box and the unit it came from, if any."""

    geometry: BaseGeometry
    bbox: BBox
    unit: AdminUnit | None = None


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
    return Area(geometry=geometry, bbox=_bbox_of(geometry))


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


def point_counts_in_area(qs: QuerySet[M], area: Area, *, key: str | tuple[str, ...]) -> dict[Any, int]:
    """DESIGN "Map hooks": rows of `qs` (with `lat`, `lon` and their `grid_cell`) whose point lies in `area`,
    counted by `key` (a field, or a tuple of fields whose values then key the counts as tuples; non-zero counts
    only). A GROUP BY over grid cells: cells wholly inside count whole; only the rows of cells the area's border
    crosses get an exact point test (`_border_counts`). Shared by every domain's `*_counts_in_area`.
    The box's cells are named in SQL (`filter_box`), so a covering index on (grid_cell, key columns, lat, lon)
    answers without reading rows (issue 20)."""
    keys = (key,) if isinstance(key, str) else tuple(key)
    width, single = len(keys), isinstance(key, str)
    qs = filter_box(qs, area.bbox)
    grouped = list(qs.order_by().values_list("grid_cell", *keys).annotate(n=Count("pk")))
    cells = sorted({row[0] for row in grouped if row[0]})
    counts: dict[Any, int] = {}
    if not cells:
        return counts
    boxes = [grid_cell_bbox(cell) for cell in cells]
    geoms = shapely.box(
        [b.min_lon for b in boxes], [b.min_lat for b in boxes], [b.max_lon for b in boxes], [b.max_lat for b in boxes]
    )
    shapely.prepare(area.geometry)
    inside = shapely.contains_properly(area.geometry, geoms).tolist()
    touching = shapely.intersects(area.geometry, geoms).tolist()
    full = {c for c, i in zip(cells, inside, strict=True) if i}
    border = {c for c, i, t in zip(cells, inside, touching, strict=True) if t and not i}
    for row in grouped:
        if row[0] in full:
            value = _value(row[1:], width, single)
            counts[value] = counts.get(value, 0) + row[-1]
    if border:
        for value, n in _border_counts(qs, area, keys, border).items():
            counts[value] = counts.get(value, 0) + n
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
