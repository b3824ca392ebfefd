"""API of accounts under /api/v1/accounts/."""

from django.urls import URLPattern, URLResolver

app_name = "accounts_api"
urlpatterns: list[URLPattern | URLResolver] = []
