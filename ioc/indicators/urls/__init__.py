"""Pages of the indicators under /chi-so/ (R2.1–R2.6): the configuration pages (urls.config) and the staff pages
(urls.staff); the configuration comes first so that `cau-hinh/` is never read as an indicator's code."""

from django.urls import URLPattern, URLResolver, include, path

app_name = "indicators"
urlpatterns: list[URLPattern | URLResolver] = [
    path("cau-hinh/", include("ioc.indicators.urls.config")),
    path("", include("ioc.indicators.urls.staff")),
]
