"""Pages of incidents under /canh-bao/ (R4.1–R4.5)."""

from django.urls import URLPattern, URLResolver

from ioc.accounts.choices import Role
from ioc.common.access import object_scoped, roles, route
from ioc.incidents import views

# The IOC handles the alert inbox and takes calls.
OPERATOR_POLICY = roles(Role.IOC_OPERATOR, Role.IOC_LEADER)
# The area's entry page: every staff role (people outside the IOC go on to the incidents they may see).
INDEX_POLICY = roles(
    Role.SYSTEM_ADMIN, Role.IOC_OPERATOR, Role.IOC_LEADER, Role.PROVINCE_LEADER, Role.AGENCY_OFFICER, Role.AGENCY_HEAD
)
INCIDENT_POLICY = object_scoped(
    Role.SYSTEM_ADMIN,
    Role.IOC_OPERATOR,
    Role.IOC_LEADER,
    Role.PROVINCE_LEADER,
    Role.AGENCY_OFFICER,
    Role.AGENCY_HEAD,
    note="incident_get_for: territory roles see every incident; an agency's roles those it holds a part of (else 404)",
)

app_name = "incidents"
urlpatterns: list[URLPattern | URLResolver] = [
    route("", views.index, policy=INDEX_POLICY, name="index"),
    route("tiep-nhan/", views.alert_new, policy=OPERATOR_POLICY, name="alert_new"),
    route("canh-bao/<int:pk>/<slug:action>/", views.alert_action, policy=OPERATOR_POLICY, name="alert_action"),
    route("su-co/", views.incident_list, policy=INCIDENT_POLICY, name="incident_list"),
    route("su-co/<int:pk>/", views.incident_detail, policy=INCIDENT_POLICY, name="incident_detail"),
    route(
        "su-co/<int:pk>/thao-tac/<slug:action>/", views.incident_action, policy=INCIDENT_POLICY, name="incident_action"
    ),
    route("su-co/<int:pk>/anh/<int:event_pk>/", views.incident_photo, policy=INCIDENT_POLICY, name="incident_photo"),
]
