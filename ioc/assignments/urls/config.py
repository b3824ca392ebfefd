"""The escalation-chain pages under /quan-tri/bao-cao-cap-tren/ (R3.3, R4.5), in the "Quản trị" section."""

from django.urls import URLPattern, URLResolver

from ioc.accounts.choices import Role
from ioc.assignments.views import config as views
from ioc.common.access import roles, route

# The system administrator and, as the act gives it to them, the IOC leader (as `escalation_chain_set` checks).
CONFIG_POLICY = roles(Role.SYSTEM_ADMIN, Role.IOC_LEADER)

app_name = "assignments_config"
urlpatterns: list[URLPattern | URLResolver] = [
    route("", views.chain_list, policy=CONFIG_POLICY, name="chain_list"),
    route("moi/", views.chain_create, policy=CONFIG_POLICY, name="chain_create"),
    route("<int:pk>/", views.chain_edit, policy=CONFIG_POLICY, name="chain_edit"),
    route("<int:pk>/bo/", views.chain_remove, policy=CONFIG_POLICY, name="chain_remove"),
]
