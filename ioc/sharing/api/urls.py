"""API of data sharing under /api/v1/sharing/ (R1.6)."""

from django.urls import URLPattern, URLResolver

from ioc.accounts.choices import Role
from ioc.common.access import object_scoped, route
from ioc.sharing.api import views

app_name = "sharing_api"

READ = object_scoped(
    Role.AGENCY_OFFICER,
    Role.AGENCY_HEAD,
    token_scopes=["sharing.read"],
    note="grant_for_read: only a live grant of the caller's agency (403 naming why), its fields and communes",
)

urlpatterns: list[URLPattern | URLResolver] = [
    route("datasets/<slug:code>/records/", views.RecordListView.as_view(), policy=READ, name="records"),
]
