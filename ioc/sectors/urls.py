"""R5.4: the sector dashboards (read-only, every staff role; figures are scoped by each app's selectors)."""

from django.urls import URLPattern

from ioc.accounts.choices import STAFF_ROLES
from ioc.common.access import roles, route
from ioc.sectors import views

app_name = "sectors"
_STAFF = roles(*STAFF_ROLES)
urlpatterns: list[URLPattern] = [
    route("", views.index, policy=_STAFF, name="index"),
    route("<slug:code>/", views.domain, policy=_STAFF, name="domain"),
    route("<slug:code>/xlsx/", views.export_xlsx, policy=_STAFF, name="export_xlsx"),
]
