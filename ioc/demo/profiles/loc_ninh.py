"""Lộc Ninh (R11): QĐ 4037/QĐ-UBND, 29/08/2024 of the Lộc Ninh district People's Committee — seed 003.
A district-level IOC. Territory: the 7 2025 communes that took legacy district 692 of Bình Phước
(`localities.json` `loc_ninh_binh_phuoc_70`), 7 of the 95 communes of today's Đồng Nai (75); the former district
and its 16 communes are kept for history. Điều 3 names the owner (UBND huyện), the managing and operating body
(Văn phòng HĐND và UBND huyện) and the coordinating units; Điều 6.4 links it to the provincial IOC.
"""

from __future__ import annotations

import datetime as dt

from ioc.agencies.choices import DEMO_SOURCE, ActRole, AgencyKind
from ioc.demo.profiles.base import (
    Act,
    AgencySpec,
    AllowanceSpec,
    CommuneCommittees,
    DomainSpec,
    DutySpec,
    MeetingSpec,
    Profile,
    Regulation,
    ReportSpec,
    StaffSpec,
)
from ioc.demo.profiles.common import screen, standard_accounts, systems

ACT = Act(
    number="4037/QĐ-UBND",
    date=dt.date(2024, 8, 29),
    issuing_body="Chủ tịch Ủy ban nhân dân huyện Lộc Ninh",
    title="Quy chế quản lý, khai thác và vận hành Trung tâm Điều hành thông minh huyện Lộc Ninh",
    signer="Nguyễn Gia Hòa (Chủ tịch)",
)

AGENCIES = (
    AgencySpec(
        "ubnd-huyen-loc-ninh",
        "Ủy ban nhân dân huyện Lộc Ninh",
        AgencyKind.PEOPLES_COMMITTEE,
        roles=((ActRole.OWNER, "003:3.8"),),
        short_name="UBND huyện",
        name_en="Lộc Ninh District People's Committee",
    ),
    # Điều 3.9: the body that manages and operates the center (its staff: Điều 8.1).
    AgencySpec(
        "vp-hdnd-ubnd-huyen",
        "Văn phòng HĐND và UBND huyện",
        AgencyKind.OFFICE,
        roles=((ActRole.MANAGING, "003:3.9"), (ActRole.OPERATING, "003:7.2")),
        parent="ubnd-huyen-loc-ninh",
        short_name="VP HĐND-UBND huyện",
        name_en="Office of the District People's Council and People's Committee",
    ),
    # Điều 3.10: the units that coordinate its management and operation.
    AgencySpec(
        "phong-vh-tt",
        "Phòng Văn hóa và Thông tin huyện",
        AgencyKind.DEPARTMENT,
        roles=((ActRole.COORDINATING, "003:3.10"),),
        short_name="Phòng VH&TT",
        name_en="District Culture and Information Office",
    ),
    AgencySpec(
        "cong-an-huyen",
        "Công an huyện Lộc Ninh",
        AgencyKind.POLICE,
        roles=((ActRole.COORDINATING, "003:3.10"),),
        short_name="Công an huyện",
        name_en="Lộc Ninh District Police",
        works_24x7=True,
    ),
    AgencySpec(
        "vnpt-binh-phuoc",
        "VNPT Bình Phước",
        AgencyKind.OTHER,
        roles=((ActRole.COORDINATING, "003:3.10"),),
        name_en="VNPT Bình Phước (technical partner)",
    ),
    # Điều 6.4 and 11.3: data shared with the provincial IOC (the federation link).
    AgencySpec(
        "ioc-tinh",
        "Trung tâm Điều hành thông minh tỉnh (IOC tỉnh)",
        AgencyKind.CENTER,
        roles=((ActRole.COORDINATING, "003:6.4"),),
        short_name="IOC tỉnh",
        name_en="Provincial Intelligent Operations Center",
    ),
    # Not named in the act: district offices the demo's domains need (Điều 6.7 lists health and education).
    AgencySpec(
        "phong-kt-ht-dt",
        "Phòng Kinh tế, Hạ tầng và Đô thị huyện",
        AgencyKind.DEPARTMENT,
        roles=((ActRole.PROCESSING, DEMO_SOURCE),),
        short_name="Phòng KT-HT&ĐT",
        name_en="District Economy, Infrastructure and Urban Office",
    ),
    AgencySpec(
        "phong-nn-mt",
        "Phòng Nông nghiệp và Môi trường huyện",
        AgencyKind.DEPARTMENT,
        roles=((ActRole.PROCESSING, DEMO_SOURCE),),
        short_name="Phòng NN&MT",
        name_en="District Agriculture and Environment Office",
    ),
    AgencySpec(
        "trung-tam-y-te",
        "Trung tâm Y tế huyện",
        AgencyKind.CENTER,
        roles=((ActRole.PROCESSING, DEMO_SOURCE),),
        short_name="TTYT huyện",
        name_en="District Health Center",
        works_24x7=True,
    ),
    AgencySpec(
        "phong-gd-dt",
        "Phòng Giáo dục và Đào tạo huyện",
        AgencyKind.DEPARTMENT,
        roles=((ActRole.PROCESSING, DEMO_SOURCE),),
        short_name="Phòng GD&ĐT",
        name_en="District Education and Training Office",
    ),
)

# Điều 10: "UBND các xã, thị trấn" process what the center sends them (10.2).
COMMUNES = CommuneCommittees(
    preferred_codes=("25270", "25279", "25280", "25292"), count=4, role=ActRole.PROCESSING, source="003:10.2"
)

ADMIN, ACCOUNTS = standard_accounts(
    center="vp-hdnd-ubnd-huyen",
    center_title="Lãnh đạo phụ trách quản lý IOC huyện",
    leader="ubnd-huyen-loc-ninh",
    leader_title="Phó Chủ tịch UBND huyện",
    police="cong-an-huyen",
    police_title="Công an huyện",
)

REGULATION = Regulation(
    duties=(
        DutySpec(
            "van-hanh",
            "Triển khai thực hiện vận hành Trung tâm IOC huyện",
            "003:6.1",
            "vp-hdnd-ubnd-huyen",
            "url:web:home",
        ),
        DutySpec(
            "cap-nhat-du-lieu",
            "Bảo đảm kết nối, cập nhật dữ liệu thường xuyên, định kỳ, chính xác",
            "003:6.3",
            "vp-hdnd-ubnd-huyen",
            "url:datahub:index",
        ),
        DutySpec(
            "lien-thong-ioc-tinh",
            "Kết nối, liên thông chia sẻ dữ liệu với IOC tỉnh",
            "003:6.4",
            "vp-hdnd-ubnd-huyen",
            "url:federation:index",
        ),
        DutySpec(
            "quan-ly-tai-san",
            "Quản lý tài sản, thiết bị được giao tại Trung tâm IOC huyện",
            "003:6.5",
            "vp-hdnd-ubnd-huyen",
            "url:operations:asset_list",
        ),
        DutySpec(
            "bao-cao-thang-quy",
            "Báo cáo định kỳ tháng, quý tình hình hoạt động, vận hành Trung tâm IOC",
            "003:6.6",
            "vp-hdnd-ubnd-huyen",
            "url:reporting:index",
        ),
        DutySpec(
            "dau-moi-tong-hop",
            "Đầu mối tổng hợp dịch vụ công, phản ánh hiện trường, y tế, giáo dục",
            "003:6.7",
            "vp-hdnd-ubnd-huyen",
            "url:citizen_reports:staff_index",
        ),
        DutySpec(
            "chia-se-du-lieu",
            "Cập nhật, chia sẻ dữ liệu mặc định và theo yêu cầu đặc thù",
            "003:10.1",
            "",
            "url:datahub:index",
        ),
        DutySpec(
            "xu-ly-thong-tin",
            "Xử lý thông tin nhận từ Trung tâm IOC và thông báo tình trạng xử lý",
            "003:10.2",
            "",
            "url:assignments:inbox",
        ),
        DutySpec(
            "phan-quyen",
            "Tổ chức quản lý phân quyền chia sẻ dữ liệu, kết nối về Trung tâm IOC",
            "003:11.2",
            "vp-hdnd-ubnd-huyen",
            "url:accounts:requests",
        ),
        DutySpec(
            "an-toan-thong-tin",
            "Bảo đảm an toàn thông tin hệ thống đường truyền, dữ liệu",
            "003:11.4",
            "vp-hdnd-ubnd-huyen",
            "url:cybersecurity:index",
        ),
        DutySpec(
            "bao-cao-ngay-25",
            "Báo cáo tháng trước ngày 25, báo cáo quý trước ngày 25 tháng cuối quý",
            "003:11.6",
            "vp-hdnd-ubnd-huyen",
            "url:reporting:index",
        ),
        DutySpec(
            "hop-6-thang",
            "Họp 6 tháng với các cơ quan, đơn vị; kiểm điểm hằng năm",
            "003:14.2",
            "vp-hdnd-ubnd-huyen",
            "",
        ),
        DutySpec(
            "nhan-su-kiem-nhiem",
            "Nhân sự làm việc tại Trung tâm IOC theo chế độ kiêm nhiệm",
            "003:7.1",
            "vp-hdnd-ubnd-huyen",
            "url:operations:staff_list",
        ),
        DutySpec(
            "ho-tro-hang-thang",
            "Hỗ trợ hằng tháng cho người làm việc tại và làm nhiệm vụ của Trung tâm IOC",
            "003:9",
            "",
            "url:operations:sheet_list",
        ),
        DutySpec(
            "tap-huan",
            "Cử cán bộ tham gia tập huấn vận hành, khai thác Trung tâm IOC",
            "003:10.4",
            "",
            "url:operations:staff_list",
        ),
        DutySpec(
            "du-toan-kinh-phi",
            "Lập dự toán kinh phí hoạt động của Trung tâm IOC",
            "003:11.5",
            "vp-hdnd-ubnd-huyen",
            "url:operations:estimate",
        ),
    ),
    domains=(
        DomainSpec("dich-vu-cong", "Dịch vụ công", "003:6.7"),
        DomainSpec("phan-anh-hien-truong", "Phản ánh hiện trường", "003:6.7"),
        DomainSpec("y-te", "Y tế", "003:6.7"),
        DomainSpec("giao-duc", "Giáo dục", "003:6.7"),
    ),
    reports=(
        ReportSpec(
            "thang",
            "Báo cáo tháng tình hình hoạt động Trung tâm IOC huyện",
            "monthly",
            "003:11.6",
            "Ủy ban nhân dân huyện và Sở Thông tin và Truyền thông",
            due_day=25,
            due_rule="Trước ngày 25 hằng tháng",
        ),
        ReportSpec(
            "quy",
            "Báo cáo quý tình hình hoạt động Trung tâm IOC huyện",
            "quarterly",
            "003:11.6",
            "Ủy ban nhân dân huyện và Sở Thông tin và Truyền thông",
            due_day=25,
            due_rule="Trước ngày 25 của tháng cuối quý",
        ),
        ReportSpec("dot-xuat", "Báo cáo chuyên đề, đột xuất", "ad_hoc", "003:11.6", "Ủy ban nhân dân huyện"),
    ),
    meetings=(
        MeetingSpec(
            "hop-6-thang",
            "Họp trao đổi quản lý, điều hành Trung tâm IOC huyện",
            "half_yearly",
            "Văn phòng HĐND và UBND huyện",
            "003:14.2",
        ),
        MeetingSpec(
            "kiem-diem-nam",
            "Kiểm điểm, đánh giá kết quả thực hiện Quy chế",
            "yearly",
            "Văn phòng HĐND và UBND huyện",
            "003:14.2",
        ),
    ),
    allowances=(
        AllowanceSpec(
            "truc-tiep", "Cán bộ, công chức, viên chức trực tiếp làm việc tại Trung tâm IOC huyện", 1_000_000, "003:9"
        ),
        AllowanceSpec(
            "gian-tiep",
            "Cán bộ, công chức, viên chức thực hiện nhiệm vụ của Trung tâm nhưng không "
            "trực tiếp làm việc tại Trung tâm",
            500_000,
            "003:9",
        ),
    ),
    staffing=(
        StaffSpec("lanh-dao", "Lãnh đạo phụ trách quản lý IOC huyện", 1, "Văn phòng HĐND và UBND huyện", "003:8.1"),
        StaffSpec(
            "chuyen-vien-cntt",
            "Chuyên viên (cử nhân công nghệ thông tin)",
            1,
            "Văn phòng HĐND và UBND huyện",
            "003:8.1",
        ),
        StaffSpec(
            "chuyen-vien-kinh-te",
            "Chuyên viên phụ trách kinh tế tổng hợp",
            1,
            "Văn phòng HĐND và UBND huyện",
            "003:8.1",
        ),
    ),
)

PROFILE = Profile(
    key="loc-ninh",
    seed_file="003_22177f35bc96b2fc.txt",
    act=ACT,
    territory_name="Huyện Lộc Ninh",
    root_code="75",
    expected_communes=7,
    agencies=AGENCIES,
    communes=COMMUNES,
    admin=ADMIN,
    accounts=ACCOUNTS,
    screen=screen("Trung tâm Điều hành thông minh huyện Lộc Ninh"),
    systems=systems(
        lgsp_code="lgsp-binh-phuoc",
        lgsp_name="Nền tảng tích hợp, chia sẻ dữ liệu (kết nối IOC tỉnh)",
        lgsp_agency="vnpt-binh-phuoc",
        lgsp_note="Điều 6.4, 11.3: kết nối, chia sẻ liên thông Trung tâm IOC huyện với IOC tỉnh (dữ liệu mẫu).",
        app_agency="vp-hdnd-ubnd-huyen",
        app_note="Điều 6.7: đầu mối tổng hợp phản ánh hiện trường (dữ liệu mẫu).",
    ),
    level="district",
    locality="loc_ninh_binh_phuoc_70",
    whole_province=False,
    former_ref="legacy:692",
    agency_aliases=(
        ("cong-an-tinh", "cong-an-huyen"),
        ("so-xay-dung", "phong-kt-ht-dt"),
        ("so-nn-mt", "phong-nn-mt"),
        ("so-y-te", "trung-tam-y-te"),
        ("so-gd-dt", "phong-gd-dt"),
    ),
    regulation=REGULATION,
)
