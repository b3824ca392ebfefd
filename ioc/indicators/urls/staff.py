"""The staff pages of the indicators (R2.3–R2.6): the sector dashboard, what an agency owes, an indicator."""

from django.urls import URLPattern, URLResolver

from ioc.accounts.choices import STAFF_ROLES, Role
from ioc.common.access import roles, route
from ioc.indicators.views import staff as views

_STAFF = roles(*STAFF_ROLES)
_CALLERS = roles(Role.IOC_LEADER, Role.PROVINCE_LEADER, Role.IOC_OPERATOR, Role.SYSTEM_ADMIN)

urlpatterns: list[URLPattern | URLResolver] = [
    route("", views.index, policy=_STAFF, name="index"),
    route("phai-bao-cao/", views.owed, policy=_STAFF, name="owed"),
    route("phai-bao-cao/nhap/", views.value_submit, policy=_STAFF, name="value_submit"),
    route("phai-bao-cao/yeu-cau/", views.call_create, policy=_CALLERS, name="call_create"),
    route("<slug:code>/", views.detail, policy=_STAFF, name="detail"),
]
