"""Pages of agency work under /xu-ly/: the officer's inbox and a piece of work (R3.3)."""

from django.urls import URLPattern, URLResolver

from ioc.accounts.choices import Role
from ioc.assignments.views import work as views
from ioc.common.access import object_scoped, roles, route

app_name = "assignments"

_SEE = (Role.AGENCY_OFFICER, Role.AGENCY_HEAD, Role.IOC_OPERATOR, Role.IOC_LEADER)
_SCOPE_NOTE = "assignment_get_for: agency roles see their agency's work (404 otherwise); IOC roles see all"
_ACT_NOTE = "assignment_get_for (404 outside scope), then the service: officers/heads of the holding agency"
_VIEW = object_scoped(*_SEE, note=_SCOPE_NOTE)
_ACT = object_scoped(Role.AGENCY_OFFICER, Role.AGENCY_HEAD, note=_ACT_NOTE)

urlpatterns: list[URLPattern | URLResolver] = [
    route("", views.inbox, policy=roles(*_SEE), name="inbox"),
    route("<int:pk>/", views.detail, policy=_VIEW, name="detail"),
    route("<int:pk>/tiep-nhan/", views.accept, policy=_ACT, name="accept"),
    route("<int:pk>/tra-lai/", views.return_, policy=_ACT, name="return"),
    route("<int:pk>/tien-do/", views.progress, policy=_ACT, name="progress"),
    route("<int:pk>/ket-qua/", views.resolve, policy=_ACT, name="resolve"),
    route("<int:pk>/minh-chung/<int:evidence_pk>/", views.evidence_file, policy=_VIEW, name="evidence"),
]
