"""API of citizen reports under /api/v1/citizen-reports/ (statistics, operators' reads)."""

from django.urls import URLPattern, URLResolver

app_name = "citizen_reports_api"
urlpatterns: list[URLPattern | URLResolver] = []
