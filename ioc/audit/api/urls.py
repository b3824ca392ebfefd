"""API of audit under /api/v1/audit/ (R7.3)."""

from django.urls import URLPattern, URLResolver

from ioc.audit.api.views import AuditEntryListApi
from ioc.common.access import roles, route
from ioc.common.roles import Role

app_name = "audit_api"
urlpatterns: list[URLPattern | URLResolver] = [
    route(
        "entries/",
        AuditEntryListApi.as_view(),
        policy=roles(Role.SYSTEM_ADMIN, Role.IOC_OPERATOR, Role.IOC_LEADER),
        name="entries",
    ),
]
