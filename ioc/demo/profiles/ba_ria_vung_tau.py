"""Bà Rịa - Vũng Tàu (R11): QĐ 5039/QĐ-UBND, 31/12/2021 — seed 004, the regulation of the pilot (until
31/3/2022). Territory: the 30 2025 communes of legacy province 77 (`localities.json` `ba_ria_vung_tau_77`), 30 of
the 168 communes of today's Hồ Chí Minh City (79); the legacy province and its districts are kept for history.
The Department of Information and Communications is the focal point (Điều 11); Viễn thông Bà Rịa - Vũng Tàu runs
the pilot with its staffing plan (Điều 9, 13); each listed department names one focal person (Điều 9); the center
works office hours (Điều 8) and agencies send templates on Mondays and Thursdays (Điều 15.2).
"""

from __future__ import annotations

import datetime as dt

from ioc.agencies.choices import DEMO_SOURCE, ActRole, AgencyKind
from ioc.demo.profiles import common
from ioc.demo.profiles.base import (
    Act,
    AgencySpec,
    CadenceSpec,
    CommuneCommittees,
    DomainSpec,
    DutySpec,
    HoursSpec,
    MeetingSpec,
    Profile,
    Regulation,
    ReportSpec,
    StaffSpec,
)

ACT = Act(
    number="5039/QĐ-UBND",
    date=dt.date(2021, 12, 31),
    issuing_body="Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu",
    title="Quy chế quản lý, khai thác và vận hành Trung tâm giám sát, điều hành đô thị thông minh tỉnh "
    "Bà Rịa - Vũng Tàu trong giai đoạn thử nghiệm",
    valid_until=dt.date(2022, 3, 31),
)


def _focal(code: str, name: str, kind: str, name_en: str, **extra: object) -> AgencySpec:
    """Điều 9: a department that names one focal person per domain to work with Viễn thông BR-VT."""
    return AgencySpec(code, name, kind, roles=((ActRole.COORDINATING, "004:9"),), name_en=name_en, **extra)  # type: ignore[arg-type]


AGENCIES = (
    # The act serves the provincial People's Committee's direction (Điều 3.6) but names no owner body.
    AgencySpec(
        "ubnd-tinh-brvt",
        "Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu",
        AgencyKind.PEOPLES_COMMITTEE,
        roles=((ActRole.OWNER, DEMO_SOURCE),),
        short_name="UBND tỉnh",
        name_en="Bà Rịa - Vũng Tàu Provincial People's Committee",
    ),
    # Điều 11.1: the focal point organising and managing the IOC's operation.
    AgencySpec(
        "so-tttt",
        "Sở Thông tin và Truyền thông",
        AgencyKind.DEPARTMENT,
        roles=((ActRole.MANAGING, "004:11.1"),),
        short_name="Sở TT&TT",
        name_en="Department of Information and Communications",
    ),
    # Điều 8: the center is a part of the Department, in Hall C2, working office hours.
    AgencySpec(
        "ioc-tinh",
        "Trung tâm giám sát, điều hành đô thị thông minh tỉnh",
        AgencyKind.CENTER,
        roles=((ActRole.OPERATING, "004:8"),),
        parent="so-tttt",
        short_name="IOC tỉnh",
        name_en="Provincial Smart City Operations Center",
    ),
    # Điều 9, 13: runs the pilot (deputy leader, administrator, 4 domain monitors) and bears its costs (10.3).
    AgencySpec(
        "vnpt-brvt",
        "Viễn thông Bà Rịa - Vũng Tàu",
        AgencyKind.OTHER,
        roles=((ActRole.OPERATING, "004:9"),),
        short_name="VNPT BR-VT",
        name_en="VNPT Bà Rịa - Vũng Tàu",
    ),
    AgencySpec(
        "tt-cntt-tt",
        "Trung tâm Công nghệ thông tin và Truyền thông tỉnh",
        AgencyKind.CENTER,
        roles=((ActRole.COORDINATING, "004:9"),),
        parent="so-tttt",
        short_name="TT CNTT&TT",
        name_en="Provincial ICT Center",
    ),
    AgencySpec(
        "bql-tthc-ct",
        "Ban Quản lý Trung tâm Hành chính - Chính trị tỉnh",
        AgencyKind.OTHER,
        roles=((ActRole.COORDINATING, "004:12"),),
        short_name="BQL TTHC-CT",
        name_en="Provincial Administrative-Political Center Management Board",
    ),
    _focal(
        "vp-ubnd-tinh",
        "Văn phòng Ủy ban nhân dân tỉnh",
        AgencyKind.OFFICE,
        "Office of the Provincial People's Committee",
        short_name="VP UBND tỉnh",
    ),
    _focal("so-y-te", "Sở Y tế", AgencyKind.DEPARTMENT, "Department of Health", works_24x7=True),
    _focal(
        "so-gd-dt",
        "Sở Giáo dục và Đào tạo",
        AgencyKind.DEPARTMENT,
        "Department of Education and Training",
        short_name="Sở GD&ĐT",
    ),
    _focal("so-du-lich", "Sở Du lịch", AgencyKind.DEPARTMENT, "Department of Tourism"),
    _focal(
        "so-tn-mt",
        "Sở Tài nguyên và Môi trường",
        AgencyKind.DEPARTMENT,
        "Department of Natural Resources and Environment",
        short_name="Sở TN&MT",
    ),
    _focal(
        "so-khdt",
        "Sở Kế hoạch và Đầu tư",
        AgencyKind.DEPARTMENT,
        "Department of Planning and Investment",
        short_name="Sở KH&ĐT",
    ),
    _focal("so-tai-chinh", "Sở Tài chính", AgencyKind.DEPARTMENT, "Department of Finance"),
    _focal(
        "tt-phvhcc",
        "Trung tâm Phục vụ hành chính công tỉnh",
        AgencyKind.CENTER,
        "Provincial Public Administration Service Center",
        short_name="TT PVHCC",
    ),
    _focal("cong-an-tinh", "Công an tỉnh", AgencyKind.POLICE, "Provincial Police", works_24x7=True),
    _focal("cuc-thong-ke", "Cục Thống kê tỉnh", AgencyKind.OTHER, "Provincial Statistics Office"),
    # Not named in the act: the construction department the demo's citizen reports need.
    *common.demo_departments("so-xay-dung"),
)

# The act binds the district committees (Điều 2.1, 3.7); the 2025 commune committees are the demo's.
COMMUNES = CommuneCommittees(
    preferred_codes=("26506", "26560", "26526", "26704"), count=4, role=ActRole.PROCESSING, source=DEMO_SOURCE
)

ADMIN, ACCOUNTS = common.standard_accounts(
    center="ioc-tinh",
    center_title="Tổ trưởng Trung tâm giám sát, điều hành đô thị thông minh tỉnh",
    leader="ubnd-tinh-brvt",
    leader_title="Phó Chủ tịch UBND tỉnh",
    police="cong-an-tinh",
    police_title="Công an tỉnh",
)

REGULATION = Regulation(
    duties=(
        DutySpec(
            "kinh-te-xa-hoi",
            "Giám sát, điều hành các chỉ tiêu kinh tế - xã hội; phân tích, dự báo",
            "004:6.1",
            "ioc-tinh",
            "url:indicators:index",
        ),
        DutySpec(
            "nganh-linh-vuc",
            "Giám sát, điều hành y tế, du lịch, giáo dục, tài nguyên và môi trường",
            "004:6.2",
            "ioc-tinh",
            "url:sensors:states",
        ),
        DutySpec(
            "phan-anh-hien-truong",
            "Tiếp nhận phản ánh của người dân 24/24 giờ, 7 ngày/tuần",
            "004:6.3",
            "ioc-tinh",
            "url:citizen_reports:public_report_create",
        ),
        DutySpec(
            "hanh-chinh-cong",
            "Giám sát, điều hành lĩnh vực hành chính công",
            "004:6.4",
            "ioc-tinh",
            "url:dossiers:violation_list",
        ),
        DutySpec(
            "an-ninh-trat-tu",
            "Giám sát an ninh, trật tự công cộng qua camera",
            "004:6.5",
            "ioc-tinh",
            "url:incidents:index",
        ),
        DutySpec(
            "mang-xa-hoi", "Giám sát, điều hành thông tin mạng xã hội", "004:6.6", "ioc-tinh", "url:media_watch:feed"
        ),
        DutySpec(
            "an-toan-thong-tin",
            "Giám sát, điều hành an toàn thông tin",
            "004:6.7",
            "ioc-tinh",
            "url:cybersecurity:index",
        ),
        DutySpec(
            "bao-cao-thang-quy",
            "Hàng tháng, quý tổng hợp tình hình xử lý thông tin báo cáo UBND tỉnh",
            "004:11.3",
            "so-tttt",
            "url:reporting:index",
        ),
        DutySpec(
            "he-thong-thong-suot",
            "Bảo đảm hệ thống IOC hoạt động thông suốt, không gián đoạn",
            "004:13.3",
            "vnpt-brvt",
            "url:web:readyz",
        ),
        DutySpec(
            "bieu-mau-thu-2-5",
            "Cung cấp dữ liệu theo biểu mẫu 02 lần/tuần vào thứ 2 và thứ 5",
            "004:15.2",
            "",
            "url:datahub:index",
        ),
        DutySpec(
            "xu-ly-thong-tin",
            "Xử lý thông tin nhận từ IOC tỉnh và thông báo tình trạng xử lý",
            "004:15.4",
            "",
            "url:assignments:inbox",
        ),
        DutySpec("giao-ban", "Họp giao ban về các hoạt động của IOC tỉnh", "004:16.1", "so-tttt", ""),
        DutySpec(
            "truc-gio-hanh-chinh",
            "Trực vận hành IOC tỉnh theo giờ hành chính",
            "004:8",
            "ioc-tinh",
            "url:operations:roster_list",
        ),
        DutySpec(
            "to-trien-khai-thi-diem",
            "Tổ triển khai thí điểm vận hành IOC tỉnh",
            "004:9",
            "ioc-tinh",
            "url:operations:staff_list",
        ),
        DutySpec(
            "ho-tro-kiem-nhiem",
            "Hỗ trợ kinh phí cho nhân sự kiêm nhiệm làm việc tại IOC tỉnh",
            "004:10.1",
            "",
            "url:operations:sheet_list",
        ),
        DutySpec(
            "bao-tri-thiet-bi",
            "Vận hành, bảo trì, bảo dưỡng thiết bị của IOC tỉnh",
            "004:10.3",
            "vnpt-brvt",
            "url:operations:asset_list",
        ),
    ),
    domains=(
        DomainSpec("kinh-te-xa-hoi", "Chỉ tiêu kinh tế - xã hội", "004:6.1"),
        DomainSpec("nganh-linh-vuc", "Y tế, du lịch, giáo dục và đào tạo, tài nguyên và môi trường", "004:6.2"),
        DomainSpec("phan-anh-hien-truong", "Giao tiếp công dân (phản ánh hiện trường)", "004:6.3"),
        DomainSpec("hanh-chinh-cong", "Hành chính công", "004:6.4"),
        DomainSpec("an-ninh-trat-tu", "An ninh, trật tự công cộng", "004:6.5"),
        DomainSpec("mang-xa-hoi", "Thông tin mạng xã hội", "004:6.6"),
        DomainSpec("an-toan-thong-tin", "An toàn thông tin", "004:6.7"),
    ),
    reports=(
        ReportSpec(
            "thang", "Báo cáo tháng quá trình hoạt động của IOC tỉnh", "monthly", "004:16.2", "Ủy ban nhân dân tỉnh"
        ),
        ReportSpec(
            "quy", "Báo cáo quý tình hình xử lý thông tin", "quarterly", "004:11.3", "Lãnh đạo Ủy ban nhân dân tỉnh"
        ),
        ReportSpec("dot-xuat", "Báo cáo đột xuất", "ad_hoc", "004:16.2", "Ủy ban nhân dân tỉnh"),
    ),
    cadence=CadenceSpec((1, 4), "Biểu mẫu dữ liệu 02 lần/tuần, thứ 2 và thứ 5 (khi chưa kết nối tự động)", "004:15.2"),
    meetings=(
        MeetingSpec(
            "danh-gia-thu-nghiem",
            "Đánh giá kết quả khi hết giai đoạn thử nghiệm",
            "ad_hoc",
            "Sở Thông tin và Truyền thông",
            "004:16.3",
        ),
    ),
    staffing=(
        StaffSpec("to-truong", "Tổ trưởng (kiêm nhiệm)", 1, "Sở Thông tin và Truyền thông", "004:9"),
        StaffSpec(
            "to-pho-thuong-truc",
            "Tổ phó thường trực (kiêm nhiệm)",
            1,
            "Trung tâm Công nghệ thông tin và Truyền thông tỉnh",
            "004:9",
        ),
        StaffSpec("to-pho", "Tổ phó", 1, "Viễn thông Bà Rịa - Vũng Tàu", "004:9"),
        StaffSpec("quan-tri-he-thong", "Quản trị hệ thống", 1, "Viễn thông Bà Rịa - Vũng Tàu", "004:9"),
        StaffSpec(
            "theo-doi-linh-vuc",
            "Nhân sự theo dõi chỉ số, thông tin các lĩnh vực",
            4,
            "Viễn thông Bà Rịa - Vũng Tàu",
            "004:9",
        ),
        StaffSpec(
            "dau-moi-so-nganh",
            "Đầu mối của mỗi cơ quan, mỗi lĩnh vực",
            11,
            "11 cơ quan, đơn vị nêu tại Điều 9",
            "004:9",
        ),
    ),
    hours=HoursSpec("ioc-tinh", around_the_clock=False, source="004:8"),
)

PROFILE = Profile(
    key="ba-ria-vung-tau",
    seed_file="004_6f739ca5f86cb2ea.txt",
    act=ACT,
    territory_name="Tỉnh Bà Rịa - Vũng Tàu",
    root_code="79",
    expected_communes=30,
    agencies=AGENCIES,
    communes=COMMUNES,
    admin=ADMIN,
    accounts=ACCOUNTS,
    screen=common.screen("Hội trường C2, Trung tâm Hội nghị tỉnh Bà Rịa - Vũng Tàu"),
    systems=common.systems(
        lgsp_code="lgsp-brvt",
        lgsp_name="Trung tâm tích hợp dữ liệu tỉnh",
        lgsp_agency="so-tttt",
        lgsp_note="Điều 15.2: dữ liệu chia sẻ, kết nối tự động theo thời gian thực với IOC tỉnh (dữ liệu mẫu).",
        app_agency="ioc-tinh",
        app_note="Điều 6.3: tiếp nhận phản ánh qua web, thư điện tử, tổng đài, ứng dụng di động (dữ liệu mẫu).",
    ),
    level="province",
    locality="ba_ria_vung_tau_77",
    whole_province=False,
    former_ref="legacy:77",
    agency_aliases=(("so-nn-mt", "so-tn-mt"),),
    regulation=REGULATION,
)
