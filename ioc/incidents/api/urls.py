"""API of incidents under /api/v1/incidents/ (R4.1)."""

from django.urls import URLPattern, URLResolver

from ioc.common.access import route, token
from ioc.incidents.api import views

app_name = "incidents_api"
urlpatterns: list[URLPattern | URLResolver] = [
    route("alerts/", views.AlertRaiseView.as_view(), policy=token("incidents.alerts"), name="alert_raise"),
    route("alerts/resolve/", views.AlertResolveView.as_view(), policy=token("incidents.alerts"), name="alert_resolve"),
]
