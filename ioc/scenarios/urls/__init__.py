"""Pages of operating scenarios, the command view and public warnings for the IOC, under /kich-ban/ (R4.4, R4.6,
R5.2). The public warnings are in `urls.public`."""

from django.urls import URLPattern, URLResolver

from ioc.common.access import roles, route
from ioc.common.roles import Role
from ioc.scenarios.views import command, staff, warnings

VIEW_POLICY = roles(Role.SYSTEM_ADMIN, Role.IOC_OPERATOR, Role.IOC_LEADER, Role.PROVINCE_LEADER)
CONFIG_POLICY = roles(Role.SYSTEM_ADMIN, Role.IOC_LEADER)
LEADER_POLICY = roles(Role.IOC_LEADER)
WARNING_POLICY = roles(Role.IOC_OPERATOR, Role.IOC_LEADER)

app_name = "scenarios"
urlpatterns: list[URLPattern | URLResolver] = [
    route("", staff.index, policy=VIEW_POLICY, name="index"),
    route("moi/", staff.edit, policy=CONFIG_POLICY, name="new"),
    route("<int:pk>/", staff.detail, policy=VIEW_POLICY, name="detail"),
    route("<int:pk>/sua/", staff.edit, policy=CONFIG_POLICY, name="edit"),
    route("<int:pk>/kich-hoat/", staff.activate, policy=LEADER_POLICY, name="activate"),
    route("chi-huy/<int:pk>/", command.command, policy=VIEW_POLICY, name="command"),
    route("chi-huy/<int:pk>/<slug:action>/", command.command_action, policy=WARNING_POLICY, name="command_action"),
    route("canh-bao-cong-khai/", warnings.warning_list, policy=WARNING_POLICY, name="warnings"),
    route("canh-bao-cong-khai/<int:pk>/", warnings.warning_detail, policy=WARNING_POLICY, name="warning_detail"),
    route(
        "canh-bao-cong-khai/<int:pk>/<slug:action>/",
        warnings.warning_action,
        policy=WARNING_POLICY,
        name="warning_action",
    ),
]
