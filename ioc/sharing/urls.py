"""Pages of data sharing under /chia-se/ (R1.6)."""

from django.urls import URLPattern, URLResolver

from ioc.accounts.choices import STAFF_ROLES, Role
from ioc.common.access import object_scoped, roles, route
from ioc.sharing import views

app_name = "sharing"

STAFF = roles(*STAFF_ROLES)
OFFICERS = roles(Role.AGENCY_OFFICER, Role.AGENCY_HEAD)
REQUEST = object_scoped(
    *STAFF_ROLES, note="access_request_get: the requesting agency, the dataset's owner and the territory roles (404)"
)
DECIDE = object_scoped(
    Role.AGENCY_OFFICER,
    Role.AGENCY_HEAD,
    note="access_request_get (404), then the service: an officer or head of the dataset's owner (403)",
)
REQUESTABLE = object_scoped(
    Role.AGENCY_OFFICER, Role.AGENCY_HEAD, note="requestable_datasets: published, shareable, not the agency's own"
)
REVOKE = object_scoped(
    Role.AGENCY_OFFICER,
    Role.AGENCY_HEAD,
    Role.SYSTEM_ADMIN,
    note="grant_get (404), then grant_revoke: the owner agency or the system administrator (403)",
)

urlpatterns: list[URLPattern | URLResolver] = [
    route("", views.board, policy=STAFF, name="board"),
    route("hop-thu/", views.inbox, policy=OFFICERS, name="inbox"),
    route("de-nghi/", views.catalog, policy=OFFICERS, name="catalog"),
    route("de-nghi/<slug:dataset>/", views.request_new, policy=REQUESTABLE, name="request_new"),
    route("yeu-cau/<int:pk>/", views.request_detail, policy=REQUEST, name="request_detail"),
    route("yeu-cau/<int:pk>/cap-quyen/", views.request_approve, policy=DECIDE, name="request_approve"),
    route("yeu-cau/<int:pk>/tu-choi/", views.request_refuse, policy=DECIDE, name="request_refuse"),
    route("quyen-truy-cap/", views.grants, policy=STAFF, name="grants"),
    route("quyen-truy-cap/<int:pk>/thu-hoi/", views.grant_revoke, policy=REVOKE, name="grant_revoke"),
    route("quy-dinh/", views.terms, policy=roles(Role.SYSTEM_ADMIN, Role.IOC_LEADER), name="terms"),
]
