"""The IOC's pages of dossiers under /ho-so/ (R5.3, R4.2)."""

from django.urls import URLPattern, URLResolver

from ioc.accounts.choices import Role
from ioc.common.access import object_scoped, roles, route
from ioc.dossiers.views import staff as views

VERIFY_POLICY = roles(Role.IOC_OPERATOR, Role.IOC_LEADER)
SCOPED = object_scoped(
    Role.SYSTEM_ADMIN,
    Role.IOC_OPERATOR,
    Role.IOC_LEADER,
    Role.PROVINCE_LEADER,
    Role.AGENCY_OFFICER,
    Role.AGENCY_HEAD,
    note="dossiers selectors: territory roles see every agency's dossiers and violations; an agency's roles its own",
)

urlpatterns: list[URLPattern | URLResolver] = [
    route("", views.violation_list, policy=SCOPED, name="violation_list"),
    route("vi-pham/<int:pk>/<slug:action>/", views.violation_action, policy=VERIFY_POLICY, name="violation_action"),
    route("co-quan/", views.agency_ranking, policy=SCOPED, name="agency_ranking"),
    route("thu-tuc/", views.procedure_list, policy=SCOPED, name="procedure_list"),
    route("thu-tuc/<str:code>/", views.procedure_detail, policy=SCOPED, name="procedure_detail"),
]
