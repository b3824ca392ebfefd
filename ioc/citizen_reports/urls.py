"""Pages of citizen reports: public (form, tracking, list, map) and operators'."""

from django.urls import URLPattern, URLResolver

app_name = "citizen_reports"
urlpatterns: list[URLPattern | URLResolver] = []
