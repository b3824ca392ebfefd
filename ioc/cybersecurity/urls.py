"""R5.6: the information-security watch under /an-toan-thong-tin/. Every pattern declares its access policy: the
IOC and the province's leaders see everything, an agency's officers and heads see their own agency's assets and
events (object-scoped by the selectors); the configuration is the administrator's and the IOC leader's."""

from django.urls import URLPattern, URLResolver

from ioc.accounts.choices import Role
from ioc.common.access import object_scoped, roles, route
from ioc.cybersecurity import views

app_name = "cybersecurity"
_SEE = (
    Role.SYSTEM_ADMIN,
    Role.IOC_OPERATOR,
    Role.IOC_LEADER,
    Role.PROVINCE_LEADER,
    Role.AGENCY_OFFICER,
    Role.AGENCY_HEAD,
)
_SCOPED = object_scoped(*_SEE, note="an agency sees its own assets and events (scope_filter on agency)")
_CONFIG = roles(Role.SYSTEM_ADMIN, Role.IOC_LEADER)
_SCREENSHOT = object_scoped(
    Role.SYSTEM_ADMIN, Role.IOC_OPERATOR, Role.IOC_LEADER, note="the watch's operators, for an asset they may see"
)  # choices.SCREENSHOT_ROLES
_RECORD = roles(Role.IOC_OPERATOR, Role.IOC_LEADER)  # choices.VULN_ROLES
urlpatterns: list[URLPattern | URLResolver] = [
    route("", views.index, policy=_SCOPED, name="index"),
    route("chung-thu-so/", views.certificates, policy=_SCOPED, name="certificates"),
    route("su-kien/", views.events, policy=_SCOPED, name="events"),
    route("ma-doc/", views.malware, policy=_SCOPED, name="malware"),
    route("lo-hong/", views.vulnerabilities, policy=_SCOPED, name="vulnerabilities"),
    route("lo-hong/them/", views.vulnerability_create, policy=_RECORD, name="vulnerability_create"),
    route("lo-hong/<int:pk>/", views.vulnerability_detail, policy=_SCOPED, name="vulnerability_detail"),
    route("<int:pk>/", views.asset_detail, policy=_SCOPED, name="asset_detail"),
    route(
        "<int:pk>/kiem-tra/<int:result_pk>/anh-chup.png",
        views.result_screenshot,
        policy=_SCREENSHOT,
        name="result_screenshot",
    ),
    route("<int:pk>/lay-mau-lai/", views.asset_rebaseline, policy=_CONFIG, name="asset_rebaseline"),
    route("cau-hinh/", views.config, policy=_CONFIG, name="config"),
    route("cau-hinh/them/", views.asset_create, policy=_CONFIG, name="asset_create"),
    route("cau-hinh/<int:pk>/sua/", views.asset_edit, policy=_CONFIG, name="asset_edit"),
    route("cau-hinh/nguon/them/", views.source_create, policy=_CONFIG, name="source_create"),
    route("cau-hinh/nguon/<int:pk>/sua/", views.source_edit, policy=_CONFIG, name="source_edit"),
    route("cau-hinh/luat/them/", views.rule_create, policy=_CONFIG, name="rule_create"),
    route("cau-hinh/luat/<int:pk>/sua/", views.rule_edit, policy=_CONFIG, name="rule_edit"),
]
