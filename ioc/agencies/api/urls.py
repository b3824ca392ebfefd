"""API of agencies under /api/v1/agencies/."""

from django.urls import URLPattern, URLResolver

from ioc.agencies.api import views
from ioc.common.access import AUTHENTICATED, route

app_name = "agencies_api"
urlpatterns: list[URLPattern | URLResolver] = [
    route("", views.AgencyListView.as_view(), policy=AUTHENTICATED, name="list"),
]
