"""Shell pages: home per role, health and readiness."""

from django.urls import URLPattern, URLResolver

from ioc.common.access import AUTHENTICATED, PUBLIC, route
from ioc.web import views

app_name = "web"
urlpatterns: list[URLPattern | URLResolver] = [
    route("", views.home, policy=AUTHENTICATED, name="home"),
    route("healthz", views.healthz, policy=PUBLIC, name="healthz"),
]
