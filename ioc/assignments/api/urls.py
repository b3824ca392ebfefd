"""API of agency work under /api/v1/assignments/ (R3.3)."""

from django.urls import URLPattern, URLResolver

from ioc.accounts.choices import Role
from ioc.assignments.api import views
from ioc.common.access import object_scoped, roles, route

app_name = "assignments_api"

_SEE = (Role.AGENCY_OFFICER, Role.AGENCY_HEAD, Role.IOC_OPERATOR, Role.IOC_LEADER)
_VIEW = object_scoped(*_SEE, note="assignment_get_for: agency roles see their agency's work (404 otherwise)")
_ACT = object_scoped(
    Role.AGENCY_OFFICER,
    Role.AGENCY_HEAD,
    note="assignment_get_for (404 outside scope), then the service: officers/heads of the holding agency (403)",
)

urlpatterns: list[URLPattern | URLResolver] = [
    route("", views.AssignmentListView.as_view(), policy=roles(*_SEE), name="list"),
    route("<int:pk>/", views.AssignmentDetailView.as_view(), policy=_VIEW, name="detail"),
    route("<int:pk>/accept/", views.AcceptView.as_view(), policy=_ACT, name="accept"),
    route("<int:pk>/return/", views.ReturnView.as_view(), policy=_ACT, name="return"),
    route("<int:pk>/progress/", views.ProgressView.as_view(), policy=_ACT, name="progress"),
    route("<int:pk>/resolve/", views.ResolveView.as_view(), policy=_ACT, name="resolve"),
]
