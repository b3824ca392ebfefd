"""API of geo under /api/v1/geo/."""

from django.urls import URLPattern, URLResolver

app_name = "geo_api"
urlpatterns: list[URLPattern | URLResolver] = []
