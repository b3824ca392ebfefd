"""What every profile shares (R11): the demo logins' usernames and roles, and the citizens' reporting app.

Every profile has the same usernames with the same roles (`make demo PROFILE=…` prints them), held by the
agencies of its own act; only titles and agencies differ.
"""

from __future__ import annotations

from typing import Any

from ioc.accounts.choices import Role
from ioc.agencies.choices import DEMO_SOURCE, ActRole, AgencyKind
from ioc.demo.profiles.base import AccountSpec, AgencySpec, ScreenSpec, SystemSpec

# Provincial bodies an act binds as "các sở, ban, ngành" without naming them, which the demo's domains need
# (police and health work 24/7). Name, kind, English name, extra fields.
_UNNAMED_DEPARTMENTS: dict[str, tuple[str, str, str, dict[str, Any]]] = {
    "cong-an-tinh": ("Công an tỉnh", AgencyKind.POLICE, "Provincial Police", {"works_24x7": True}),
    "so-y-te": ("Sở Y tế", AgencyKind.DEPARTMENT, "Department of Health", {"works_24x7": True}),
    "so-gd-dt": (
        "Sở Giáo dục và Đào tạo",
        AgencyKind.DEPARTMENT,
        "Department of Education and Training",
        {"short_name": "Sở GD&ĐT"},
    ),
    "so-nn-mt": (
        "Sở Nông nghiệp và Môi trường",
        AgencyKind.DEPARTMENT,
        "Department of Agriculture and Environment",
        {"short_name": "Sở NN&MT"},
    ),
    "so-xay-dung": ("Sở Xây dựng", AgencyKind.DEPARTMENT, "Department of Construction", {}),
}


def demo_departments(*codes: str) -> tuple[AgencySpec, ...]:
    """Processing departments not named in the profile's act (their role cites `DEMO_SOURCE`, not an article)."""
    specs = []
    for code in codes:
        name, kind, name_en, extra = _UNNAMED_DEPARTMENTS[code]
        specs.append(AgencySpec(code, name, kind, roles=((ActRole.PROCESSING, DEMO_SOURCE),), name_en=name_en, **extra))
    return tuple(specs)


def standard_accounts(
    *,
    center: str,
    center_title: str,
    leader: str,
    leader_title: str,
    police: str,
    police_title: str,
) -> tuple[AccountSpec, tuple[AccountSpec, ...]]:
    """The administrator and the seven demo logins: operator and IOC leader at the operating unit, the
    locality's leader, a police officer and head, a commune committee's officer and chairman."""
    admin = AccountSpec("quantri", "Quản trị hệ thống IOC", Role.SYSTEM_ADMIN, agency=center)
    accounts = (
        AccountSpec("vanhanh", "Nguyễn Văn Trực", Role.IOC_OPERATOR, agency=center, title="Cán bộ vận hành IOC"),
        AccountSpec("lanhdao-ioc", "Trần Thị Điều Hành", Role.IOC_LEADER, agency=center, title=center_title),
        AccountSpec("lanhdao-tinh", "Phạm Văn Chỉ Đạo", Role.PROVINCE_LEADER, agency=leader, title=leader_title),
        AccountSpec(
            "canbo-congan", "Lê Văn An Ninh", Role.AGENCY_OFFICER, agency=police, title=f"Cán bộ {police_title}"
        ),
        AccountSpec(
            "truong-congan", "Hoàng Văn Trật Tự", Role.AGENCY_HEAD, agency=police, title=f"Lãnh đạo {police_title}"
        ),
        AccountSpec(
            "canbo-xa", "Đỗ Thị Cơ Sở", Role.AGENCY_OFFICER, agency="commune:1", title="Công chức UBND xã/phường"
        ),
        AccountSpec(
            "chutich-xa", "Vũ Văn Địa Phương", Role.AGENCY_HEAD, agency="commune:1", title="Chủ tịch UBND xã/phường"
        ),
    )
    return admin, accounts


def screen(location: str) -> ScreenSpec:
    return ScreenSpec("phong-dieu-hanh", "Màn hình phòng điều hành IOC", location)


def systems(
    *, lgsp_code: str, lgsp_name: str, lgsp_agency: str, lgsp_note: str, app_agency: str, app_note: str
) -> tuple[SystemSpec, ...]:
    """The integration platform (token with every write scope) and the citizens' reporting app (Open311 key)."""
    return (
        SystemSpec(
            code=lgsp_code,
            name=lgsp_name,
            agency=lgsp_agency,
            description=lgsp_note,
            token_key="system",
            scopes=("open311.submit", "sta.write", "cameras.events", "incidents.alerts", "datahub.push:*"),
            label="LGSP — mọi phạm vi ghi (demo)",
        ),
        SystemSpec(
            code="ung-dung-cong-dan",
            name="Ứng dụng phản ánh hiện trường",
            agency=app_agency,
            description=app_note,
            token_key="open311",
            scopes=("open311.submit",),
            label="Open311 api_key (demo)",
        ),
    )
