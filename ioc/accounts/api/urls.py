"""API of accounts under /api/v1/accounts/."""

from django.urls import URLPattern, URLResolver

from ioc.accounts.api.views import MeView
from ioc.common.access import AUTHENTICATED, route

app_name = "accounts_api"
urlpatterns: list[URLPattern | URLResolver] = [
    route("me/", MeView.as_view(), policy=AUTHENTICATED, name="me"),
]
