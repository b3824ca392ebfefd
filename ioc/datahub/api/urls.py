"""API of the data hub under /api/v1/datahub/ (R1.2)."""

from django.urls import URLPattern, URLResolver

from ioc.accounts.choices import Role
from ioc.common.access import object_scoped, roles, route
from ioc.datahub.api import views

app_name = "datahub_api"

PUSH = roles(Role.INFORMATION_SYSTEM)  # the view then checks datahub.push:<code> / datahub.push:* itself
SEE = object_scoped(
    Role.INFORMATION_SYSTEM,
    Role.AGENCY_OFFICER,
    Role.AGENCY_HEAD,
    Role.IOC_OPERATOR,
    Role.IOC_LEADER,
    Role.SYSTEM_ADMIN,
    note="submission_get: the submitting agency, the dataset's owner and the territory roles (404 otherwise)",
)

urlpatterns: list[URLPattern | URLResolver] = [
    route("datasets/<slug:code>/submissions/", views.SubmissionPushView.as_view(), policy=PUSH, name="push"),
    route("submissions/<int:pk>/", views.SubmissionDetailView.as_view(), policy=SEE, name="submission"),
    route("jobs/<int:pk>/", views.JobDetailView.as_view(), policy=SEE, name="job"),
]
