"""Hưng Yên (R11): QĐ 1062/QĐ-UBND, 21/09/2025 — seed 002. Territory: the 2025 province 33 (104 communes,
former Hưng Yên and Thái Bình). Agencies and their roles cite the articles that name them; what the act does not
name is marked `demo`.
"""

from __future__ import annotations

import datetime as dt

from ioc.accounts.choices import Role
from ioc.agencies.choices import DEMO_SOURCE, ActRole, AgencyKind
from ioc.demo.profiles.base import (
    AccountSpec,
    Act,
    AgencySpec,
    CommuneCommittees,
    Profile,
    ScreenSpec,
    SystemSpec,
)

ACT = Act(
    number="1062/QĐ-UBND",
    date=dt.date(2025, 9, 21),
    issuing_body="Ủy ban nhân dân tỉnh Hưng Yên",
    title="Quy chế quản lý, vận hành và sử dụng Trung tâm giám sát, điều hành thông minh tỉnh Hưng Yên",
)

AGENCIES = (
    # Điều 8.1: owner, managing and operating bodies.
    AgencySpec(
        "ubnd-tinh-hung-yen",
        "Ủy ban nhân dân tỉnh Hưng Yên",
        AgencyKind.PEOPLES_COMMITTEE,
        roles=((ActRole.OWNER, "002:8.1"),),
        short_name="UBND tỉnh",
        name_en="Hưng Yên Provincial People's Committee",
        unit="root",
    ),
    AgencySpec(
        "vp-ubnd-tinh",
        "Văn phòng Ủy ban nhân dân tỉnh",
        AgencyKind.OFFICE,
        roles=((ActRole.MANAGING, "002:8.1"),),
        parent="ubnd-tinh-hung-yen",
        short_name="VP UBND tỉnh",
        name_en="Office of the Provincial People's Committee",
    ),
    AgencySpec(
        "tt-thong-tin-hoi-nghi",
        "Trung tâm Thông tin - Hội nghị tỉnh",
        AgencyKind.CENTER,
        roles=((ActRole.OPERATING, "002:8.1"),),
        parent="vp-ubnd-tinh",
        short_name="TT TT-HN",
        name_en="Provincial Information and Conference Center",
        works_24x7=True,
    ),
    # Điều 10.3, 13.2, 14.1: builds the indicator set with the Office; connects systems through the LGSP.
    AgencySpec(
        "so-khcn",
        "Sở Khoa học và Công nghệ",
        AgencyKind.DEPARTMENT,
        roles=((ActRole.COORDINATING, "002:14.1"),),
        short_name="Sở KH&CN",
        name_en="Department of Science and Technology",
    ),
    # Điều 14.2–14.4: coordinating units with named duties.
    AgencySpec(
        "cong-an-tinh",
        "Công an tỉnh",
        AgencyKind.POLICE,
        roles=((ActRole.COORDINATING, "002:14.2"),),
        name_en="Provincial Police",
        works_24x7=True,
    ),
    AgencySpec(
        "bao-ptth-hung-yen",
        "Báo và Phát thanh, Truyền hình Hưng Yên",
        AgencyKind.MEDIA,
        roles=((ActRole.COORDINATING, "002:14.3"),),
        short_name="Báo và PT-TH Hưng Yên",
        name_en="Hưng Yên Newspaper, Radio and Television",
    ),
    AgencySpec(
        "so-tai-chinh",
        "Sở Tài chính",
        AgencyKind.DEPARTMENT,
        roles=((ActRole.COORDINATING, "002:14.4"),),
        name_en="Department of Finance",
    ),
    # Not named in the act: departments the demo's domains need (health, education, environment, construction).
    AgencySpec(
        "so-y-te",
        "Sở Y tế",
        AgencyKind.DEPARTMENT,
        roles=((ActRole.PROCESSING, DEMO_SOURCE),),
        name_en="Department of Health",
        works_24x7=True,
    ),
    AgencySpec(
        "so-gd-dt",
        "Sở Giáo dục và Đào tạo",
        AgencyKind.DEPARTMENT,
        roles=((ActRole.PROCESSING, DEMO_SOURCE),),
        short_name="Sở GD&ĐT",
        name_en="Department of Education and Training",
    ),
    AgencySpec(
        "so-nn-mt",
        "Sở Nông nghiệp và Môi trường",
        AgencyKind.DEPARTMENT,
        roles=((ActRole.PROCESSING, DEMO_SOURCE),),
        short_name="Sở NN&MT",
        name_en="Department of Agriculture and Environment",
    ),
    AgencySpec(
        "so-xay-dung",
        "Sở Xây dựng",
        AgencyKind.DEPARTMENT,
        roles=((ActRole.PROCESSING, DEMO_SOURCE),),
        name_en="Department of Construction",
    ),
)

# Điều 1.2: the People's Committees of communes and wards are among the units the regulation applies to, and
# Điều 2.8 makes them processing units. Four of them (those present in the territory) are created.
COMMUNES = CommuneCommittees(
    preferred_codes=("11953", "12472", "11977", "12586"),
    count=4,
    role=ActRole.PROCESSING,
    source="002:1.2",
)

ADMIN = AccountSpec("quantri", "Quản trị hệ thống IOC", Role.SYSTEM_ADMIN, agency="tt-thong-tin-hoi-nghi")
ACCOUNTS = (
    AccountSpec(
        "vanhanh", "Nguyễn Văn Trực", Role.IOC_OPERATOR, agency="tt-thong-tin-hoi-nghi", title="Cán bộ vận hành IOC"
    ),
    AccountSpec(
        "lanhdao-ioc",
        "Trần Thị Điều Hành",
        Role.IOC_LEADER,
        agency="tt-thong-tin-hoi-nghi",
        title="Lãnh đạo Trung tâm Thông tin - Hội nghị",
    ),
    AccountSpec(
        "lanhdao-tinh",
        "Phạm Văn Chỉ Đạo",
        Role.PROVINCE_LEADER,
        agency="ubnd-tinh-hung-yen",
        title="Phó Chủ tịch UBND tỉnh",
    ),
    AccountSpec(
        "canbo-congan", "Lê Văn An Ninh", Role.AGENCY_OFFICER, agency="cong-an-tinh", title="Cán bộ Công an tỉnh"
    ),
    AccountSpec(
        "truong-congan", "Hoàng Văn Trật Tự", Role.AGENCY_HEAD, agency="cong-an-tinh", title="Lãnh đạo Công an tỉnh"
    ),
    AccountSpec("canbo-xa", "Đỗ Thị Cơ Sở", Role.AGENCY_OFFICER, agency="commune:1", title="Công chức UBND xã/phường"),
    AccountSpec(
        "chutich-xa", "Vũ Văn Địa Phương", Role.AGENCY_HEAD, agency="commune:1", title="Chủ tịch UBND xã/phường"
    ),
)

SCREEN = ScreenSpec("phong-dieu-hanh", "Màn hình phòng điều hành IOC", "Trung tâm Thông tin - Hội nghị tỉnh")

SYSTEMS = (
    SystemSpec(
        code="lgsp-hung-yen",
        name="Nền tảng chia sẻ, tích hợp dữ liệu tỉnh (LGSP)",
        agency="so-khcn",
        description="Điều 14.1: các hệ thống chuyên ngành kết nối, chia sẻ dữ liệu với IOC qua LGSP (dữ liệu mẫu).",
        token_key="system",
        scopes=("open311.submit", "sta.write", "cameras.events", "incidents.alerts", "datahub.push:*"),
        label="LGSP — mọi phạm vi ghi (demo)",
    ),
    SystemSpec(
        code="ung-dung-cong-dan",
        name="Ứng dụng phản ánh hiện trường của tỉnh",
        agency="tt-thong-tin-hoi-nghi",
        description="Điều 8.7: kênh tương tác giữa người dân, doanh nghiệp với chính quyền (dữ liệu mẫu).",
        token_key="open311",
        scopes=("open311.submit",),
        label="Open311 api_key (demo)",
    ),
)

PROFILE = Profile(
    key="hung-yen",
    seed_file="002_7403f7c7e92cd176.txt",
    act=ACT,
    territory_name="Tỉnh Hưng Yên",
    root_code="33",
    expected_communes=104,
    agencies=AGENCIES,
    communes=COMMUNES,
    admin=ADMIN,
    accounts=ACCOUNTS,
    screen=SCREEN,
    systems=SYSTEMS,
)
