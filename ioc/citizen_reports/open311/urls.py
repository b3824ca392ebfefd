"""Open311 GeoReport v2 at /open311/v2/ (its own error format at its root)."""

from django.urls import URLPattern, URLResolver

app_name = "open311"
urlpatterns: list[URLPattern | URLResolver] = []
