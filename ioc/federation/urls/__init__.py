"""R9.1–R9.3: federation's pages under /lien-thong/. Every pattern declares its access policy."""

from django.urls import URLPattern, URLResolver

from ioc.accounts.choices import Role
from ioc.common.access import object_scoped, roles, route
from ioc.federation import views

app_name = "federation"
_SEE = roles(Role.SYSTEM_ADMIN, Role.IOC_OPERATOR, Role.IOC_LEADER)
_SUBMIT = object_scoped(
    Role.SYSTEM_ADMIN, Role.IOC_OPERATOR, Role.IOC_LEADER, note="reporting.report_get_for (404), then report_submit"
)
_ARCHIVE = roles(Role.SYSTEM_ADMIN, Role.IOC_OPERATOR, Role.IOC_LEADER, Role.PROVINCE_LEADER)
urlpatterns: list[URLPattern | URLResolver] = [
    route("", views.index, policy=_SEE, name="index"),
    route("thu-gui/", views.outbox, policy=_SEE, name="outbox"),
    route("thu-nhan/", views.inbox, policy=_SEE, name="inbox"),
    route("thu-loi/", views.dead_letters, policy=_SEE, name="dead_letters"),
    route("thu-loi/<int:pk>/gui-lai/", views.dead_letter_replay, policy=_SEE, name="dead_letter_replay"),
    route("xung-dot/", views.conflicts, policy=_SEE, name="conflicts"),
    route("xung-dot/<int:pk>/", views.conflict, policy=_SEE, name="conflict"),
    route("chi-dao/", views.directive, policy=_SEE, name="directive"),
    route("gui-bao-cao/<int:pk>/", views.report_submit, policy=_SUBMIT, name="report_submit"),
    route("bao-cao-cap-duoi/", views.subordinate_reports, policy=_ARCHIVE, name="subordinate_reports"),
    route(
        "bao-cao-cap-duoi/<int:pk>/tai/",
        views.subordinate_report_download,
        policy=_ARCHIVE,
        name="subordinate_report_download",
    ),
]
