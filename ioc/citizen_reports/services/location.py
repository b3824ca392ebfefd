"""Where a report is (R3.1, R6.1): a point inside the deployment's territory, or a 2025 commune of it."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ioc.geo.choices import Hierarchy, Level
from ioc.geo.models import AdminUnit
from ioc.geo.selectors import (
    GeoInputError,
    UnitNotFoundError,
    grid_cell,
    point_locate,
    territory_commune_ids,
    unit_get,
)


@dataclass(frozen=True)
class Location:
    lat: float | None
    lon: float | None
    unit: AdminUnit | None
    grid_cell: str

    @property
    def has_point(self) -> bool:
        return self.lat is not None and self.lon is not None


def _outside() -> str:
    return _("Vị trí nằm ngoài địa bàn / Location outside the territory")


def _number(value: Any, field: str, errors: dict[str, list[ValidationError]]) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if isinstance(value, bool) or not math.isfinite(number):
        errors.setdefault(field, []).append(
            ValidationError(_("Phải là một số / Must be a number"), code="invalid_number")
        )
        return None
    return number


def _in_territory(territory: frozenset[int] | None, unit: AdminUnit) -> bool:
    return territory is None or unit.pk in territory


def _point(lat: Any, lon: Any, territory: frozenset[int] | None) -> Location:
    errors: dict[str, list[ValidationError]] = {}
    if lat is None or lon is None:
        missing = "lon" if lon is None else "lat"
        raise ValidationError({missing: [ValidationError(_("Cần cả vĩ độ và kinh độ / Give both lat and lon"))]})
    lat_f, lon_f = _number(lat, "lat", errors), _number(lon, "lon", errors)
    if errors or lat_f is None or lon_f is None:
        raise ValidationError(errors)
    try:
        unit = point_locate(lat=lat_f, lon=lon_f).unit
    except GeoInputError as exc:
        message = _outside() if exc.code == "point_outside" else exc.message
        raise ValidationError({"lat": [message], "lon": [message]}, code=exc.code) from exc
    if not _in_territory(territory, unit):
        raise ValidationError({"lat": [_outside()], "lon": [_outside()]}, code="outside_territory")
    return Location(lat=lat_f, lon=lon_f, unit=unit, grid_cell=grid_cell(lat_f, lon_f))


def _unit(unit: AdminUnit | str, territory: frozenset[int] | None) -> AdminUnit:
    if isinstance(unit, str):
        try:
            unit = unit_get(ref=unit.strip())
        except (GeoInputError, UnitNotFoundError) as exc:
            raise ValidationError({"unit": [str(exc.message)]}, code="unknown_unit") from exc
    if unit.hierarchy != Hierarchy.CURRENT or unit.level != Level.COMMUNE:
        raise ValidationError(
            {"unit": [_("Phải là một xã, phường (từ 01/7/2025) / Must be a 2025 commune or ward")]},
            code="not_commune",
        )
    if not _in_territory(territory, unit):
        raise ValidationError({"unit": [_outside()]}, code="outside_territory")
    return unit


def location_resolve(*, lat: Any = None, lon: Any = None, unit: AdminUnit | str | None = None) -> Location:
    """R3.1: the point (its commune taken from it) or the commune given; ValidationError on lat/lon/unit.

    The territory is `settings.IOC_PROFILE`'s; without one configured, any 2025 commune is accepted.
    """
    territory = territory_commune_ids(profile=settings.IOC_PROFILE)  # kept per process: asked per report
    if lat is not None or lon is not None:
        located = _point(lat, lon, territory)
        if unit is not None:
            _unit(unit, territory)  # a given commune must still be valid; the point's commune wins
        return located
    if unit is not None and unit != "":
        return Location(lat=None, lon=None, unit=_unit(unit, territory), grid_cell="")
    return Location(lat=None, lon=None, unit=None, grid_cell="")
