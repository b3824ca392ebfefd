"""Pages of citizen reports: public pages (urls_public) and operators' pages (urls_staff)."""

from django.urls import URLPattern, URLResolver, include, path

app_name = "citizen_reports"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("ioc.citizen_reports.urls_public")),
    path("quan-ly/", include("ioc.citizen_reports.urls_staff")),
]
