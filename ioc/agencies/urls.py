"""Agency pages under /co-quan/."""

from django.urls import URLPattern, URLResolver

from ioc.agencies import views
from ioc.common.access import roles, route
from ioc.common.roles import STAFF_ROLES

app_name = "agencies"
urlpatterns: list[URLPattern | URLResolver] = [
    route("", views.agency_list, policy=roles(*STAFF_ROLES), name="list"),
]
