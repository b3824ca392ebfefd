"""Configuration of dossiers under /quan-tri/thu-tuc/ (R5.3)."""

from django.urls import URLPattern, URLResolver

from ioc.accounts.choices import Role
from ioc.common.access import roles, route
from ioc.dossiers.views import config as views

app_name = "dossiers_config"
urlpatterns: list[URLPattern | URLResolver] = [
    route(
        "",
        views.procedure_config,
        policy=roles(Role.SYSTEM_ADMIN, Role.IOC_LEADER),
        name="procedures",
    ),
    route(
        "nhap-tu-tep/",
        views.procedure_import,
        policy=roles(Role.SYSTEM_ADMIN, Role.IOC_LEADER),
        name="procedure_import",
    ),
    route(
        "mau-thu-tuc.xlsx",
        views.procedure_template,
        policy=roles(Role.SYSTEM_ADMIN, Role.IOC_LEADER),
        name="procedure_template",
    ),
]
