"""R10.4: the configuration of running the center under /quan-tri/van-hanh/ (allowance rules)."""

from django.urls import URLPattern, URLResolver

from ioc.accounts.choices import Role
from ioc.common.access import roles, route
from ioc.operations.views import config

app_name = "operations_config"
urlpatterns: list[URLPattern | URLResolver] = [
    route(
        "phu-cap/",
        config.rules,
        policy=roles(Role.IOC_LEADER, Role.AGENCY_OFFICER, Role.AGENCY_HEAD, Role.SYSTEM_ADMIN),
        name="rules",
    ),
]
