"""API of agency work under /api/v1/assignments/."""

from django.urls import URLPattern, URLResolver

app_name = "assignments_api"
urlpatterns: list[URLPattern | URLResolver] = []
