"""Open311 GeoReport v2 at /open311/v2/ (its own error format at its root). Every resource ends in .xml or .json.

All patterns are PUBLIC: GETs are public by the spec, and POST requests checks its `api_key` (a token with the
`open311.submit` scope) in the view, so that a refusal comes in the spec's error format.
"""

from django.urls import URLPattern, URLResolver

from ioc.citizen_reports.open311 import views
from ioc.common.access import PUBLIC, route

FMT = r"\.(?P<fmt>xml|json)$"

app_name = "open311"
urlpatterns: list[URLPattern | URLResolver] = [
    route(rf"^discovery{FMT}", views.discovery, policy=PUBLIC, name="discovery", regex=True),
    route(rf"^services{FMT}", views.service_list, policy=PUBLIC, name="services", regex=True),
    route(rf"^services/(?P<code>[-\w]+){FMT}", views.service_detail, policy=PUBLIC, name="service", regex=True),
    route(rf"^requests{FMT}", views.requests_endpoint, policy=PUBLIC, name="requests", regex=True),
    route(rf"^requests/(?P<request_id>[-\w]+){FMT}", views.request_detail, policy=PUBLIC, name="request", regex=True),
    route(rf"^tokens/(?P<token>[-\w]+){FMT}", views.token_detail, policy=PUBLIC, name="token", regex=True),
    route(r"^(?P<rest>[\s\S]*)$", views.not_found, policy=PUBLIC, name="not_found", regex=True),
]
