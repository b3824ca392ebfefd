"""R6.1 server clustering, issue 20 "Speed": a layer's per-cell counts for a wide view (a province at zoom 10)
without grouping every point of the view on each request.

A view with more than `WIDE_CELLS` grid cells is split into

- its interior cells (every point of such a cell lies in the view): their whole-cell counts come from fixed tiles of
  `TILE_CELLS` × `TILE_CELLS` cells, one GROUP BY per tile, kept `MAPS_CACHE_SECONDS` per process (`ioc.maps.memo`),
  per user (the hooks apply the user's scope) and per zoom (a hook may filter by zoom);
- its edge ring (the cells the view's border crosses): four strips, each counted exactly through the hook, each
  keeping only the cells it owns, so no cell is counted twice.

The answer equals `layer.cells(user, bbox, zoom)` over the whole view (tests compare both); only a change made
within the cache's lifetime may be missing from the interior (`MAPS_CACHE_SECONDS`, 0 turns it off).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import Any

from ioc.geo.selectors import BBox
from ioc.maps.memo import memoised

Cells = Callable[..., dict[str, int]]

GRID_PER_DEGREE = 100  # ioc.geo's 0.01° grid
TILE_CELLS = 50  # 0.5° × 0.5° tiles
WIDE_CELLS = 400  # views above this many cells read their interior from tiles
TILE_PAD = 0.001  # a tile's query box reaches 0.1 cell beyond it: every point of its cells is inside
EDGE_PAD = 1e-6  # a cell closer than this to the view's border is an edge cell (points are rounded to 1e-6 cell)


def _index(value: float) -> int:
    """The cell index of a coordinate, as `ioc.geo.areas.grid_cell` computes it."""
    return math.floor(round(value * GRID_PER_DEGREE, 6))


def _parse(cell: str) -> tuple[int, int] | None:
    lat_s, sep, lon_s = cell.partition(":")
    try:
        return (int(lat_s), int(lon_s)) if sep else None
    except ValueError:
        return None


def _user_key(user: Any) -> Any:
    return None if user is None else getattr(user, "pk", id(user))


def _tile(cells: Cells, user: Any, zoom: int | None, tile: tuple[int, int]) -> dict[tuple[int, int], int]:
    """Whole-cell counts of one tile's cells (memoised)."""
    return memoised(("cells", cells, _user_key(user), zoom, tile), lambda: _tile_counts(cells, user, zoom, tile))


def _tile_counts(cells: Cells, user: Any, zoom: int | None, tile: tuple[int, int]) -> dict[tuple[int, int], int]:
    lat0, lon0 = tile[0] * TILE_CELLS, tile[1] * TILE_CELLS
    box = BBox(
        max(-90.0, lat0 / GRID_PER_DEGREE - TILE_PAD),
        max(-180.0, lon0 / GRID_PER_DEGREE - TILE_PAD),
        min(90.0, (lat0 + TILE_CELLS) / GRID_PER_DEGREE + TILE_PAD),
        min(180.0, (lon0 + TILE_CELLS) / GRID_PER_DEGREE + TILE_PAD),
    )
    counts: dict[tuple[int, int], int] = {}
    for cell, n in cells(user=user, bbox=box, zoom=zoom).items():
        ij = _parse(cell)
        if ij is not None and ij[0] // TILE_CELLS == tile[0] and ij[1] // TILE_CELLS == tile[1]:
            counts[ij] = n
    return counts


def _interior(bbox: BBox) -> tuple[int, int, int, int] | None:
    """First and last lat and lon cell index of the cells lying wholly inside `bbox` (None if none)."""
    lat_a = math.ceil((bbox.min_lat + EDGE_PAD) * GRID_PER_DEGREE)
    lat_b = math.floor((bbox.max_lat - EDGE_PAD) * GRID_PER_DEGREE) - 1
    lon_a = math.ceil((bbox.min_lon + EDGE_PAD) * GRID_PER_DEGREE)
    lon_b = math.floor((bbox.max_lon - EDGE_PAD) * GRID_PER_DEGREE) - 1
    if lat_a > lat_b or lon_a > lon_b:
        return None
    return lat_a, lat_b, lon_a, lon_b


def _strips(bbox: BBox, inner: tuple[int, int, int, int]) -> Iterator[tuple[BBox, Callable[[int, int], bool]]]:
    """The edge ring as four boxes (inside `bbox`), each with the test of the cells it owns."""
    lat_a, lat_b, lon_a, lon_b = inner
    n = GRID_PER_DEGREE

    def clip(south: float, west: float, north: float, east: float) -> BBox:
        return BBox(
            max(bbox.min_lat, south), max(bbox.min_lon, west), min(bbox.max_lat, north), min(bbox.max_lon, east)
        )

    big = 1000.0
    yield clip(-big, -big, lat_a / n + EDGE_PAD, big), lambda i, j: i < lat_a
    yield clip((lat_b + 1) / n - EDGE_PAD, -big, big, big), lambda i, j: i > lat_b
    middle_s, middle_n = lat_a / n - EDGE_PAD, (lat_b + 1) / n + EDGE_PAD
    yield clip(middle_s, -big, middle_n, lon_a / n + EDGE_PAD), lambda i, j: lat_a <= i <= lat_b and j < lon_a
    yield clip(middle_s, (lon_b + 1) / n - EDGE_PAD, middle_n, big), lambda i, j: lat_a <= i <= lat_b and j > lon_b


def _cell_total(bbox: BBox) -> int:
    rows = _index(bbox.max_lat) - _index(bbox.min_lat) + 1
    cols = _index(bbox.max_lon) - _index(bbox.min_lon) + 1
    return rows * cols


def cell_counts(cells: Cells, *, user: Any, bbox: BBox, zoom: int | None) -> dict[str, int]:
    """R6.1: `cells(user=, bbox=, zoom=)` over `bbox` — the same answer — from cached tiles for a wide view's
    interior and exact strips for its border (see the module's docstring); a narrow view asks the hook directly."""
    inner = _interior(bbox) if _cell_total(bbox) > WIDE_CELLS else None
    if inner is None:
        return cells(user=user, bbox=bbox, zoom=zoom)
    lat_a, lat_b, lon_a, lon_b = inner
    out: dict[str, int] = {}
    for ty in range(lat_a // TILE_CELLS, lat_b // TILE_CELLS + 1):
        for tx in range(lon_a // TILE_CELLS, lon_b // TILE_CELLS + 1):
            for (i, j), n in _tile(cells, user, zoom, (ty, tx)).items():
                if lat_a <= i <= lat_b and lon_a <= j <= lon_b:
                    out[f"{i}:{j}"] = n
    for box, owns in _strips(bbox, inner):
        if box.min_lat > box.max_lat or box.min_lon > box.max_lon:
            continue
        for cell, n in cells(user=user, bbox=box, zoom=zoom).items():
            ij = _parse(cell)
            if ij is not None and owns(*ij):
                out[cell] = n
    return out
