"""Pages of agency work: the officer's inbox and a piece of work."""

from django.urls import URLPattern, URLResolver

app_name = "assignments"
urlpatterns: list[URLPattern | URLResolver] = []
