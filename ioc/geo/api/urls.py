"""API of geo under /api/v1/geo/: public, cacheable reads of administrative units (R6.1)."""

from django.urls import URLPattern, URLResolver

from ioc.common.access import PUBLIC, route
from ioc.geo.api import views

app_name = "geo_api"
urlpatterns: list[URLPattern | URLResolver] = [
    route("units/", views.UnitListView.as_view(), policy=PUBLIC, name="unit-list"),
    route("units/<str:ref>/", views.UnitDetailView.as_view(), policy=PUBLIC, name="unit-detail"),
    route("units/<str:ref>/children/", views.UnitChildrenView.as_view(), policy=PUBLIC, name="unit-children"),
    route("units/<str:ref>/boundary/", views.UnitBoundaryView.as_view(), policy=PUBLIC, name="unit-boundary"),
    route(
        "units/<str:ref>/children/boundaries/",
        views.UnitChildrenBoundariesView.as_view(),
        policy=PUBLIC,
        name="unit-children-boundaries",
    ),
    route(
        "units/<str:ref>/predecessors/", views.UnitPredecessorsView.as_view(), policy=PUBLIC, name="unit-predecessors"
    ),
    route("units/<str:ref>/successors/", views.UnitSuccessorsView.as_view(), policy=PUBLIC, name="unit-successors"),
    route("territory/boundaries/", views.TerritoryBoundariesView.as_view(), policy=PUBLIC, name="territory-boundaries"),
    route("lookup/", views.PointLookupView.as_view(), policy=PUBLIC, name="lookup"),
]
