"""Pages of sensors under /cam-bien/ (R4.1, R5.2, R5.5): the IOC's operators and leaders and the system
administrator."""

from django.urls import URLPattern, URLResolver

from ioc.accounts.choices import Role
from ioc.common.access import roles, route
from ioc.sensors import views, views_broker

POLICY = roles(Role.IOC_OPERATOR, Role.IOC_LEADER, Role.SYSTEM_ADMIN)

app_name = "sensors"
urlpatterns: list[URLPattern | URLResolver] = [
    route("", views.states, policy=POLICY, name="states"),
    route("quy-tac/", views.rules, policy=POLICY, name="rules"),
    route("quy-tac/<int:pk>/", views.rule_edit, policy=POLICY, name="rule_edit"),
    route("tat-tieng/", views.silences, policy=POLICY, name="silences"),
    route("tat-tieng/<int:pk>/ket-thuc/", views.silence_expire, policy=POLICY, name="silence_expire"),
    route("camera/", views.cameras, policy=POLICY, name="cameras"),
    route("tai-khoan-mqtt/", views_broker.broker_logins, policy=roles(Role.SYSTEM_ADMIN), name="broker_logins"),
]
