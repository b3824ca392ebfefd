"""API of the information-security watch under /api/v1/cybersecurity/ (R5.6)."""

from django.urls import URLPattern, URLResolver

from ioc.common.access import route, token
from ioc.cybersecurity.api import views

app_name = "cybersecurity_api"
urlpatterns: list[URLPattern | URLResolver] = [
    route("events/", views.EventIngestView.as_view(), policy=token("cybersecurity.events"), name="events"),
]
