"""Every read of the map (R6.1, R6.2), re-exported: `from ioc.maps import selectors`. The map composes the
domains' map hooks; each hook applies the user's scope (`user_scope` / `scope_filter`)."""

from ioc.maps.choropleth import choropleth_indicators, choropleth_values
from ioc.maps.layers import (
    FEATURES_MAX,
    LAYERS,
    POINTS_MAX,
    Layer,
    layer_collection,
    layer_versions,
    register_layer,
)
from ioc.maps.public import PUBLIC_LAYERS
from ioc.maps.selection import MEMBERS_MAX, area_km2, max_radius_m, selection_area, selection_summary

__all__ = [
    "FEATURES_MAX",
    "LAYERS",
    "MEMBERS_MAX",
    "POINTS_MAX",
    "PUBLIC_LAYERS",
    "Layer",
    "area_km2",
    "choropleth_indicators",
    "choropleth_values",
    "layer_collection",
    "layer_versions",
    "max_radius_m",
    "register_layer",
    "selection_area",
    "selection_summary",
]
