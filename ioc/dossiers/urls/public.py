"""Citizens' lookup under /ho-so/ (R5.3): public, no login."""

from django.urls import URLPattern, URLResolver

from ioc.common.access import PUBLIC, route
from ioc.dossiers.views import public as views

urlpatterns: list[URLPattern | URLResolver] = [
    route("tra-cuu/", views.public_lookup, policy=PUBLIC, name="public_lookup"),
]
