"""R6.1, R2.4: an indicator's commune values for a choropleth on the map (the latest period by default)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from ioc.geo.selectors import GeoInputError
from ioc.indicators import selectors as indicators


def choropleth_indicators() -> list[dict[str, str]]:
    """The active indicators with commune values, for the map's picker."""
    return [
        {"code": i.code, "name": i.name, "unit": i.unit_label}
        for i in indicators.indicator_list().order_by("sector", "code")
        if i.reports_communes
    ]


def choropleth_values(*, code: str, period: str = "") -> dict[str, Any]:
    """R6.1: {indicator (with its colour `bands`, R2.1), period, values: [{code, name, value, rank, status, outlier,
    colour}]} (`colour`: the band holding the value, "" without one); GeoInputError for an unknown indicator or one
    without commune values."""
    indicator = indicators.indicator_get(code=code)
    if indicator is None or not indicator.reports_communes:
        raise GeoInputError(
            _("Không có chỉ số %(code)s theo xã, phường / No indicator %(code)s by commune") % {"code": code},
            field="indicator",
        )
    period, figures = indicators.commune_figures(indicator=indicator, period=period)
    return {
        "indicator": {
            "code": indicator.code,
            "name": indicator.name,
            "unit": indicator.unit_label,
            "bands": indicator.bands or [],
        },
        "period": period,
        "values": [
            {
                "code": f.code,
                "name": f.name,
                "value": f.value,
                "rank": f.rank,
                "status": f.status,
                "outlier": f.outlier,
                "colour": f.band["colour"] if f.band else "",
            }
            for f in figures
        ],
    }
