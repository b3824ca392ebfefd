"""The application's URLs plus the bare views the Open311 figures are compared with (bench/bare_views.py)."""

from django.urls import URLPattern, URLResolver

from bench import bare_views
from config.urls import urlpatterns as application_urls
from ioc.common.access import PUBLIC, route

urlpatterns: list[URLPattern | URLResolver] = [
    route("bench/bare/requests.json", bare_views.bare_requests, policy=PUBLIC, name="bench_bare_requests"),
    route(
        "bench/bare/ids-first/requests.json",
        bare_views.bare_requests_ids_first,
        policy=PUBLIC,
        name="bench_bare_requests_ids_first",
    ),
    *application_urls,
]
