"""R6.2: the population of a selection, only when the profile's indicator catalogue has a population indicator
with commune values; an estimate weighted by the share of each commune's area inside the selection.

Issue 20 "Speed": the figures and the communes' parsed shapes do not depend on the request; they are memoised
(`ioc.maps.memo`, `MAPS_CACHE_SECONDS`) instead of being read and parsed on every selection."""

from __future__ import annotations

from typing import Any

import shapely
from django.conf import settings
from shapely.geometry.base import BaseGeometry

from ioc.geo import selectors as geo
from ioc.geo.selectors import Area
from ioc.indicators import selectors as indicators
from ioc.maps.memo import memoised

POPULATION_CODES = ("dan_so", "dan_so_trung_binh", "quy_mo_dan_so")

Figures = tuple[str, str, dict[str, float]]  # indicator code, period, commune code → value
Commune = tuple[int, str, BaseGeometry, float]  # pk, code, shape (prepared), its area in square degrees


def _population_figures() -> Figures | None:
    for code in POPULATION_CODES:
        indicator = indicators.indicator_get(code=code)
        if indicator is None or not indicator.is_active:
            continue
        period, figures = indicators.commune_figures(indicator=indicator)
        if figures:
            return indicator.code, period, {f.code: f.value for f in figures}
    return None


def _commune_shapes(profile: str) -> list[Commune]:
    territory = geo.territory_get(profile=profile)
    if territory is None:
        return []
    out = []
    for commune in geo.territory_communes(territory=territory, with_geometry=True):
        if commune.geometry:
            shape = shapely.from_geojson(commune.geometry)
            shapely.prepare(shape)
            out.append((commune.pk, commune.code, shape, float(shape.area)))
    return out


def population_in_area(area: Area) -> dict[str, Any] | None:
    """{indicator, period, value, estimate} or None when no population indicator has commune values."""
    found = memoised(("population",), _population_figures)
    if found is None:
        return None
    code, period, values = found
    communes = memoised(("communes", settings.IOC_PROFILE), lambda: _commune_shapes(settings.IOC_PROFILE))
    if not communes:
        return None
    total = 0.0
    estimate = False
    shapely.prepare(area.geometry)
    for pk, commune_code, shape, shape_area in communes:
        if commune_code not in values:
            continue
        if area.unit is not None and area.unit.pk == pk:
            return {"indicator": code, "period": period, "value": values[commune_code], "estimate": False}
        if not shapely.intersects(area.geometry, shape):
            continue
        share = 1.0 if shapely.contains(area.geometry, shape) else shape.intersection(area.geometry).area / shape_area
        estimate = estimate or share < 1.0
        total += values[commune_code] * share
    return {"indicator": code, "period": period, "value": round(total), "estimate": estimate}
