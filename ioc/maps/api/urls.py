"""API of the map under /api/v1/maps/ (R6.1, R6.2)."""

from django.urls import URLPattern, URLResolver

from ioc.common.access import PUBLIC, route
from ioc.maps.api import views
from ioc.maps.api.policies import MAP_POLICY

app_name = "maps_api"
urlpatterns: list[URLPattern | URLResolver] = [
    route("layers/<str:layer>/", views.LayerApi.as_view(), policy=MAP_POLICY, name="layer"),
    route("public/layers/<str:layer>/", views.PublicLayerApi.as_view(), policy=PUBLIC, name="public-layer"),
    route("selection/", views.SelectionApi.as_view(), policy=MAP_POLICY, name="selection"),
    route("choropleth/", views.ChoroplethApi.as_view(), policy=MAP_POLICY, name="choropleth"),
]
