"""Hưng Yên (R11): QĐ 1062/QĐ-UBND, 21/09/2025 — seed 002. Territory: the 2025 province 33 (104 communes,
former Hưng Yên and Thái Bình). Agencies and their roles cite the articles that name them; what the act does not
name is marked `demo`.
"""

from __future__ import annotations

import datetime as dt

from ioc.accounts.choices import Role
from ioc.agencies.choices import ActRole, AgencyKind
from ioc.demo.profiles import common
from ioc.demo.profiles.base import (
    AccountSpec,
    Act,
    AgencySpec,
    CommuneCommittees,
    DomainSpec,
    DutySpec,
    HoursSpec,
    MeetingSpec,
    Profile,
    Regulation,
    ReportSpec,
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
    *common.demo_departments("so-y-te", "so-gd-dt", "so-nn-mt", "so-xay-dung"),
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

_CENTER = "tt-thong-tin-hoi-nghi"
REGULATION = Regulation(
    duties=(
        DutySpec(
            "bao-cao-tu-ioc",
            "Báo cáo giao ban, chuyên đề, đột xuất kết xuất 100% từ IOC",
            "002:3.3",
            "",
            "url:reporting:index",
        ),
        DutySpec(
            "kho-du-lieu",
            "Kho dữ liệu dùng chung duy nhất toàn tỉnh \u201cđúng, đủ, sạch, sống\u201d",
            "002:5.1",
            _CENTER,
            "url:datahub:index",
        ),
        DutySpec(
            "kich-ban",
            "Xây dựng các kịch bản điều hành trực tuyến dựa trên dữ liệu",
            "002:6",
            "vp-ubnd-tinh",
            "url:scenarios:index",
        ),
        DutySpec(
            "mang-xa-hoi",
            "Giám sát, phân tích và kịp thời xử lý các thông tin phản ánh trên mạng xã hội",
            "002:6.5",
            _CENTER,
            "url:media_watch:feed",
        ),
        DutySpec(
            "tai-khoan-theo-van-ban",
            "Cấp, khóa, xóa tài khoản chỉ khi có văn bản đề nghị",
            "002:8.6",
            _CENTER,
            "url:accounts:requests",
        ),
        DutySpec(
            "kenh-tuong-tac",
            "Kênh tương tác giữa người dân, doanh nghiệp với chính quyền",
            "002:8.7",
            _CENTER,
            "url:citizen_reports:public_report_create",
        ),
        DutySpec(
            "dieu-phoi-phan-anh",
            "Điều phối, phân công xử lý phản ánh, kiến nghị qua các kênh trực tuyến",
            "002:10.1",
            "vp-ubnd-tinh",
            "url:citizen_reports:staff_index",
        ),
        DutySpec(
            "bo-chi-so",
            "Hệ thống các chỉ số giám sát theo thời gian thực",
            "002:10.3",
            "vp-ubnd-tinh",
            "url:indicators:index",
        ),
        DutySpec(
            "bao-cao-dinh-ky",
            "Báo cáo hàng quý, 6 tháng, 01 năm, đột xuất về hoạt động của IOC",
            "002:10.4",
            _CENTER,
            "url:reporting:index",
        ),
        DutySpec(
            "van-hanh-24-24",
            "Bảo đảm hệ thống hoạt động liên tục 24/24 giờ, sao lưu dự phòng",
            "002:12.2",
            _CENTER,
            "url:web:readyz",
        ),
        DutySpec(
            "phoi-hop-xu-ly",
            "Phối hợp tiếp nhận, điều phối xử lý phản ánh, kiến nghị",
            "002:12.6",
            _CENTER,
            "url:assignments:inbox",
        ),
        DutySpec(
            "sao-luu-bao-tri",
            "Sao lưu dữ liệu, bảo trì, khắc phục sự cố hệ thống",
            "002:12.7",
            _CENTER,
            "url:operations:change_list",
        ),
        DutySpec(
            "ket-noi-lgsp",
            "Kết nối, chia sẻ dữ liệu các hệ thống qua LGSP",
            "002:14.1",
            "so-khcn",
            "url:datahub:connectors",
        ),
        DutySpec(
            "an-toan-thong-tin",
            "Bảo đảm an toàn thông tin theo cấp độ",
            "002:14.2",
            "cong-an-tinh",
            "url:cybersecurity:index",
        ),
        DutySpec(
            "nhat-ky",
            "Người sử dụng chịu trách nhiệm về hoạt động trên tài khoản của mình",
            "002:10.5",
            "",
            "url:audit:entry_list",
        ),
        DutySpec("hop-dinh-ky", "Họp 6 tháng, 01 năm về quản lý, điều hành IOC", "002:17.2", "vp-ubnd-tinh", ""),
        DutySpec(
            "bao-duong-dinh-ky",
            "Kiểm tra, bảo dưỡng định kỳ thiết bị phần cứng và phần mềm",
            "002:7.1",
            "tt-thong-tin-hoi-nghi",
            "url:operations:asset_list",
        ),
        DutySpec(
            "thiet-bi-cuu-hoa",
            "Trang bị đầy đủ thiết bị cứu hỏa, phòng cháy, chữa cháy cho IOC",
            "002:7.2",
            "tt-thong-tin-hoi-nghi",
            "url:operations:asset_list",
        ),
        DutySpec(
            "nhan-luc-van-hanh",
            "Viên chức, người lao động quản trị, vận hành IOC; trưng tập khi cần",
            "002:11.1",
            "tt-thong-tin-hoi-nghi",
            "url:operations:staff_list",
        ),
        DutySpec(
            "lich-truc-24-24",
            "Lịch trực bảo đảm hệ thống hoạt động liên tục 24/24 giờ",
            "002:12.2",
            "tt-thong-tin-hoi-nghi",
            "url:operations:roster_list",
        ),
        DutySpec(
            "du-toan-van-hanh",
            "Kế hoạch, dự toán chi phí quản lý, vận hành IOC",
            "002:12.8",
            "tt-thong-tin-hoi-nghi",
            "url:operations:estimate",
        ),
        DutySpec(
            "chap-thuan-truoc",
            "Nâng cấp, sửa chữa hệ thống được cơ quan quản lý chấp thuận trước khi thực hiện",
            "002:16.2",
            "",
            "url:operations:change_list",
        ),
        DutySpec(
            "y-kien-he-thong-ket-noi",
            "Thay đổi liên quan hệ thống kết nối của cơ quan được cơ quan đó đồng ý",
            "002:16.3",
            "",
            "url:operations:change_list",
        ),
    ),
    domains=(
        DomainSpec("ban-do-so", "Dữ liệu lớp bản đồ số", "002:5.5a", "data_group"),
        DomainSpec(
            "nen-tang-uu-tien",
            "Dữ liệu lớp nền tảng ưu tiên (kinh tế - xã hội, dân cư, đất đai, nhà ở, tài chính, chính quyền)",
            "002:5.5b",
            "data_group",
        ),
        DomainSpec("ha-tang-do-thi", "Dữ liệu hiện trạng hạ tầng kỹ thuật đô thị", "002:5.5c", "data_group"),
        DomainSpec("chuyen-nganh", "Dữ liệu liên thông từ các hệ thống chuyên ngành", "002:5.5d", "data_group"),
        DomainSpec("quy-hoach", "Dữ liệu quy hoạch", "002:5.5đ", "data_group"),
        DomainSpec("iot", "Dữ liệu từ các thiết bị Internet vạn vật (IoT)", "002:5.5e", "data_group"),
        DomainSpec("kinh-te-xa-hoi", "Kịch bản điều hành kinh tế - xã hội", "002:6.1", "scenario_kind"),
        DomainSpec("nganh-linh-vuc", "Kịch bản điều hành theo ngành, lĩnh vực", "002:6.2", "scenario_kind"),
        DomainSpec("chuyen-de", "Kịch bản điều hành theo chuyên đề", "002:6.3", "scenario_kind"),
        DomainSpec("tuc-thoi", "Kịch bản điều hành tức thời", "002:6.4", "scenario_kind"),
        DomainSpec("tuong-tac", "Kịch bản tương tác người dân, doanh nghiệp", "002:6.5", "scenario_kind"),
    ),
    reports=(
        ReportSpec(
            "quy", "Báo cáo quý về tình hình hoạt động của IOC Hưng Yên", "quarterly", "002:10.4", "Lãnh đạo tỉnh"
        ),
        ReportSpec("sau-thang", "Báo cáo 6 tháng", "half_yearly", "002:10.4", "Lãnh đạo tỉnh"),
        ReportSpec("nam", "Báo cáo năm", "yearly", "002:10.4", "Lãnh đạo tỉnh"),
        ReportSpec(
            "dot-xuat", "Báo cáo đột xuất theo yêu cầu của lãnh đạo tỉnh", "ad_hoc", "002:10.4", "Lãnh đạo tỉnh"
        ),
    ),
    meetings=(
        MeetingSpec(
            "hop-6-thang",
            "Họp trao đổi về quản lý, điều hành IOC Hưng Yên",
            "half_yearly",
            "Văn phòng Ủy ban nhân dân tỉnh",
            "002:17.2",
        ),
        MeetingSpec(
            "hop-nam",
            "Họp năm về quản lý, điều hành IOC Hưng Yên",
            "yearly",
            "Văn phòng Ủy ban nhân dân tỉnh",
            "002:17.2",
        ),
        MeetingSpec(
            "kiem-diem-nam",
            "Kiểm điểm, đánh giá kết quả thực hiện Quy chế",
            "yearly",
            "Văn phòng Ủy ban nhân dân tỉnh",
            "002:17.3",
        ),
    ),
    hours=HoursSpec(_CENTER, around_the_clock=True, source="002:12.2"),
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
    level="province",
    locality="hung_yen_33",
    whole_province=True,
    regulation=REGULATION,
)
