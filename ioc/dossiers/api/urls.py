"""API of dossiers under /api/v1/dossiers/ (R5.3)."""

from django.urls import URLPattern, URLResolver

from ioc.common.access import PUBLIC, route, token
from ioc.dossiers.api import views

app_name = "dossiers_api"
urlpatterns: list[URLPattern | URLResolver] = [
    route("events/", views.EventReceiveView.as_view(), policy=token("dossiers.events"), name="events"),
    route("lookup/", views.LookupView.as_view(), policy=PUBLIC, name="lookup"),
]
