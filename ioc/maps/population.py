"""R6.2: the population of a selection, only when the profile's indicator catalogue has a population indicator
with commune values; an estimate weighted by the share of each commune's area inside the selection."""

from __future__ import annotations

from typing import Any

import shapely
from django.conf import settings

from ioc.geo import selectors as geo
from ioc.geo.selectors import Area
from ioc.indicators import selectors as indicators

POPULATION_CODES = ("dan_so", "dan_so_trung_binh", "quy_mo_dan_so")


def _population_figures() -> tuple[Any, str, dict[str, float]] | None:
    for code in POPULATION_CODES:
        indicator = indicators.indicator_get(code=code)
        if indicator is None or not indicator.is_active:
            continue
        period, figures = indicators.commune_figures(indicator=indicator)
        if figures:
            return indicator, period, {f.code: f.value for f in figures}
    return None


def population_in_area(area: Area) -> dict[str, Any] | None:
    """{indicator, period, value, estimate} or None when no population indicator has commune values."""
    found = _population_figures()
    if found is None:
        return None
    indicator, period, values = found
    territory = geo.territory_get(profile=settings.IOC_PROFILE)
    if territory is None:
        return None
    total = 0.0
    estimate = False
    shapely.prepare(area.geometry)
    for commune in geo.territory_communes(territory=territory, with_geometry=True):
        if commune.code not in values or not commune.geometry:
            continue
        shape = shapely.from_geojson(commune.geometry)
        if area.unit is not None and area.unit.pk == commune.pk:
            return {"indicator": indicator.code, "period": period, "value": values[commune.code], "estimate": False}
        if not shapely.intersects(area.geometry, shape):
            continue
        share = 1.0 if shapely.contains(area.geometry, shape) else shape.intersection(area.geometry).area / shape.area
        estimate = estimate or share < 1.0
        total += values[commune.code] * share
    return {"indicator": indicator.code, "period": period, "value": round(total), "estimate": estimate}
