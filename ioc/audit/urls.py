"""Pages of audit under /nhat-ky/ (R7.3)."""

from django.urls import URLPattern, URLResolver

from ioc.audit import views
from ioc.common.access import roles, route
from ioc.common.roles import Role

app_name = "audit"
urlpatterns: list[URLPattern | URLResolver] = [
    route(
        "",
        views.entry_list,
        policy=roles(Role.SYSTEM_ADMIN, Role.IOC_OPERATOR, Role.IOC_LEADER),
        name="entry_list",
    ),
]
