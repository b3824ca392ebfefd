"""R6.1: the map's layers — one registry over every domain's map hooks (DESIGN "Contracts: Map hooks") — and the
server clustering: beyond `POINTS_MAX` points in view, points are grouped per zoom into blocks of 0.01° grid cells,
so the browser never receives more than `FEATURES_MAX` features.

Issue 20 "Speed" (the overview's first screen): `compact=True` answers rows `[id, lon, lat, mark]` instead of
GeoJSON features (the wall screen draws a point's place and colour only; a click asks for its details), and
`layer_versions` tells the wall screen which layers changed, so it reloads only those. A compact answer is stored in
the shared cache under its layer's version stamp (`stored_compact`): a wall screen's first screen after a restart, and
every screen's reload after a change but the first one's, read it instead of querying the layer again.

A domain that lands later adds its layer with `register_layer`."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ioc.accounts.selectors import user_scope
from ioc.citizen_reports import selectors as citizen_reports
from ioc.citizen_reports.selectors import maps as citizen_reports_maps
from ioc.datahub import selectors as datahub
from ioc.geo.selectors import BBox, GeoInputError
from ioc.incidents import selectors as incidents
from ioc.maps.cells import cell_counts
from ioc.media_watch import selectors as media_watch
from ioc.sensors import selectors as sensors

POINTS_MAX = 2000
FEATURES_MAX = 5000
CLUSTER_PX = 64
GRID_PER_DEGREE = 100  # ioc.geo's 0.01° grid
MAX_ZOOM = 22

Features = Callable[..., list[dict[str, Any]]]
FeaturesText = Callable[..., list[tuple[Any, float, float, str]]]
Cells = Callable[..., dict[str, int]]
Points = Callable[..., list[tuple[Any, float, float]]]


@dataclass(frozen=True)
class Layer:
    """One switchable layer: its hook for points in a box and, when the domain has them, its per-cell counts and
    its bare (id, lat, lon) points (the selection's members without the features' details; issue 20).

    `mark`: the one property a compact answer keeps for a point's colour ("status", "severity" or "colour", the
    band's colour; "" keeps none). `version`: a cheap global stamp that moves when the layer's points may have
    changed (None: the layer has no stamp, and the wall screen does not redraw it by version). `features_text`:
    the same points as `features` with each one's properties as JSON text, (id, lat, lon, text), for an answer
    spliced rather than rendered (issue 20: `Rendered`)."""

    code: str
    label: str | Promise
    features: Features
    cells: Cells | None = None
    points: Points | None = None
    mark: str = ""
    version: Callable[[], str] | None = None
    features_text: FeaturesText | None = None


@dataclass(frozen=True)
class Rendered:
    """Issue 20 "Speed": a layer's GeoJSON answer already written as JSON text — what DRF's JSONRenderer writes for
    the same answer's dicts, byte for byte (test_feature_text); the view sends it as it is."""

    text: str


LAYERS: dict[str, Layer] = {}


def register_layer(layer: Layer) -> None:
    """R6.1: add (or replace) a layer; the page lists the layers in registration order."""
    LAYERS[layer.code] = layer


register_layer(
    Layer(
        "citizen_reports",
        _("Phản ánh hiện trường"),
        citizen_reports.citizen_reports_features,
        citizen_reports_maps.citizen_reports_cell_counts,
        citizen_reports_maps.citizen_reports_points,
        mark="status",
        version=citizen_reports.citizen_reports_map_version,
        features_text=citizen_reports_maps.citizen_reports_features_text,
    )
)
register_layer(
    Layer(
        "incidents", _("Sự cố"), incidents.incidents_features, mark="severity", version=incidents.incidents_map_version
    )
)
register_layer(
    Layer("sensors", _("Trạm cảm biến"), sensors.sensors_features, mark="colour", version=sensors.sensors_map_version)
)
register_layer(Layer("facilities", _("Cơ sở, hạ tầng (kho dữ liệu)"), datahub.datahub_features))
register_layer(Layer("cameras", _("Camera"), sensors.cameras_features))  # R5.2: the sensors' camera registry
register_layer(Layer("media_watch", _("Địa danh được nhắc tới trên mạng"), media_watch.media_watch_features))  # R5.7


def parse_bbox(value: str) -> BBox:
    """`west,south,east,north` in degrees (Leaflet's `toBBoxString`, the GeoJSON order) → BBox; GeoInputError."""
    try:
        west, south, east, north = (float(part) for part in value.split(","))
    except ValueError as exc:
        raise GeoInputError(
            gettext("bbox phải là tây,nam,đông,bắc / bbox must be west,south,east,north"), field="bbox"
        ) from exc
    finite = all(math.isfinite(v) for v in (west, south, east, north))
    if not finite or not (-90 <= south < north <= 90 and -180 <= west < east <= 180):
        raise GeoInputError(gettext("bbox ngoài phạm vi hoặc rỗng / bbox out of range or empty"), field="bbox")
    return BBox(south, west, north, east)


def parse_zoom(value: str | None) -> int:
    try:
        zoom = int(value) if value not in (None, "") else 12
    except ValueError as exc:
        raise GeoInputError(gettext("zoom phải là số nguyên / zoom must be an integer"), field="zoom") from exc
    if not 0 <= zoom <= MAX_ZOOM:
        raise GeoInputError(gettext("zoom phải từ 0 đến 22 / zoom must be 0 to 22"), field="zoom")
    return zoom


def block_size(zoom: int) -> int:
    """Grid cells per side of one cluster at `zoom`: about CLUSTER_PX screen pixels, at least one 0.01° cell."""
    degrees = 360.0 / (1 << zoom) * CLUSTER_PX / 256
    return max(1, math.ceil(degrees * GRID_PER_DEGREE))


def _point(lat: float, lon: float, properties: dict[str, Any], fid: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": fid,
        "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
        "properties": properties,
    }


def _clusters(weighted: list[tuple[int, int, float, float, int]], zoom: int) -> list[dict[str, Any]]:
    """(cell lat index, cell lon index, lat, lon, count) → one feature per block, at its weighted centre. The block
    grows until at most FEATURES_MAX blocks remain."""
    size = block_size(zoom)
    while True:
        blocks: dict[tuple[int, int], list[float]] = {}
        for lat_i, lon_i, lat, lon, n in weighted:
            acc = blocks.setdefault((lat_i // size, lon_i // size), [0.0, 0.0, 0.0])
            acc[0] += lat * n
            acc[1] += lon * n
            acc[2] += n
        if len(blocks) <= FEATURES_MAX:
            break
        size *= 2
    return [
        _point(s_lat / n, s_lon / n, {"cluster": True, "count": int(n)}, f"c{size}:{a}:{b}")
        for (a, b), (s_lat, s_lon, n) in sorted(blocks.items())
    ]


def _from_cells(cells: dict[str, int]) -> list[tuple[int, int, float, float, int]]:
    out = []
    for cell, n in cells.items():
        lat_s, _sep, lon_s = cell.partition(":")
        lat_i, lon_i = int(lat_s), int(lon_s)
        out.append((lat_i, lon_i, (lat_i + 0.5) / GRID_PER_DEGREE, (lon_i + 0.5) / GRID_PER_DEGREE, n))
    return out


def _from_rows(rows: list[dict[str, Any]]) -> list[tuple[int, int, float, float, int]]:
    return [
        (math.floor(r["lat"] * GRID_PER_DEGREE), math.floor(r["lon"] * GRID_PER_DEGREE), r["lat"], r["lon"], 1)
        for r in rows
    ]


COMPACT_DIGITS = 5  # ~1 m: far below a pixel at the overview's zoom


def mark_of(mark: str, row: dict[str, Any]) -> Any:
    """The value a compact row keeps for its colour: the row's `status` or `severity`, or for "colour" the colour
    of the point's band (its own, else its first Datastream's that has one, as the full map colours it)."""
    if mark != "colour":
        return row.get(mark)
    bands = [row.get("band")] + [s.get("band") for s in row.get("datastreams") or ()]
    for band in bands:
        if isinstance(band, dict) and band.get("colour"):
            return band["colour"]
    return ""


def _answer(layer: Layer, *, clustered: bool, complete: bool, total: int) -> dict[str, Any]:
    return {"layer": layer.code, "clustered": clustered, "complete": complete, "total": total}


def _points(layer: Layer, rows: list[dict[str, Any]], *, compact: bool = False) -> dict[str, Any]:
    answer = _answer(layer, clustered=False, complete=True, total=len(rows))
    if compact:
        marks = [layer.mark] if layer.mark else []
        digits = COMPACT_DIGITS
        points = [
            [r["id"], round(r["lon"], digits), round(r["lat"], digits), *(mark_of(m, r) for m in marks)] for r in rows
        ]
        return {**answer, "compact": True, "fields": ["id", "lon", "lat", *marks], "points": points}
    features = [_point(r["lat"], r["lon"], r, r["id"]) for r in rows]
    return {"type": "FeatureCollection", **answer, "features": features}


def _points_text(layer: Layer, rows: list[tuple[Any, float, float, str]]) -> Rendered:
    """`_points(layer, rows)` (not compact) written as DRF writes it: each feature's frame around the hook's
    properties text; ids and floats by `repr`, as `json` writes them."""
    head = json.dumps(
        {"type": "FeatureCollection", **_answer(layer, clustered=False, complete=True, total=len(rows))},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    features = ",".join(
        f'{{"type":"Feature","id":{fid!r},"geometry":{{"type":"Point","coordinates":[{round(lon, 6)!r},'
        f'{round(lat, 6)!r}]}},"properties":{properties}}}'
        for fid, lat, lon, properties in rows
    )
    return Rendered(f'{head[:-1]},"features":[{features}]}}')


def _clustered(
    layer: Layer, features: list[dict[str, Any]], *, complete: bool, total: int, compact: bool
) -> dict[str, Any]:
    answer = _answer(layer, clustered=True, complete=complete, total=total)
    if compact:
        points = [
            [f["id"], *(round(c, COMPACT_DIGITS) for c in f["geometry"]["coordinates"]), f["properties"]["count"]]
            for f in features
        ]
        return {**answer, "compact": True, "fields": ["id", "lon", "lat", "count"], "points": points}
    return {"type": "FeatureCollection", **answer, "features": features}


def layer_collection(
    *, user: Any, layer: Layer, bbox: BBox, zoom: int, compact: bool = False, text: bool = False
) -> dict[str, Any] | Rendered:
    """R6.1: a layer's points in `bbox` as GeoJSON, or clusters (`cluster`, `count`) beyond POINTS_MAX points;
    `compact`: the same points as rows (`fields`, `points`: id, lon, lat and the layer's `mark`, or a cluster's
    count), for the wall screen (issue 20), stored per data version (`stored_compact`).

    Each hook applies the user's scope. A domain with per-cell counts is counted first (GROUP BY grid cell, every
    point counted; a wide view's interior from cached tiles, `ioc.maps.cells`; its rows are read only when few);
    else up to FEATURES_MAX points are read and clustered (`complete` False when more exist). `text`: a GeoJSON
    answer of points may come back `Rendered` (a layer with `features_text`; issue 20), the same answer as JSON."""
    if compact:
        return stored_compact(user=user, layer=layer, bbox=bbox, zoom=zoom)
    return _collection(user=user, layer=layer, bbox=bbox, zoom=zoom, compact=False, text=text)


def _collection(
    *, user: Any, layer: Layer, bbox: BBox, zoom: int, compact: bool, text: bool = False
) -> dict[str, Any] | Rendered:
    complete = True
    if layer.cells is not None:  # one GROUP BY first: a dense view never reads its rows
        weighted = _from_cells(cell_counts(layer.cells, user=user, bbox=bbox, zoom=zoom))
        if sum(w[4] for w in weighted) <= POINTS_MAX:
            if text and not compact and layer.features_text is not None:
                return _points_text(layer, layer.features_text(user=user, bbox=bbox, zoom=zoom, limit=POINTS_MAX))
            rows = layer.features(user=user, bbox=bbox, zoom=zoom, limit=POINTS_MAX)
            return _points(layer, rows, compact=compact)
    else:
        rows = layer.features(user=user, bbox=bbox, zoom=zoom, limit=FEATURES_MAX + 1)
        if len(rows) <= POINTS_MAX:
            return _points(layer, rows, compact=compact)
        complete = len(rows) <= FEATURES_MAX
        weighted = _from_rows(rows[:FEATURES_MAX])
    total = sum(w[4] for w in weighted)
    return _clustered(layer, _clusters(weighted, zoom), complete=complete, total=total, compact=compact)


def layer_versions(*, codes: list[str]) -> dict[str, str]:
    """Issue 20: each named layer's version stamp (`Layer.version`; "" for a layer without one), computed once per
    `IOC_OVERVIEW_CACHE_SECONDS` (2 s) for every screen together: the stamps are global (a few MAX(id)), so the
    wall screens polling every two seconds cost one computation per period."""
    seconds = int(getattr(settings, "IOC_OVERVIEW_CACHE_SECONDS", 2))
    key = "ioc:maps:layer-versions:v1"
    found = cache.get(key) if seconds > 0 else None
    if not isinstance(found, dict):
        found = {code: layer.version() for code, layer in LAYERS.items() if layer.version is not None}
        if seconds > 0:
            cache.set(key, found, seconds)
    return {code: str(found.get(code, "")) for code in codes}


def store_seconds() -> int:
    """How long a stored compact answer is kept (`MAPS_LAYER_STORE_SECONDS`, 60 s; 0: never stored). Its key carries
    the layer's version, so a new row is never hidden; the version is a MAX(id), so an edit, a deletion, a change of
    sensitivity or a report turning overdue is not in it: this time is how old such an answer may be."""
    return int(getattr(settings, "MAPS_LAYER_STORE_SECONDS", 60))


def _scope_key(user: Any) -> str:
    """Who the answer was read for: the user, the roles and the scope the hooks applied (R7.1). A screen whose roles
    or scope change reads its layers afresh; two users never share an answer."""
    if user is None or not getattr(user, "is_authenticated", False):
        return "anonymous"
    scope = user_scope(user=user)
    roles = ",".join(sorted(getattr(user, "role_codes", ()) or ()))
    agencies = ",".join(str(pk) for pk in sorted(scope.agency_ids))
    return f"{user.pk}|{roles}|{int(scope.everything)}|{agencies}|{'|'.join(scope.unit_paths)}"


def stored_compact(*, user: Any, layer: Layer, bbox: BBox, zoom: int) -> dict[str, Any]:
    """Issue 20 "Speed": a layer's compact answer, kept in the shared cache per layer version, user and scope, view
    and zoom. The reports layer's rows cost ~100 ms of SQL at 20,000 reports; a wall screen asks for the same view
    at each restart and after each change, and every worker answers it from the cache until the layer's stamp
    (`layer_versions`, itself kept `IOC_OVERVIEW_CACHE_SECONDS`) moves or `store_seconds()` pass: a new row shows at
    the next stamp, a change the stamp does not see (an edit, a deletion, a sensitivity change) within that time.
    A layer without a stamp, or a public registry's layer of the same code, is read each time."""
    seconds = store_seconds()
    if seconds <= 0 or layer.version is None or LAYERS.get(layer.code) is not layer:
        return _compact_answer(user=user, layer=layer, bbox=bbox, zoom=zoom)
    version = layer_versions(codes=[layer.code])[layer.code]
    view = f"{bbox.min_lat!r},{bbox.min_lon!r},{bbox.max_lat!r},{bbox.max_lon!r}@{zoom}"
    digest = hashlib.sha256("\n".join((layer.code, version, _scope_key(user), view)).encode("utf-8")).hexdigest()
    key = f"ioc:maps:compact:v1:{layer.code}:{digest[:32]}"
    found = cache.get(key)
    if isinstance(found, dict):
        return found
    answer = _compact_answer(user=user, layer=layer, bbox=bbox, zoom=zoom)
    cache.set(key, answer, seconds)
    return answer


def _compact_answer(*, user: Any, layer: Layer, bbox: BBox, zoom: int) -> dict[str, Any]:
    answer = _collection(user=user, layer=layer, bbox=bbox, zoom=zoom, compact=True)
    if isinstance(answer, Rendered):  # pragma: no cover - only a GeoJSON answer asked with text=True is one
        raise TypeError("a compact answer is never pre-rendered")
    return answer
