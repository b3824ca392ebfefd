"""The working-calendar page under /quan-tri/lich-lam-viec/ (R3.3, R4.3), in the "Quản trị" section."""

from django.urls import URLPattern, URLResolver

from ioc.accounts.choices import Role
from ioc.common.access import roles, route
from ioc.worktime import views

ADMIN = roles(Role.SYSTEM_ADMIN)

app_name = "worktime"
urlpatterns: list[URLPattern | URLResolver] = [
    route("", views.index, policy=ADMIN, name="index"),
    route("ngoai-le/", views.exception_add, policy=ADMIN, name="exception_add"),
    route("ngoai-le/<int:pk>/xoa/", views.exception_remove, policy=ADMIN, name="exception_remove"),
    route("gio-lam-viec/", views.hours_set, policy=ADMIN, name="hours_set"),
    route("gio-lam-viec/xoa/", views.hours_remove, policy=ADMIN, name="hours_remove"),
]
