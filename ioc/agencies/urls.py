"""Agency pages under /co-quan/: the staff's list, and the configuration pages of the "Quản trị" section."""

from django.urls import URLPattern, URLResolver

from ioc.agencies import views
from ioc.common.access import roles, route
from ioc.common.roles import STAFF_ROLES, Role

ADMIN = roles(Role.SYSTEM_ADMIN)

app_name = "agencies"
urlpatterns: list[URLPattern | URLResolver] = [
    route("", views.agency_list, policy=roles(*STAFF_ROLES), name="list"),
    route("quan-tri/", views.config_list, policy=ADMIN, name="config_list"),
    route("quan-tri/moi/", views.config_create, policy=ADMIN, name="config_create"),
    route("quan-tri/<int:pk>/", views.config_edit, policy=ADMIN, name="config_edit"),
    route("quan-tri/<int:pk>/trang-thai/", views.config_retire, policy=ADMIN, name="config_retire"),
    route("quan-tri/<int:pk>/vai-tro/", views.config_role_add, policy=ADMIN, name="config_role_add"),
    route(
        "quan-tri/<int:pk>/vai-tro/<slug:role>/xoa/", views.config_role_remove, policy=ADMIN, name="config_role_remove"
    ),
]
