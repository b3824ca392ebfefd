"""The middleware-free bare app's URLs (bench/settings_bare_app.py): the bare views only, with plain `path()` —
no access registry, no middleware, nothing else to resolve."""

from django.urls import URLPattern, path

from bench import bare_views

urlpatterns: list[URLPattern] = [
    path("bench/bare/requests.json", bare_views.bare_requests),
    path("bench/bare/ids-first/requests.json", bare_views.bare_requests_ids_first),
]
