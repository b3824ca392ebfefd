"""The API under /api/v1/<app>/ (trailing slashes), its schema and docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from ioc.common.access import PUBLIC, route

urlpatterns = [
    path("geo/", include("ioc.geo.api.urls")),
    path("accounts/", include("ioc.accounts.api.urls")),
    path("audit/", include("ioc.audit.api.urls")),
    path("agencies/", include("ioc.agencies.api.urls")),
    path("assignments/", include("ioc.assignments.api.urls")),
    path("citizen-reports/", include("ioc.citizen_reports.api.urls")),
    path("incidents/", include("ioc.incidents.api.urls")),
    path("cybersecurity/", include("ioc.cybersecurity.api.urls")),
    path("media-watch/", include("ioc.media_watch.api.urls")),
    path("sensors/", include("ioc.sensors.api.urls")),
    path("datahub/", include("ioc.datahub.api.urls")),
    path("sharing/", include("ioc.sharing.api.urls")),
    path("indicators/", include("ioc.indicators.api.urls")),
    path("maps/", include("ioc.maps.api.urls")),
    path("federation/", include("ioc.federation.api.urls")),
    path("dossiers/", include("ioc.dossiers.api.urls")),
    route("schema/", SpectacularAPIView.as_view(), policy=PUBLIC, name="api_schema"),
    # The split view serves its script from a URL of its own: CSP allows no inline script.
    route("docs/", SpectacularSwaggerSplitView.as_view(url_name="api_schema"), policy=PUBLIC, name="api-docs"),
]
