"""R6.2: the selection — a unit, a point and radius, or a drawn polygon — becomes an `Area`
(`ioc.geo.areas`), and every domain's map hook counts what the user may see in it; the members (ids per layer,
at most `MEMBERS_MAX` each) let the map highlight them. Scenarios and reports reuse the same answer."""

from __future__ import annotations

import json
from typing import Any

import shapely
from django.conf import settings
from django.utils.translation import gettext as _
from pyproj import Geod

from ioc.citizen_reports import selectors as citizen_reports
from ioc.citizen_reports.selectors import maps as citizen_reports_maps
from ioc.datahub import selectors as datahub
from ioc.geo import selectors as geo
from ioc.geo.selectors import MAX_RADIUS_M, Area, GeoInputError
from ioc.incidents import selectors as incidents
from ioc.maps.layers import LAYERS, POINTS_MAX
from ioc.maps.population import population_in_area
from ioc.media_watch import selectors as media_watch
from ioc.sensors import selectors as sensors

MEMBERS_MAX = 500
MEMBERS_SCAN = 1000  # newest points in the bbox read per layer to find the members (work capped per request)
MAX_VERTICES = 5000
GEOD = Geod(ellps="WGS84")

# layer code of the members → the domain's count hook (the "groups" of the answer).
GROUPS = {
    "citizen_reports": citizen_reports.citizen_reports_counts_in_area,
    "incidents": incidents.incidents_counts_in_area,
    "sensors": sensors.sensors_counts_in_area,
    "facilities": datahub.datahub_counts_in_area,
    "media_watch": media_watch.media_watch_counts_in_area,
}


# Issue 20: a layer whose points in the area are more than the map draws one by one (POINTS_MAX: it draws clusters
# then) takes its members from the cells the area holds wholly, cell by cell in its index's order — no sort over
# the area's rows, no point test — instead of the newest; the counts stay exact and `truncated` says the list is cut.
WIDE_MEMBERS = {"citizen_reports": citizen_reports_maps.citizen_reports_ids_in_cells}


def max_radius_m() -> float:
    """The selection's own cap (setting MAPS_SELECTION_MAX_RADIUS_M), never above geo's MAX_RADIUS_M."""
    return min(float(settings.MAPS_SELECTION_MAX_RADIUS_M), MAX_RADIUS_M)


def area_km2(area: Area) -> float:
    return abs(GEOD.geometry_area_perimeter(area.geometry)[0]) / 1e6


def _unit_area(code: Any) -> Area:
    if not isinstance(code, str):
        raise GeoInputError(_("Mã đơn vị phải là chuỗi / unit must be a string"), field="unit")
    try:
        unit = geo.unit_get(ref=code, with_geometry=True)
    except geo.UnitNotFoundError as exc:
        raise GeoInputError(exc.message, field="unit") from exc
    except GeoInputError as exc:
        raise GeoInputError(exc.message, field="unit") from exc
    territory = geo.territory_get(profile=settings.IOC_PROFILE)
    if territory is not None:
        communes = geo.territory_commune_ids(profile=settings.IOC_PROFILE) or frozenset()
        provinces = set(geo.territory_provinces(territory=territory).values_list("pk", flat=True))
        if unit.pk not in communes and unit.pk not in provinces and unit.pk != territory.root_id:
            raise GeoInputError(
                _("Đơn vị %(code)s không thuộc địa bàn / Unit %(code)s is not in this territory") % {"code": code},
                field="unit",
            )
    return geo.area_from_unit(unit)


def _point(value: Any) -> tuple[float, float]:
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise GeoInputError(_("point phải là [vĩ độ, kinh độ] / point must be [lat, lon]"), field="point")
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value):
        raise GeoInputError(_("point phải là hai số / point must be two numbers"), field="point")
    return float(value[0]), float(value[1])


def _circle_area(point: Any, radius: Any) -> Area:
    lat, lon = _point(point)
    cap = max_radius_m()
    if isinstance(radius, bool) or not isinstance(radius, int | float) or not 0 < radius <= cap:
        raise GeoInputError(
            _("Bán kính phải lớn hơn 0 và không quá %(max)s m / radius_m must be > 0 and at most %(max)s m")
            % {"max": int(cap)},
            field="radius_m",
        )
    try:
        return geo.area_from_circle(lat, lon, float(radius))
    except GeoInputError as exc:
        raise GeoInputError(exc.message, field="point" if exc.field != "radius_m" else exc.field) from exc


def _geometry_area(value: Any) -> Area:
    if not isinstance(value, dict):
        raise GeoInputError(
            _("geometry phải là đối tượng GeoJSON / geometry must be a GeoJSON object"), field="geometry"
        )
    try:
        area = geo.area_from_geojson(value)
    except GeoInputError as exc:
        raise GeoInputError(exc.message, field="geometry") from exc
    if shapely.get_num_coordinates(area.geometry) > MAX_VERTICES:
        raise GeoInputError(
            _("Vùng vẽ có quá %(max)s đỉnh / The drawn area has more than %(max)s vertices") % {"max": MAX_VERTICES},
            field="geometry",
        )
    limit = float(settings.MAPS_SELECTION_MAX_AREA_KM2)
    if area_km2(area) > limit:
        raise GeoInputError(
            _("Vùng vẽ rộng quá %(max)s km² / The drawn area is larger than %(max)s km²") % {"max": int(limit)},
            field="geometry",
        )
    return area


def selection_area(data: Any) -> tuple[str, Area]:
    """R6.2: `{"unit": code}`, `{"point": [lat, lon], "radius_m": n}` or `{"geometry": GeoJSON}` → (kind, Area).
    GeoInputError names the field: unknown or foreign unit, radius 0 or above the cap, self-intersecting or
    huge polygon."""
    if not isinstance(data, dict):
        raise GeoInputError(_("Cần một đối tượng JSON / A JSON object is required"), field="non_field_errors")
    given = [key for key in ("unit", "point", "geometry") if key in data]
    if len(given) != 1:
        raise GeoInputError(
            _("Cần đúng một trong unit, point hoặc geometry / Exactly one of unit, point or geometry is required"),
            field="non_field_errors",
        )
    kind = given[0]
    if kind == "unit":
        return "unit", _unit_area(data["unit"])
    if kind == "point":
        if "radius_m" not in data:
            raise GeoInputError(_("Thiếu radius_m / radius_m is required"), field="radius_m")
        return "circle", _circle_area(data["point"], data["radius_m"])
    return "geometry", _geometry_area(data["geometry"])


def _area_json(kind: str, area: Area) -> dict[str, Any]:
    box = area.bbox
    unit = area.unit
    outline = shapely.simplify(area.geometry, 0.0005, preserve_topology=True)
    return {
        "kind": kind,
        "bbox": [box.min_lon, box.min_lat, box.max_lon, box.max_lat],
        "area_km2": round(area_km2(area), 3),
        "unit": None if unit is None else {"code": unit.qualified_code, "name": unit.full_name or unit.name},
        "geometry": json.loads(shapely.to_geojson(outline)),
    }


def _members(user: Any, area: Area, code: str, total: int) -> list[Any]:
    """The layer's members in the area (≤ MEMBERS_MAX): the newest `MEMBERS_SCAN` points of its box tested
    against the area, or for a layer with more than POINTS_MAX points in it, ids from its wholly held cells."""
    layer = LAYERS.get(code)
    if layer is None or not total:
        return []  # a layer with nothing in the area has no members: its points are not read again
    wide = WIDE_MEMBERS.get(code)
    if wide is not None and total > POINTS_MAX:
        cells = geo.area_full_cells(area)
        if cells:
            return wide(user=user, cells=cells, limit=MEMBERS_MAX)
    if layer.points is not None:
        points = layer.points(user=user, bbox=area.bbox, zoom=None, limit=MEMBERS_SCAN)
    else:
        rows = layer.features(user=user, bbox=area.bbox, zoom=None, limit=MEMBERS_SCAN)
        points = [(r["id"], r["lat"], r["lon"]) for r in rows]
    if not points:
        return []
    shapely.prepare(area.geometry)
    hits = shapely.intersects_xy(area.geometry, [p[2] for p in points], [p[1] for p in points]).tolist()
    return [p[0] for p, hit in zip(points, hits, strict=True) if hit][:MEMBERS_MAX]


def selection_summary(*, user: Any, kind: str, area: Area) -> dict[str, Any]:
    """R6.2: the area, each domain's counts in it (the user's scope), the members per layer (≤ MEMBERS_MAX; the
    newest, or above POINTS_MAX in the area those of its wholly held cells: `_members`) and whether any list was
    cut short; the population only when the profile has a population indicator."""
    groups = {code: hook(user=user, area=area) for code, hook in GROUPS.items()}
    members = {code: _members(user, area, code, int(groups[code].get("total") or 0)) for code in GROUPS}
    truncated = any(groups[code].get("total", 0) > len(members[code]) for code in GROUPS)
    answer: dict[str, Any] = {
        "area": _area_json(kind, area),
        "groups": groups,
        "members": members,
        "truncated": truncated,
    }
    population = population_in_area(area)
    if population is not None:
        answer["population"] = population
    return answer
