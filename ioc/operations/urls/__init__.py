"""R10.2–R10.4: running the center under /van-hanh/. Every pattern declares its access policy; objects are scoped
by their selectors (agency B's officer gets 404 for agency A's staff, sheets and assets)."""

from django.urls import URLPattern, URLResolver

from ioc.accounts.choices import Role
from ioc.common.access import object_scoped, roles, route
from ioc.operations.views import people, work

app_name = "operations"
IOC = (Role.IOC_OPERATOR, Role.IOC_LEADER)
MEMBERS = (*IOC, Role.AGENCY_OFFICER, Role.AGENCY_HEAD, Role.SYSTEM_ADMIN)
SCOPED = "the selector limits agency members to their agency's staff, sheets, assets and consents"
_SCOPED = object_scoped(*MEMBERS, note=SCOPED)
urlpatterns: list[URLPattern | URLResolver] = [
    route("", people.index, policy=roles(*MEMBERS), name="index"),
    route("nhan-su/", people.staff_list, policy=roles(*MEMBERS), name="staff_list"),
    route("nhan-su/<int:pk>/", people.staff_detail, policy=_SCOPED, name="staff_detail"),
    route("phu-cap/", people.sheet_list, policy=roles(*MEMBERS), name="sheet_list"),
    route("phu-cap/du-toan/", people.estimate, policy=roles(*MEMBERS), name="estimate"),
    route("phu-cap/<int:pk>/", people.sheet_detail, policy=_SCOPED, name="sheet_detail"),
    route("phu-cap/<int:pk>/xlsx/", people.sheet_export, policy=_SCOPED, name="sheet_export"),
    route("lich-truc/", work.roster_list, policy=roles(*MEMBERS), name="roster_list"),
    route("lich-truc/<int:pk>/", work.roster_detail, policy=_SCOPED, name="roster_detail"),
    route(
        "lich-truc/<int:pk>/xlsx/",
        work.roster_export,
        policy=_SCOPED,
        name="roster_export",
    ),
    route("thay-doi/", work.change_list, policy=roles(*MEMBERS), name="change_list"),
    route("thay-doi/<int:pk>/", work.change_detail, policy=_SCOPED, name="change_detail"),
    route("tai-san/", work.asset_list, policy=roles(*MEMBERS), name="asset_list"),
    route("tai-san/<int:pk>/", work.asset_detail, policy=_SCOPED, name="asset_detail"),
]
