"""Reads of administrative units (R6.1, R11). Public reference data: no user scope applies.

A unit reference is a bare code for the 2025 hierarchy ("25270") or `legacy:<code>` ("legacy:25270").
Other apps import from here: units, point → unit, `Area` helpers, the grid cell and the errors.
"""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Max, Min, Q, QuerySet
from django.utils.translation import gettext as _

from ioc.common.refcache import RefCache
from ioc.common.text import fold
from ioc.geo import refdata
from ioc.geo.areas import (
    CELLS_FILTER_MAX,
    MAX_RADIUS_M,
    Area,
    BBox,
    area_from_circle,
    area_from_geojson,
    area_from_unit,
    area_full_cells,
    area_ring,
    bbox_cells,
    filter_box,
    filter_points_in_area,
    grid_cell,
    grid_cell_bbox,
    point_counts_in_area,
    point_ids_in_area,
)
from ioc.geo.choices import Hierarchy, Level
from ioc.geo.errors import GeoInputError, NoBoundaryError, PointOutsideError, UnitNotFoundError, UnitRefError
from ioc.geo.index import PointMatch, locate
from ioc.geo.models import AdminUnit, Succession, Territory

__all__ = [
    "CELLS_FILTER_MAX",
    "MAX_RADIUS_M",
    "Area",
    "BBox",
    "GeoInputError",
    "NoBoundaryError",
    "PointMatch",
    "PointOutsideError",
    "UnitNotFoundError",
    "UnitRefError",
    "area_from_circle",
    "area_from_geojson",
    "area_from_unit",
    "area_full_cells",
    "area_ring",
    "bbox_cells",
    "filter_box",
    "filter_points_in_area",
    "grid_cell",
    "grid_cell_bbox",
    "locality_get",
    "parse_ref",
    "point_counts_in_area",
    "point_ids_in_area",
    "point_locate",
    "province_commune_codes",
    "territory_communes",
    "territory_former",
    "territory_get",
    "territory_profiles",
    "territory_provinces",
    "unit_at_point",
    "unit_children",
    "unit_get",
    "unit_list",
    "unit_predecessors",
    "unit_successors",
]

_REF = re.compile(r"(?:(legacy):)?([0-9]{2,5})")


def parse_ref(ref: str) -> tuple[str, str]:
    """ "25270" → ("2025", "25270"); "legacy:25270" → ("legacy", "25270"); anything else → UnitRefError."""
    match = _REF.fullmatch(ref) if isinstance(ref, str) else None
    if match is None:
        raise UnitRefError(
            _(
                "Mã đơn vị không hợp lệ: %(ref)s (dạng 25270 hoặc legacy:25270) / "
                "Malformed unit reference: %(ref)s (use 25270 or legacy:25270)"
            )
            % {"ref": str(ref)[:40]},
            field="ref",
        )
    return (Hierarchy.LEGACY.value if match.group(1) else Hierarchy.CURRENT.value), match.group(2)


def _units(with_geometry: bool) -> QuerySet[AdminUnit]:
    """Units without their boundary text unless asked (it is most of a row's bytes)."""
    qs = AdminUnit.objects.all()
    return qs if with_geometry else qs.defer("geometry")


def unit_get(*, ref: str, with_geometry: bool = False) -> AdminUnit:
    """R6.1: the unit a reference names; UnitRefError when malformed, UnitNotFoundError when unknown."""
    hierarchy, code = parse_ref(ref)
    unit = _units(with_geometry).filter(hierarchy=hierarchy, code=code).first()
    if unit is None:
        raise UnitNotFoundError(ref)
    return unit


def unit_children(*, unit: AdminUnit, with_geometry: bool = False) -> QuerySet[AdminUnit]:
    """The direct children of a unit (districts or communes), by code."""
    return _units(with_geometry).filter(parent=unit).order_by("code")


def unit_list(
    *,
    hierarchy: str | None = Hierarchy.CURRENT,
    level: str | None = None,
    parent: AdminUnit | str | None = None,
    q: str | None = None,
) -> QuerySet[AdminUnit]:
    """Units filtered by hierarchy, level, parent (a unit or a reference) and a diacritics-insensitive name."""
    qs = _units(with_geometry=False)
    if parent is not None:
        parent_unit = parent if isinstance(parent, AdminUnit) else unit_get(ref=parent)
        qs = qs.filter(parent=parent_unit)
        hierarchy = parent_unit.hierarchy
    if hierarchy is not None:
        qs = qs.filter(hierarchy=hierarchy)
    if level is not None:
        if level not in Level.values:
            raise GeoInputError(_("Cấp không hợp lệ / Unknown level"), field="level")
        qs = qs.filter(level=level)
    folded = fold(q or "")
    if folded:
        qs = qs.filter(Q(name_folded__contains=folded) | Q(code=folded))
    return qs.order_by("hierarchy", "code")


def unit_predecessors(*, unit: AdminUnit) -> QuerySet[Succession]:
    """Legacy units that passed (wholly or partly) into a 2025 unit."""
    return Succession.objects.filter(new=unit).select_related("old").defer("old__geometry").order_by("old__code")


def unit_successors(*, unit: AdminUnit) -> QuerySet[Succession]:
    """2025 units a legacy unit passed into."""
    return Succession.objects.filter(old=unit).select_related("new").defer("new__geometry").order_by("new__code")


def point_locate(*, lat: float, lon: float) -> PointMatch:
    """R6.1: the 2025 commune of a point, whether the point is inside it, and its distance (0 when inside)."""
    return locate(lat, lon)


def unit_at_point(*, lat: float, lon: float) -> AdminUnit:
    """R6.1 (DESIGN "Contracts"): among 2025 commune polygons containing the point, the one it lies deepest
    inside; else the nearest within 1 km; else PointOutsideError. Pure Python: SQLite and PostgreSQL agree."""
    return locate(lat, lon).unit


# The communes of each profile's territory, kept per process (every report checks its point against them):
# `services.territory_set` calls `changed()`.
TERRITORY_COMMUNES: RefCache[frozenset[int] | None] = RefCache("geo.territory_communes")


def territory_commune_ids(*, profile: str) -> frozenset[int] | None:
    """R11: the ids of a profile's territory communes, None when it has no territory yet (a change is seen within
    seconds: `ioc.common.refcache`)."""

    def load() -> frozenset[int] | None:
        territory = Territory.objects.filter(profile=profile).only("pk").first()
        return None if territory is None else frozenset(territory.communes.values_list("pk", flat=True))

    return TERRITORY_COMMUNES.get(profile, load)


# The territory's map, kept per process (issue 20 "Speed": the overview's first screen): its communes' boundaries as
# a FeatureCollection and their bounding box. `services.territory_set` and `services.units_load` call `changed()`.
TERRITORY_MAP: RefCache[Any] = RefCache("geo.territory_map")


def territory_bounds(*, profile: str) -> tuple[float, float, float, float] | None:
    """R11, issue 20: (west, south, east, north) of the territory's communes (their bounding-box columns), None
    without a territory or boundaries. A map fits this box at once and asks for its layers while the communes'
    shapes are still on their way."""

    def load() -> tuple[float, float, float, float] | None:
        box = AdminUnit.objects.filter(territories__profile=profile, min_lat__isnull=False).aggregate(
            west=Min("min_lon"), south=Min("min_lat"), east=Max("max_lon"), north=Max("max_lat")
        )
        if any(box[k] is None for k in ("west", "south", "east", "north")):
            return None
        return (box["west"], box["south"], box["east"], box["north"])

    return TERRITORY_MAP.get(("bounds", profile), load)  # type: ignore[no-any-return]


def territory_bounds_text(*, profile: str) -> str:
    """Issue 20: `territory_bounds` as a map element's `data-bounds` ("west,south,east,north", plain numbers, never
    localised; "" without a box), which `web/territory-map.js` fits at once — the wall screen's map and /ban-do/."""
    box = territory_bounds(profile=profile)
    return ",".join(f"{value:.5f}" for value in box) if box is not None else ""


def territory_boundaries(*, territory: Territory, feature: Any) -> dict[str, Any]:
    """R11, issue 20: the territory's communes as a FeatureCollection, `feature(unit)` each (the API's shape), built
    once per process until the territory or the boundaries change (the JSON of ~100 shapes parsed on every request
    was most of the answer's time). Callers read the value, never change it."""

    def load() -> dict[str, Any]:
        units = territory_communes(territory=territory, with_geometry=True)
        return {"type": "FeatureCollection", "features": [feature(u) for u in units if u.geometry]}

    return TERRITORY_MAP.get(("boundaries", territory.profile), load)  # type: ignore[no-any-return]


def territory_get(*, profile: str) -> Territory | None:
    """R11: a profile's territory (root unit and its 2025 communes), or None when not set yet."""
    return Territory.objects.select_related("root").defer("root__geometry").filter(profile=profile).first()


def territory_communes(*, territory: Territory, with_geometry: bool = False) -> QuerySet[AdminUnit]:
    """R11: the territory's 2025 communes by code (what its map draws and its "province level" figures sum)."""
    return _units(with_geometry).filter(territories=territory).order_by("code")


def territory_provinces(*, territory: Territory) -> QuerySet[AdminUnit]:
    """R11: the 2025 provinces the territory's communes belong to (Lộc Ninh: Đồng Nai), by code."""
    parents = territory.communes.values("parent_id")
    return _units(with_geometry=False).filter(pk__in=parents).order_by("code")


def territory_former(*, territory: Territory) -> AdminUnit | None:
    """R11: the legacy unit the act was issued for (history only: Lộc Ninh's district 692), None when not set or
    not loaded."""
    if not territory.former_ref:
        return None
    try:
        return unit_get(ref=territory.former_ref)
    except (UnitRefError, UnitNotFoundError):
        return None


def province_commune_codes(*, province_code: str) -> frozenset[str]:
    """R11: the codes of every 2025 commune of a province in the shipped reference data, loaded or not."""
    return refdata.province_commune_codes(province_code)


def locality_get(*, key: str) -> dict[str, Any]:
    """R11: an entry of `ioc/geo/data/localities.json` (`loc_ninh_binh_phuoc_70`: its legacy units and the 2025
    communes covering them); KeyError when unknown."""
    return refdata.locality(key)


def territory_profiles() -> list[str]:
    """R11: the profiles that have a territory in this database (one deployment serves one: at most one)."""
    return sorted(Territory.objects.values_list("profile", flat=True))
