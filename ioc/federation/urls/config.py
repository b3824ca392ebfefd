"""Federation's configuration pages under /quan-tri/lien-thong/ (R9.1), in the "Quản trị" section; the system
administrator only (as the services check)."""

from django.urls import URLPattern, URLResolver

from ioc.accounts.choices import Role
from ioc.common.access import roles, route
from ioc.federation.views import config as views

CONFIG_POLICY = roles(Role.SYSTEM_ADMIN)

app_name = "federation_config"
urlpatterns: list[URLPattern | URLResolver] = [
    route("", views.link_list, policy=CONFIG_POLICY, name="link_list"),
    route("moi/", views.link_create, policy=CONFIG_POLICY, name="link_create"),
    route("<slug:code>/", views.link_edit, policy=CONFIG_POLICY, name="link_edit"),
    route("<slug:code>/khoa/", views.link_keys, policy=CONFIG_POLICY, name="link_keys"),
    route("<slug:code>/anh-xa/", views.mappings, policy=CONFIG_POLICY, name="mappings"),
    route("<slug:code>/anh-xa/<int:pk>/xoa/", views.mapping_remove, policy=CONFIG_POLICY, name="mapping_remove"),
]
