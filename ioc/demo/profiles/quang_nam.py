"""Quảng Nam (R11): the pilot regulation of the smart-city IOC, October 2020 — seed 001 (a draft: its number and
day are left blank). Territory: the 78 2025 communes of legacy province 49 (`localities.json` `quang_nam_49`),
78 of the 94 communes of 2025 Đà Nẵng (48); the legacy province and its 17 districts are kept for history.
Its articles number no clauses, so citations name whole articles (`001:5`). Điều 2 names the owner (UBND tỉnh),
the managing body (Sở TT&TT) and the operating unit (its ICT Center); VNPT Quảng Nam is the technical partner
(Điều 5, 10).
"""

from __future__ import annotations

import datetime as dt

from ioc.agencies.choices import DEMO_SOURCE, ActRole, AgencyKind
from ioc.demo.profiles import common
from ioc.demo.profiles.base import (
    Act,
    AgencySpec,
    CommuneCommittees,
    DutySpec,
    MeetingSpec,
    Profile,
    Regulation,
    ReportSpec,
)

ACT = Act(
    number="…/QĐ-UBND (dự thảo)",
    date=dt.date(2020, 10, 1),
    issuing_body="Chủ tịch Ủy ban nhân dân tỉnh Quảng Nam",
    title="Quy chế thí điểm quản lý, vận hành và sử dụng Trung tâm giám sát, điều hành đô thị thông minh "
    "tỉnh Quảng Nam",
    signer="KT. Chủ tịch, Phó Chủ tịch (chưa ghi tên)",
    date_note="Văn bản để trống số và ngày (tháng 10/2020); ngày 01/10/2020 là ngày quy ước của bản mẫu.",
)


AGENCIES = (
    AgencySpec(
        "ubnd-tinh-quang-nam",
        "Ủy ban nhân dân tỉnh Quảng Nam",
        AgencyKind.PEOPLES_COMMITTEE,
        roles=((ActRole.OWNER, "001:2"),),
        short_name="UBND tỉnh",
        name_en="Quảng Nam Provincial People's Committee",
    ),
    AgencySpec(
        "so-tttt",
        "Sở Thông tin và Truyền thông",
        AgencyKind.DEPARTMENT,
        roles=((ActRole.MANAGING, "001:2"),),
        short_name="Sở TT&TT",
        name_en="Department of Information and Communications",
    ),
    AgencySpec(
        "tt-cntt-tt",
        "Trung tâm Công nghệ thông tin - Truyền thông",
        AgencyKind.CENTER,
        roles=((ActRole.OPERATING, "001:2"),),
        parent="so-tttt",
        short_name="TT CNTT-TT",
        name_en="Information and Communication Technology Center",
    ),
    # Điều 5 and 10: technical assurance and the connection standard, with the Department and its Center.
    AgencySpec(
        "vnpt-quang-nam",
        "VNPT Quảng Nam",
        AgencyKind.OTHER,
        roles=((ActRole.COORDINATING, "001:10"),),
        name_en="VNPT Quảng Nam (technical partner)",
    ),
    AgencySpec(
        "vp-ubnd-tinh",
        "Văn phòng Ủy ban nhân dân tỉnh",
        AgencyKind.OFFICE,
        roles=((ActRole.COORDINATING, "001:6"),),
        parent="ubnd-tinh-quang-nam",
        short_name="VP UBND tỉnh",
        name_en="Office of the Provincial People's Committee",
    ),
    AgencySpec(
        "so-khdt",
        "Sở Kế hoạch và Đầu tư",
        AgencyKind.DEPARTMENT,
        roles=((ActRole.COORDINATING, "001:7"),),
        short_name="Sở KH&ĐT",
        name_en="Department of Planning and Investment",
    ),
    AgencySpec(
        "so-tai-chinh",
        "Sở Tài chính",
        AgencyKind.DEPARTMENT,
        roles=((ActRole.COORDINATING, "001:8"),),
        name_en="Department of Finance",
    ),
    # Điều 5: the departments whose databases are connected first.
    AgencySpec(
        "so-gd-dt",
        "Sở Giáo dục và Đào tạo",
        AgencyKind.DEPARTMENT,
        roles=((ActRole.COORDINATING, "001:5"),),
        short_name="Sở GD&ĐT",
        name_en="Department of Education and Training",
    ),
    AgencySpec(
        "so-y-te",
        "Sở Y tế",
        AgencyKind.DEPARTMENT,
        roles=((ActRole.COORDINATING, "001:5"),),
        name_en="Department of Health",
        works_24x7=True,
    ),
    AgencySpec(
        "so-cong-thuong",
        "Sở Công thương",
        AgencyKind.DEPARTMENT,
        roles=((ActRole.COORDINATING, "001:5"),),
        name_en="Department of Industry and Trade",
    ),
    *common.demo_departments("cong-an-tinh", "so-nn-mt", "so-xay-dung"),
)

# The regulation binds district committees (Điều 1, 9); the 2025 commune committees are the demo's.
COMMUNES = CommuneCommittees(
    preferred_codes=("20341", "20410", "20335", "20551"), count=4, role=ActRole.PROCESSING, source=DEMO_SOURCE
)

ADMIN, ACCOUNTS = common.standard_accounts(
    center="tt-cntt-tt",
    center_title="Lãnh đạo Trung tâm Công nghệ thông tin - Truyền thông",
    leader="ubnd-tinh-quang-nam",
    leader_title="Phó Chủ tịch UBND tỉnh",
    police="cong-an-tinh",
    police_title="Công an tỉnh",
)

REGULATION = Regulation(
    duties=(
        DutySpec(
            "quan-tri-van-hanh",
            "Tổ chức quản trị, vận hành Trung tâm IOC; bảo đảm chính xác thông tin đầu ra",
            "001:4",
            "tt-cntt-tt",
            "url:web:home",
        ),
        DutySpec(
            "bao-cao-quy",
            "Định kỳ hàng quý tổng hợp báo cáo UBND tỉnh về cập nhật, xử lý thông tin",
            "001:4",
            "tt-cntt-tt",
            "url:reporting:index",
        ),
        DutySpec(
            "ket-noi-du-lieu",
            "Hướng dẫn các đơn vị kết nối, phân quyền chia sẻ dữ liệu về Trung tâm IOC",
            "001:5",
            "so-tttt",
            "url:datahub:index",
        ),
        DutySpec(
            "chi-tieu-ktxh",
            "Rà soát, bổ sung chỉ tiêu kinh tế - xã hội các ngành phải cung cấp",
            "001:7",
            "so-khdt",
            "url:indicators:index",
        ),
        DutySpec(
            "cap-nhat-bo-chi-so",
            "Định kỳ cung cấp thông tin theo Bộ chỉ số qua phần mềm của Trung tâm IOC",
            "001:9",
            "",
            "url:datahub:index",
        ),
        DutySpec(
            "xu-ly-thong-tin",
            "Xử lý thông tin nhận từ Trung tâm IOC và thông báo tình trạng xử lý",
            "001:9",
            "",
            "url:assignments:inbox",
        ),
        DutySpec(
            "khao-sat-hai-long",
            "Khảo sát sự hài lòng về xử lý góp ý, phản ánh, kiến nghị",
            "001:9",
            "",
            "url:citizen_reports:staff_index",
        ),
        DutySpec(
            "chuan-ket-noi",
            "Xây dựng chuẩn kết nối, trao đổi dữ liệu với VNPT Quảng Nam",
            "001:10",
            "tt-cntt-tt",
            "url:api_schema",
        ),
        DutySpec(
            "xac-minh-thong-tin",
            "Xác minh tính xác thực thông tin tiếp nhận, chuyển lãnh đạo xử lý",
            "001:11",
            "",
            "url:citizen_reports:staff_index",
        ),
        DutySpec("hop-giao-ban", "Họp giao ban 6 tháng, 01 năm với sở, ngành, địa phương", "001:12", "so-tttt", ""),
    ),
    reports=(
        ReportSpec(
            "quy",
            "Báo cáo quý về tình hình cập nhật, xử lý thông tin của Trung tâm IOC",
            "quarterly",
            "001:4",
            "Ủy ban nhân dân tỉnh",
        ),
    ),
    meetings=(
        MeetingSpec(
            "giao-ban-6-thang", "Họp giao ban 6 tháng", "half_yearly", "Đơn vị quản lý Trung tâm IOC", "001:12"
        ),
        MeetingSpec("giao-ban-nam", "Họp giao ban năm", "yearly", "Đơn vị quản lý Trung tâm IOC", "001:12"),
        MeetingSpec(
            "kiem-diem-nam",
            "Kiểm điểm, đánh giá kết quả thực hiện Quy chế hằng năm",
            "yearly",
            "Sở Thông tin và Truyền thông",
            "001:12",
        ),
    ),
)

PROFILE = Profile(
    key="quang-nam",
    seed_file="001_e50758be4b034fb8.txt",
    act=ACT,
    territory_name="Tỉnh Quảng Nam",
    root_code="48",
    expected_communes=78,
    agencies=AGENCIES,
    communes=COMMUNES,
    admin=ADMIN,
    accounts=ACCOUNTS,
    screen=common.screen("Trung tâm Công nghệ thông tin - Truyền thông tỉnh Quảng Nam"),
    systems=common.systems(
        lgsp_code="lgsp-quang-nam",
        lgsp_name="Nền tảng tích hợp, chia sẻ dữ liệu tỉnh (LGSP)",
        lgsp_agency="so-tttt",
        lgsp_note="Điều 5: Sở TT&TT thống nhất phân quyền chia sẻ dữ liệu, kết nối về Trung tâm IOC (dữ liệu mẫu).",
        app_agency="tt-cntt-tt",
        app_note="Điều 9: tiếp nhận, xử lý ý kiến góp ý, phản ánh, kiến nghị của tổ chức, cá nhân (dữ liệu mẫu).",
    ),
    level="province",
    locality="quang_nam_49",
    whole_province=False,
    former_ref="legacy:49",
    regulation=REGULATION,
)
