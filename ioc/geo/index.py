"""Point → 2025 commune (R6.1, DESIGN "Contracts"), in pure Python so SQLite and PostgreSQL answer alike.

A shapely STRtree over the commune polygons is built once per process from the database and rebuilt when
`units_load` runs: the load resets this process's index and bumps a version in the shared cache, which other
processes compare at most every `RECHECK_SECONDS`.
"""

from __future__ import annotations

import math
import threading
import time
from copy import copy
from dataclasses import dataclass

import numpy as np
import shapely
from django.core.cache import cache
from django.db import DatabaseError
from django.utils.translation import gettext as _
from pyproj import Geod

from ioc.geo.choices import Hierarchy, Level
from ioc.geo.errors import GeoInputError, PointOutsideError
from ioc.geo.models import AdminUnit

VERSION_KEY = "geo:units:version"
RECHECK_SECONDS = 5.0
NEAREST_LIMIT_M = 1000.0
GEOD = Geod(ellps="WGS84")
_METRES_PER_DEGREE_LAT = 110_574.0


@dataclass(frozen=True)
class PointMatch:
    """The unit a point falls in (`inside`), or the nearest one within 1 km and its distance in metres."""

    unit: AdminUnit
    inside: bool
    distance_m: float


@dataclass(frozen=True)
class _Index:
    version: int
    tree: shapely.STRtree
    geoms: np.ndarray
    units: list[AdminUnit]


class _State:
    index: _Index | None = None
    checked: float = 0.0


_lock = threading.Lock()
_state = _State()


def _shared_version() -> int:
    try:
        return int(cache.get(VERSION_KEY, 0))
    except DatabaseError:  # the cache table is missing: this process's index stays valid until reset
        return 0


def invalidate() -> None:
    """Drop this process's index and tell the others (called by `units_load`, again after its commit)."""
    with _lock:
        _state.index = None
    try:
        if cache.add(VERSION_KEY, 1, timeout=None) is False:
            cache.incr(VERSION_KEY)
    except (DatabaseError, ValueError):
        pass


def _build(version: int) -> _Index:
    rows = (
        AdminUnit.objects.filter(hierarchy=Hierarchy.CURRENT, level=Level.COMMUNE).exclude(geometry="").order_by("code")
    )
    units = list(rows.defer("geometry"))
    texts = dict(rows.values_list("id", "geometry"))
    geoms = shapely.from_geojson([texts[u.pk] for u in units]) if units else np.array([], dtype=object)
    return _Index(version=version, tree=shapely.STRtree(geoms), geoms=geoms, units=units)


def current_index() -> _Index:
    """The process's index, rebuilt when missing or when another process loaded units since it was built."""
    index = _state.index
    now = time.monotonic()
    if index is not None and now - _state.checked < RECHECK_SECONDS:
        return index
    version = _shared_version()
    with _lock:
        index = _state.index
        if index is None or index.version != version:
            index = _state.index = _build(version)
        _state.checked = now
    return index


def check_point(lat: float, lon: float) -> tuple[float, float]:
    """Finite WGS84 coordinates in range, or GeoInputError naming the field."""
    for name, value, limit in (("lat", lat, 90.0), ("lon", lon, 180.0)):
        if not isinstance(value, int | float) or not math.isfinite(value) or abs(value) > limit:
            raise GeoInputError(
                _("%(name)s phải là số trong khoảng [-%(limit)s, %(limit)s] / %(name)s must be a number in range")
                % {"name": name, "limit": int(limit)},
                field=name,
            )
    return float(lat), float(lon)


def _deepest(index: _Index, point: shapely.Point, hits: np.ndarray) -> int:
    if len(hits) == 1:
        return int(hits[0])
    depth = shapely.distance(point, shapely.boundary(index.geoms[hits]))
    order = sorted(range(len(hits)), key=lambda i: (-float(depth[i]), index.units[int(hits[i])].code))
    return int(hits[order[0]])


def _nearest(index: _Index, lat: float, lon: float) -> tuple[int, float] | None:
    dlat = NEAREST_LIMIT_M / _METRES_PER_DEGREE_LAT * 1.1
    dlon = dlat / max(math.cos(math.radians(lat)), 0.01)
    hits = index.tree.query(shapely.box(lon - dlon, lat - dlat, lon + dlon, lat + dlat))
    best: tuple[int, float] | None = None
    point = shapely.Point(lon, lat)
    for hit in sorted(int(h) for h in hits):
        near = shapely.shortest_line(index.geoms[hit], point).coords[0]
        distance = float(GEOD.inv(lon, lat, near[0], near[1])[2])
        if distance <= NEAREST_LIMIT_M and (best is None or distance < best[1]):
            best = (hit, distance)
    return best


def locate(lat: float, lon: float) -> PointMatch:
    """R6.1: the 2025 commune the point lies deepest inside; else the nearest within 1 km; else PointOutsideError."""
    lat, lon = check_point(lat, lon)
    index = current_index()
    point = shapely.Point(lon, lat)
    hits = index.tree.query(point, predicate="intersects")
    if len(hits):
        return PointMatch(unit=copy(index.units[_deepest(index, point, hits)]), inside=True, distance_m=0.0)
    nearest = _nearest(index, lat, lon)
    if nearest is None:
        raise PointOutsideError(lat, lon)
    return PointMatch(unit=copy(index.units[nearest[0]]), inside=False, distance_m=round(nearest[1], 1))
