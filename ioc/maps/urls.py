"""The map pages under /ban-do/ (R6.1, R6.2)."""

from django.urls import URLPattern, URLResolver

from ioc.common.access import PUBLIC, route
from ioc.maps import views
from ioc.maps.api.policies import MAP_POLICY

app_name = "maps"
urlpatterns: list[URLPattern | URLResolver] = [
    route("", views.index, policy=MAP_POLICY, name="index"),
    route("cong-khai/", views.public, policy=PUBLIC, name="public"),
]
