"""R4.1 (issue 14): the area a rule watches besides a commune — a point and radius, or a drawn polygon — in the
form the map's selection takes (`{"point": [lat, lon], "radius_m": n}` or `{"geometry": GeoJSON}`), so an area
chosen on the digital map can be given as it is. `area_parse` checks and normalises it for `AlertRule.area`;
the rule index turns the stored form back into an `Area` (`area_of`) and watches the Datastreams whose Thing's
Location lies in it. Refused on the field `area`, naming why: not an object, not exactly one of point and
geometry, a radius of 0 or above `RULE_MAX_RADIUS_M`, invalid GeoJSON, more than `RULE_MAX_VERTICES` vertices,
and an area outside the territory (`area_check_scope`)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import shapely
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from shapely.geometry.base import BaseGeometry

from ioc.accounts.selectors import user_scope
from ioc.geo.models import AdminUnit
from ioc.geo.selectors import Area, GeoInputError, area_from_circle, area_from_geojson, territory_get

if TYPE_CHECKING:
    from ioc.accounts.models import User

FIELD = "area"
# A rule watches stations of one district-sized place at most: the map selection's default cap (50 km), and the
# drawn polygon the map's own editor can send (5,000 vertices).
RULE_MAX_RADIUS_M = 50_000.0
RULE_MAX_VERTICES = 5_000
KEYS = frozenset({"point", "radius_m", "geometry"})


def _refused(message: str) -> ValidationError:
    return ValidationError({FIELD: [message]}, code="invalid")


def _point(value: Any) -> tuple[float, float]:
    if (
        not isinstance(value, list | tuple)
        or len(value) != 2
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
    ):
        raise GeoInputError(_("point phải là [vĩ độ, kinh độ]"), field="point")
    return float(value[0]), float(value[1])


def _radius(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= RULE_MAX_RADIUS_M:
        raise GeoInputError(
            _("Bán kính phải lớn hơn 0 và không quá %(max)s m") % {"max": int(RULE_MAX_RADIUS_M)}, field="radius_m"
        )
    return float(value)


def _circle(data: dict[str, Any]) -> tuple[dict[str, Any], Area]:
    lat, lon = _point(data["point"])
    radius = _radius(data.get("radius_m"))
    return {"point": [lat, lon], "radius_m": radius}, area_from_circle(lat, lon, radius)


def _drawn(data: dict[str, Any]) -> tuple[dict[str, Any], Area]:
    if not isinstance(data["geometry"], dict):
        raise GeoInputError(_("geometry phải là một đối tượng GeoJSON"), field="geometry")
    area = area_from_geojson(data["geometry"])
    vertices = shapely.get_num_coordinates(area.geometry)
    if vertices > RULE_MAX_VERTICES:
        raise GeoInputError(
            _("Vùng vẽ có %(n)s đỉnh, quá %(max)s đỉnh cho phép") % {"n": vertices, "max": RULE_MAX_VERTICES},
            field="geometry",
        )
    return {"geometry": json.loads(shapely.to_geojson(area.geometry))}, area


def area_parse(data: Any) -> tuple[dict[str, Any], Area | None]:
    """The area as given → (its stored form, its Area); `({}, None)` for none. ValidationError on `area`."""
    if data is None or data == {}:
        return {}, None
    if not isinstance(data, dict) or set(data) - KEYS or ("point" in data) == ("geometry" in data):
        raise _refused(
            _('Vùng theo dõi là {"point": [vĩ độ, kinh độ], "radius_m": số mét} hoặc {"geometry": GeoJSON Polygon}')
        )
    try:
        return _circle(data) if "point" in data else _drawn(data)
    except GeoInputError as exc:
        message = _("Vùng theo dõi không hợp lệ (%(field)s): %(reason)s")
        raise _refused(message % {"field": exc.field, "reason": exc.message}) from exc


def area_of(stored: dict[str, Any]) -> Area | None:
    """The Area of a stored (already checked) rule area; None for none."""
    if not stored:
        return None
    if "point" in stored:
        lat, lon = stored["point"]
        return area_from_circle(float(lat), float(lon), float(stored["radius_m"]))
    return area_from_geojson(stored["geometry"])


def _territory_region() -> tuple[BaseGeometry | None, str]:
    territory = territory_get(profile=settings.IOC_PROFILE)
    if territory is None:
        return None, ""
    units = AdminUnit.objects.filter(pk=territory.root_id) if territory.root_id else territory.communes.all()
    shapes = [shapely.from_geojson(g) for g in units.exclude(geometry="").values_list("geometry", flat=True)]
    return (shapely.union_all(shapes) if shapes else None), territory.name


def area_check_scope(*, actor: User, area: Area) -> None:
    """R7.1: the area must reach into what the actor may watch. Only roles that see the whole territory configure
    rules (`services.rules.CONFIG_ROLES`), so that is the territory; an area wholly outside it is refused (it could
    never watch a station of this deployment). A deployment without its territory yet accepts any area."""
    if not user_scope(user=actor).everything:
        raise _refused(_("Chỉ tài khoản có phạm vi toàn địa bàn được đặt vùng theo dõi"))
    region, name = _territory_region()
    if region is not None and not region.intersects(area.geometry):
        raise _refused(_("Vùng theo dõi nằm ngoài địa bàn %(name)s") % {"name": name})
