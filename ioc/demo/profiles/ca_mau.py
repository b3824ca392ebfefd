"""Cà Mau (R11): QĐ 219/QĐ-UBND, 15/02/2023 — seed 000. Territory: the 39 2025 communes of legacy province 96
(`localities.json` `ca_mau_96`), 39 of the 64 communes of 2025 province 96 (which also took in Bạc Liêu); the
legacy province and its 9 districts are kept for history. The act names the Department of Information and
Communications (Điều 10) and its ICT Center with a 7-member operating team (Điều 8); what it does not name is
marked `demo`.
"""

from __future__ import annotations

import datetime as dt

from ioc.agencies.choices import DEMO_SOURCE, ActRole, AgencyKind
from ioc.demo.profiles import common
from ioc.demo.profiles.base import (
    Act,
    AgencySpec,
    CommuneCommittees,
    DomainSpec,
    DutySpec,
    Profile,
    Regulation,
    ReportSpec,
    StaffSpec,
)

ACT = Act(
    number="219/QĐ-UBND",
    date=dt.date(2023, 2, 15),
    issuing_body="Chủ tịch Ủy ban nhân dân tỉnh Cà Mau",
    title="Quy chế quản lý, vận hành Trung tâm Giám sát, điều hành thông minh tỉnh Cà Mau",
    signer="Nguyễn Minh Luân (KT. Chủ tịch, Phó Chủ tịch)",
)

AGENCIES = (
    # The act issues from the Chairman and reports go to the provincial People's Committee (Điều 10.8), but it
    # names no owner body: the committee's role is the demo's.
    AgencySpec(
        "ubnd-tinh-ca-mau",
        "Ủy ban nhân dân tỉnh Cà Mau",
        AgencyKind.PEOPLES_COMMITTEE,
        roles=((ActRole.OWNER, DEMO_SOURCE),),
        short_name="UBND tỉnh",
        name_en="Cà Mau Provincial People's Committee",
    ),
    # Điều 10.1: directs, monitors and inspects the center's management and operation.
    AgencySpec(
        "so-tttt",
        "Sở Thông tin và Truyền thông",
        AgencyKind.DEPARTMENT,
        roles=((ActRole.MANAGING, "000:10.1"),),
        short_name="Sở TT&TT",
        name_en="Department of Information and Communications",
    ),
    # Điều 8.1: the ICT Center under the Department manages and operates the IOC.
    AgencySpec(
        "tt-cntt-tt",
        "Trung tâm Công nghệ thông tin và Truyền thông",
        AgencyKind.CENTER,
        roles=((ActRole.OPERATING, "000:8.1"),),
        parent="so-tttt",
        short_name="TT CNTT&TT",
        name_en="Information and Communication Technology Center",
    ),
    # Điều 8.2: the operating team of 07 public employees, directly managed by the ICT Center.
    AgencySpec(
        "to-qlvh-ioc",
        "Tổ Quản lý, vận hành Trung tâm IOC",
        AgencyKind.OTHER,
        roles=((ActRole.OPERATING, "000:8.2"),),
        parent="tt-cntt-tt",
        short_name="Tổ QLVH IOC",
        name_en="IOC Management and Operation Team",
    ),
    AgencySpec(
        "vp-ubnd-tinh",
        "Văn phòng Ủy ban nhân dân tỉnh",
        AgencyKind.OFFICE,
        roles=((ActRole.COORDINATING, "000:9.1"),),
        parent="ubnd-tinh-ca-mau",
        short_name="VP UBND tỉnh",
        name_en="Office of the Provincial People's Committee",
    ),
    AgencySpec(
        "so-noi-vu",
        "Sở Nội vụ",
        AgencyKind.DEPARTMENT,
        roles=((ActRole.COORDINATING, "000:11.1"),),
        name_en="Department of Home Affairs",
    ),
    AgencySpec(
        "so-tai-chinh",
        "Sở Tài chính",
        AgencyKind.DEPARTMENT,
        roles=((ActRole.COORDINATING, "000:12"),),
        name_en="Department of Finance",
    ),
    # Điều 13 binds "các sở, ban, ngành tỉnh" without naming them: the departments the demo's domains need.
    *common.demo_departments("cong-an-tinh", "so-y-te", "so-gd-dt", "so-nn-mt", "so-xay-dung"),
)

# The act (2023) binds the district People's Committees, which no longer exist; the 2025 commune committees
# that replaced them are the demo's processing units.
COMMUNES = CommuneCommittees(
    preferred_codes=("32002", "32014", "32025", "32041"), count=4, role=ActRole.PROCESSING, source=DEMO_SOURCE
)

ADMIN, ACCOUNTS = common.standard_accounts(
    center="to-qlvh-ioc",
    center_title="Tổ trưởng Tổ Quản lý, vận hành Trung tâm IOC",
    leader="ubnd-tinh-ca-mau",
    leader_title="Phó Chủ tịch UBND tỉnh",
    police="cong-an-tinh",
    police_title="Công an tỉnh",
)

REGULATION = Regulation(
    duties=(
        DutySpec(
            "giam-sat-dich-vu",
            "Giám sát, vận hành các dịch vụ của hệ thống IOC",
            "000:7.1",
            "to-qlvh-ioc",
            "url:web:home",
        ),
        DutySpec(
            "kho-du-lieu",
            "Quản trị kho dữ liệu dùng chung của hệ thống IOC",
            "000:7.2",
            "to-qlvh-ioc",
            "url:datahub:index",
        ),
        DutySpec(
            "ung-cuu-su-co-mang",
            "Tham gia ứng cứu khẩn cấp, giám sát an toàn thông tin trên không gian mạng",
            "000:7.4",
            "to-qlvh-ioc",
            "url:cybersecurity:index",
        ),
        DutySpec(
            "quan-ly-tai-san",
            "Quản lý tài sản, thiết bị được giao tại Trung tâm IOC",
            "000:7.6",
            "to-qlvh-ioc",
            "url:operations:asset_list",
        ),
        DutySpec(
            "tong-hop-du-lieu",
            "Tổng hợp, thu thập, tích hợp, kết nối dữ liệu của các sở, ngành, địa phương",
            "000:7.7",
            "to-qlvh-ioc",
            "url:datahub:connectors",
        ),
        DutySpec(
            "phan-tich-du-bao",
            "Tổng hợp, phân tích, đánh giá, dự báo thông tin phục vụ ra quyết định",
            "000:7.8",
            "to-qlvh-ioc",
            "url:indicators:index",
        ),
        DutySpec(
            "bao-cao-dinh-ky",
            "Báo cáo định kỳ tháng, quý, 6 tháng, năm và đột xuất về hoạt động IOC",
            "000:7.9",
            "to-qlvh-ioc",
            "url:reporting:index",
        ),
        DutySpec(
            "cap-nhat-du-lieu-nganh",
            "Cập nhật và chia sẻ dữ liệu chuyên ngành đúng, đủ, sạch, sống",
            "000:13.1",
            "",
            "url:datahub:index",
        ),
        DutySpec(
            "tiep-nhan-xu-ly",
            "Đầu mối tiếp nhận, xử lý, phản hồi kết quả thông tin từ IOC",
            "000:13.4",
            "",
            "url:assignments:inbox",
        ),
        DutySpec(
            "tuong-tac-cong-dan",
            "Tương tác giao tiếp phục vụ công dân",
            "000:15.3d",
            "to-qlvh-ioc",
            "url:citizen_reports:staff_index",
        ),
        DutySpec(
            "thong-tin-internet",
            "Giám sát an ninh, an toàn thông tin và thông tin trên Internet",
            "000:15.3i",
            "to-qlvh-ioc",
            "url:media_watch:feed",
        ),
        DutySpec(
            "bao-su-co",
            "Thông báo lãnh đạo khi phát sinh sự cố, phối hợp xử lý và xác nhận kết quả",
            "000:15.6",
            "to-qlvh-ioc",
            "url:incidents:index",
        ),
        DutySpec(
            "dao-tao-chuyen-giao",
            "Tiếp nhận, tham gia đào tạo chuyển giao công nghệ để vận hành Trung tâm IOC",
            "000:7.3",
            "to-qlvh-ioc",
            "url:operations:staff_list",
        ),
        DutySpec(
            "to-qlvh-07-vien-chuc",
            "Tổ Quản lý, vận hành Trung tâm IOC gồm 07 viên chức",
            "000:8.2",
            "tt-cntt-tt",
            "url:operations:staff_list",
        ),
    ),
    domains=(
        DomainSpec("kinh-te-xa-hoi", "Chỉ tiêu kinh tế - xã hội", "000:15.3a"),
        DomainSpec("an-ninh-trat-tu-giao-thong", "An ninh trật tự và giao thông đô thị", "000:15.3b"),
        DomainSpec("hieu-qua-chinh-quyen", "Hiệu quả hoạt động của chính quyền", "000:15.3c"),
        DomainSpec("tuong-tac-cong-dan", "Tương tác giao tiếp phục vụ công dân", "000:15.3d"),
        DomainSpec("giao-duc", "Giáo dục", "000:15.3đ"),
        DomainSpec("y-te", "Y tế", "000:15.3e"),
        DomainSpec("du-lich", "Du lịch", "000:15.3g"),
        DomainSpec("tai-nguyen-moi-truong", "Tài nguyên, môi trường", "000:15.3h"),
        DomainSpec("an-toan-thong-tin", "An ninh, an toàn thông tin và thông tin trên Internet", "000:15.3i"),
    ),
    reports=(
        ReportSpec(
            "thang",
            "Báo cáo tháng về hoạt động, vận hành Trung tâm IOC",
            "monthly",
            "000:7.9",
            "Sở Thông tin và Truyền thông",
        ),
        ReportSpec("quy", "Báo cáo quý", "quarterly", "000:7.9", "Sở Thông tin và Truyền thông"),
        ReportSpec("sau-thang", "Báo cáo 6 tháng", "half_yearly", "000:7.9", "Sở Thông tin và Truyền thông"),
        ReportSpec("nam", "Báo cáo năm", "yearly", "000:7.9", "Sở Thông tin và Truyền thông"),
        ReportSpec("dot-xuat", "Báo cáo đột xuất", "ad_hoc", "000:14.4", "Sở Thông tin và Truyền thông"),
    ),
    staffing=(
        StaffSpec(
            "to-qlvh",
            "Viên chức Tổ Quản lý, vận hành Trung tâm IOC",
            7,
            "Trung tâm Công nghệ thông tin và Truyền thông",
            "000:8.2",
        ),
    ),
)  # The act sets no review meeting: it asks for reports (Điều 7.9) and rewards (Điều 17), nothing more.

PROFILE = Profile(
    key="ca-mau",
    seed_file="000_f895ae1a27dd15c2.txt",
    act=ACT,
    territory_name="Tỉnh Cà Mau",
    root_code="96",
    expected_communes=39,
    agencies=AGENCIES,
    communes=COMMUNES,
    admin=ADMIN,
    accounts=ACCOUNTS,
    screen=common.screen("Trung tâm Công nghệ thông tin và Truyền thông tỉnh Cà Mau"),
    systems=common.systems(
        lgsp_code="lgsp-ca-mau",
        lgsp_name="Trục tích hợp dữ liệu cấp tỉnh (LGSP)",
        lgsp_agency="so-tttt",
        lgsp_note="Điều 3.2: hệ thống IOC tích hợp phần mềm của các cơ quan qua LGSP và các API (dữ liệu mẫu).",
        app_agency="to-qlvh-ioc",
        app_note="Điều 15.3d: tương tác giao tiếp phục vụ công dân (dữ liệu mẫu).",
    ),
    level="province",
    locality="ca_mau_96",
    whole_province=False,
    former_ref="legacy:96",
    regulation=REGULATION,
)
