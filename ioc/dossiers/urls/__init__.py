"""Pages of dossiers: citizens' lookup (public) and the IOC's pages (staff) under /ho-so/ (R5.3)."""

from django.urls import URLPattern, URLResolver, include, path

app_name = "dossiers"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("ioc.dossiers.urls.public")),
    path("", include("ioc.dossiers.urls.staff")),
]
