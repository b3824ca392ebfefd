"""Issue 17 (R8.1): a report's scope as an area from the map selection (R6.2).

The area is given as the selection API takes it (`ioc.maps.selectors.selection_area`): `{"unit": code}`,
`{"point": [lat, lon], "radius_m": n}` or `{"geometry": GeoJSON}`. It is stored with the report in that form (a
drawn polygon normalised to its GeoJSON geometry), so a refresh rebuilds the same area, and described in words for
the report's header. Refused, naming the field `area` and why: no area, not JSON, an empty or self-intersecting
polygon, more than `AREA_MAX_VERTICES` vertices, a radius or size beyond the map's caps, and an area outside the
user's rights (outside the territory; beyond the communes an agency's account is given; an account whose scope is
only an agency).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import shapely
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from shapely.geometry.base import BaseGeometry

from ioc.accounts.selectors import user_scope
from ioc.common.report_sections import ReportScope
from ioc.geo.models import AdminUnit
from ioc.geo.selectors import Area, GeoInputError, territory_get
from ioc.maps.selectors import area_km2, selection_area
from ioc.reporting.choices import AREA_MAX_VERTICES

if TYPE_CHECKING:
    from ioc.accounts.models import User

FIELD = "area"
# A drawn area may cross the edge of the communes an account is given by this much (degrees, about 100 m): a
# polygon drawn by hand along a boundary never follows it exactly.
EDGE_TOLERANCE = 0.001


@dataclass(frozen=True)
class ParsedArea:
    """An area as stored (`selection`), its geometry and its description."""

    selection: dict[str, Any]
    area: Area
    label: str

    def scope(self) -> ReportScope:
        return ReportScope(kind="area", area=self.area, label=self.label)


def _refused(message: str) -> ValidationError:
    return ValidationError({FIELD: [message]}, code="invalid")


def _empty_geometry(data: dict[str, Any]) -> bool:
    geometry: Any = data.get("geometry")
    if isinstance(geometry, dict) and geometry.get("type") == "Feature":
        geometry = geometry.get("geometry")
    if not isinstance(geometry, dict) or geometry.get("type") not in {"Polygon", "MultiPolygon"}:
        return False
    return not _has_position(geometry.get("coordinates"))


def _has_position(value: Any) -> bool:
    if isinstance(value, list) and value and all(isinstance(v, int | float) for v in value):
        return True
    return isinstance(value, list) and any(_has_position(v) for v in value)


def area_parse(data: Any) -> ParsedArea:
    """The selection → the stored form, its Area and its description (no rights checked: see `area_scope`)."""
    if data in (None, "", {}):
        raise _refused(_("Chọn vùng trên bản đồ (hoặc nhập vùng) cho báo cáo theo vùng."))
    if isinstance(data, dict) and _empty_geometry(data):
        raise _refused(_("Vùng vẽ rỗng: chưa có đỉnh nào."))
    try:
        kind, area = selection_area(data)
    except GeoInputError as exc:
        message = _("Vùng chọn không hợp lệ (%(field)s): %(reason)s")
        raise _refused(message % {"field": exc.field, "reason": exc.message}) from exc
    if kind == "geometry" and shapely.get_num_coordinates(area.geometry) > AREA_MAX_VERTICES:
        message = _("Vùng vẽ có %(n)s đỉnh, quá %(max)s đỉnh cho phép của báo cáo; hãy vẽ đơn giản hơn.")
        raise _refused(message % {"n": shapely.get_num_coordinates(area.geometry), "max": AREA_MAX_VERTICES})
    return ParsedArea(selection=_stored(kind, data, area), area=area, label=_label(kind, data, area))


def _stored(kind: str, data: dict[str, Any], area: Area) -> dict[str, Any]:
    if kind == "unit":
        return {"unit": data["unit"]}
    if kind == "circle":
        return {"point": [float(v) for v in data["point"]], "radius_m": float(data["radius_m"])}
    return {"geometry": json.loads(shapely.to_geojson(area.geometry))}


def _number(value: float, digits: int = 0) -> str:
    return number_format(round(value, digits), decimal_pos=digits, use_l10n=True, force_grouping=True)


def _label(kind: str, data: dict[str, Any], area: Area) -> str:
    """The area in words, in Vietnamese (the report's language): the unit's name, or the circle or drawn area."""
    if area.unit is not None:
        return str(area.unit.full_name or area.unit.name)
    size = _number(area_km2(area), 2)
    if kind == "circle":
        lat, lon = (float(v) for v in data["point"])
        return f"vùng bán kính {_number(float(data['radius_m']))} m quanh điểm {lat:.5f}, {lon:.5f} ({size} km²)"
    return f"vùng vẽ trên bản đồ ({size} km²)"


def _unit_geometry(units: Any) -> BaseGeometry | None:
    shapes = [shapely.from_geojson(g) for g in units.exclude(geometry="").values_list("geometry", flat=True) if g]
    return shapely.union_all(shapes) if shapes else None


def _territory_geometry() -> tuple[BaseGeometry | None, str]:
    territory = territory_get(profile=settings.IOC_PROFILE)
    if territory is None:
        return None, ""
    root = _unit_geometry(AdminUnit.objects.filter(pk=territory.root_id)) if territory.root_id else None
    return (root or _unit_geometry(AdminUnit.objects.filter(territories=territory))), territory.name


def _check_rights(actor: User, area: Area) -> None:
    rights = user_scope(user=actor)
    if rights.everything:
        region, name = _territory_geometry()
        if region is not None and not region.intersects(area.geometry):
            raise _refused(_("Vùng đã chọn nằm ngoài địa bàn %(name)s.") % {"name": name})
        return
    if not rights.unit_paths:
        raise _refused(
            _("Phạm vi quyền của bạn là cơ quan, không phải địa bàn: chọn phạm vi “Cơ quan, đơn vị” thay cho vùng.")
        )
    inside = Q()
    for path in rights.unit_paths:
        inside |= Q(path=path) | Q(path__startswith=path + "/")
    region = _unit_geometry(AdminUnit.objects.filter(inside))
    if region is None or not region.buffer(EDGE_TOLERANCE).covers(area.geometry):
        raise _refused(_("Vùng đã chọn vượt ra ngoài các xã, phường thuộc phạm vi quyền của bạn."))


def area_scope(*, actor: User, data: Any) -> ParsedArea:
    """R8.1, issue 17: the selection parsed and checked against the actor's rights (ValidationError on `area`)."""
    parsed = area_parse(data)
    _check_rights(actor, parsed.area)
    return parsed
