"""Pages of citizen reports: public pages (urls.public) and operators' pages (urls.staff)."""

from django.urls import URLPattern, URLResolver, include, path

app_name = "citizen_reports"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("ioc.citizen_reports.urls.public")),
    path("quan-ly/", include("ioc.citizen_reports.urls.staff")),
]
