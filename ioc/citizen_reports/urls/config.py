"""Configuration pages of citizen reports under /quan-tri/phan-anh/ (R3.2, R3.3), in the "Quản trị" section."""

from django.urls import URLPattern, URLResolver

from ioc.accounts.choices import Role
from ioc.citizen_reports.views import config as views
from ioc.common.access import roles, route

# The system administrator and, as the act gives it to them, the IOC leader (issue 8).
CONFIG_POLICY = roles(Role.SYSTEM_ADMIN, Role.IOC_LEADER)

app_name = "citizen_reports_config"
urlpatterns: list[URLPattern | URLResolver] = [
    route("linh-vuc/", views.category_list, policy=CONFIG_POLICY, name="category_list"),
    route("linh-vuc/moi/", views.category_create, policy=CONFIG_POLICY, name="category_create"),
    route("linh-vuc/<int:pk>/", views.category_edit, policy=CONFIG_POLICY, name="category_edit"),
    route("linh-vuc/<int:pk>/trang-thai/", views.category_retire, policy=CONFIG_POLICY, name="category_retire"),
    route("chuyen-xu-ly/", views.routing_rule_list, policy=CONFIG_POLICY, name="routing_rule_list"),
    route("chuyen-xu-ly/<int:pk>/xoa/", views.routing_rule_remove, policy=CONFIG_POLICY, name="routing_rule_remove"),
]
