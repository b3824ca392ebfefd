"""API of sensors under /api/v1/sensors/ (R4.1, R5.2)."""

from django.urls import URLPattern, URLResolver

from ioc.common.access import roles, route, token
from ioc.common.roles import Role
from ioc.sensors.api import views

CONFIG = (Role.IOC_OPERATOR, Role.IOC_LEADER, Role.SYSTEM_ADMIN)

app_name = "sensors_api"
urlpatterns: list[URLPattern | URLResolver] = [
    route("rules/", views.RuleCreateView.as_view(), policy=roles(*CONFIG), name="rule_create"),
    route("silences/", views.SilenceCreateView.as_view(), policy=roles(*CONFIG), name="silence_create"),
    route("cameras/events/", views.CameraEventView.as_view(), policy=token("cameras.events"), name="camera_event"),
]
