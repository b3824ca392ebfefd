"""R7.1: the duty desk under /truc-ban/. Every pattern declares its access policy."""

from django.urls import URLPattern, URLResolver

from ioc.accounts.choices import Role
from ioc.common.access import roles, route
from ioc.duty import views

app_name = "duty"
urlpatterns: list[URLPattern | URLResolver] = [
    route("", views.index, policy=roles(Role.IOC_OPERATOR, Role.IOC_LEADER), name="index"),
    route("ban-giao/", views.write, policy=roles(Role.IOC_OPERATOR), name="write"),
    route("<int:pk>/", views.detail, policy=roles(Role.IOC_OPERATOR, Role.IOC_LEADER), name="detail"),
    route("<int:pk>/da-nhan/", views.acknowledge, policy=roles(Role.IOC_OPERATOR), name="acknowledge"),
]
