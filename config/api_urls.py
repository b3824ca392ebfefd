"""The API under /api/v1/<app>/ (trailing slashes), its schema and docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from ioc.common.access import PUBLIC, route

urlpatterns = [
    path("geo/", include("ioc.geo.api.urls")),
    path("accounts/", include("ioc.accounts.api.urls")),
    path("audit/", include("ioc.audit.api.urls")),
    route("schema/", SpectacularAPIView.as_view(), policy=PUBLIC, name="schema"),
    route("docs/", SpectacularSwaggerView.as_view(url_name="schema"), policy=PUBLIC, name="api-docs"),
    route("redoc/", SpectacularRedocView.as_view(url_name="schema"), policy=PUBLIC, name="api-redoc"),
]
