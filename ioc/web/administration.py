"""The "Quản trị" section: every configuration page of the IOC, on one hub page (issue 8, part 1).

Nothing configurable needs a Django shell: each app owns its configuration pages and lists them here, like
`navigation.DOMAIN_AREAS` lists the domain areas. A later app adds one `Section` to `SECTIONS` (CONVENTIONS.md,
"Checklist: add a configuration page"); the hub shows a user the sections their roles open.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ioc.accounts.choices import Role


@dataclass(frozen=True)
class Section:
    """One configuration page: its label, icon, URL name, who may open it, the requirement and what it is for."""

    label: Promise
    icon: str
    url_name: str
    roles: frozenset[str]
    requirement: str
    description: Promise

    def url(self) -> str | None:
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return None


_ADMIN = frozenset({Role.SYSTEM_ADMIN})
# The act gives the IOC leader the categories, routing and escalation of citizen reports (R3.2, R3.3, R4.5).
_ADMIN_AND_LEADER = frozenset({Role.SYSTEM_ADMIN, Role.IOC_LEADER})

# The act gives the indicator catalogue and its targets to the leaders and the administrator (R2.2, R2.3).
_CATALOG = frozenset({Role.SYSTEM_ADMIN, Role.IOC_LEADER, Role.PROVINCE_LEADER})

SECTIONS: tuple[Section, ...] = (
    Section(
        _("Quy tắc hỗ trợ hằng tháng"),
        "coin",
        "operations_config:rules",
        _ADMIN_AND_LEADER,
        "R10.4",
        _("Mức hỗ trợ của quy chế cho người làm việc tại Trung tâm và ngoài Trung tâm, cách tính tháng không trọn."),
    ),
    Section(
        _("Lĩnh vực phản ánh và chuyển xử lý"),
        "category",
        "citizen_reports_config:category_list",
        _ADMIN_AND_LEADER,
        "R3.2, R3.3",
        _("Lĩnh vực phản ánh, thời hạn xử lý và cơ quan xử lý theo từng xã, phường."),
    ),
    Section(
        _("Chuỗi báo cáo cấp trên"),
        "arrow-big-up-lines",
        "assignments_config:chain_list",
        _ADMIN_AND_LEADER,
        "R3.3, R4.5",
        _("Ai được nhắc, báo cáo khi việc sắp đến hạn, quá hạn; theo quy trình và lĩnh vực."),
    ),
    Section(
        _("Cơ quan, đơn vị"),
        "building-community",
        "agencies:config_list",
        _ADMIN,
        "R1.1, R7.1",
        _("Cơ quan, đơn vị của địa phương và vai trò quy chế giao cho họ, kèm điều khoản căn cứ."),
    ),
    Section(
        _("Hệ thống thông tin và mã truy cập"),
        "plug-connected",
        "accounts:systems",
        _ADMIN,
        "R1.2, R7.2",
        _("Hệ thống thông tin của các cơ quan, tài khoản hệ thống và mã truy cập (cấp, thu hồi theo văn bản)."),
    ),
    Section(
        _("Giám sát an toàn thông tin"),
        "shield-lock",
        "cybersecurity:config",
        _ADMIN_AND_LEADER,
        "R5.6",
        _("Tài sản được giám sát (cổng, dịch vụ, máy chủ), nguồn syslog, luật cảnh báo sự kiện, sự kiện bị từ chối."),
    ),
    Section(
        _("Theo dõi thông tin trên mạng"),
        "world-search",
        "media_watch:config",
        _ADMIN,
        "R5.7",
        _("Nguồn tin (RSS, sơ đồ trang, khoá API mạng xã hội), chủ đề với truy vấn xem trước, danh sách theo dõi."),
    ),
    Section(
        _("Quy định chia sẻ dữ liệu"),
        "share",
        "sharing:terms",
        _ADMIN_AND_LEADER,
        "R1.6",
        _("Thời hạn thiết lập chia sẻ mặc định, thời hạn trả lời yêu cầu riêng, thời hạn tối đa của quyền truy cập."),
    ),
    Section(
        _("Lịch làm việc"),
        "calendar-time",
        "worktime:index",
        _ADMIN,
        "R3.3, R4.3",
        _("Ngày nghỉ bổ sung, ngày làm bù, giờ làm việc của từng cơ quan và cơ quan làm việc 24/7."),
    ),
    Section(
        _("Bộ chỉ số và chỉ tiêu"),
        "list-numbers",
        "indicators:config_index",
        _CATALOG,
        "R2.1, R2.2, R2.3, R2.6",
        _("Phiên bản bộ chỉ số theo quyết định (thêm, sửa, thôi áp dụng), chỉ tiêu, hủy yêu cầu báo cáo số liệu."),
    ),
    Section(
        _("Liên thông giữa các trung tâm"),
        "affiliate",
        "federation_config:link_list",
        _ADMIN,
        "R9.1",
        _("Trung tâm cấp trên, cấp dưới, hệ thống quốc gia: địa chỉ, khóa, luồng dữ liệu, ánh xạ mã."),
    ),
    Section(
        _("Tài khoản"),
        "users",
        "accounts:users",
        _ADMIN,
        "R7.1, R7.2",
        _("Tài khoản, vai trò và văn bản đề nghị làm căn cứ mỗi thay đổi."),
    ),
    Section(
        _("Kịch bản điều hành"),
        "route",
        "scenarios:index",
        _ADMIN_AND_LEADER,
        "R4.6",
        _("Kịch bản ứng phó: điều kiện kích hoạt, vùng theo dõi vẽ trên bản đồ, các bước của từng cơ quan, chạy thử."),
    ),
    Section(
        _("Kết nối kéo dữ liệu"),
        "plug-connected",
        "datahub:connectors",
        _ADMIN,
        "R1.2",
        _("Kho dữ liệu kéo dữ liệu định kỳ từ hệ thống của các cơ quan: địa chỉ, xác thực, lịch chạy, các lần chạy."),
    ),
    Section(
        _("Dữ liệu thô (chỉ đọc)"),
        "database-search",
        "admin:index",
        _ADMIN,
        "R7.1",
        _("Trang quản trị của Django để xem dữ liệu thô; cấu hình được sửa ở các trang trên."),
    ),
    Section(
        _("Thủ tục hành chính và quy tắc kiểm tra"),
        "files",
        "dossiers_config:procedures",
        _ADMIN_AND_LEADER,
        "R5.3",
        _("Thủ tục, thời hạn, các bước và thành phần hồ sơ theo từng phiên bản; quy tắc kiểm tra và căn cứ."),
    ),
)

# Everyone who sees the hub: the union of the sections' roles.
HUB_ROLES: frozenset[str] = frozenset().union(*(section.roles for section in SECTIONS))


def sections_for(*, roles: frozenset[str]) -> list[tuple[Section, str]]:
    """The sections a user with these roles may open, with their URLs (sections not installed are left out)."""
    found = []
    for section in SECTIONS:
        url = section.url()
        if url is not None and roles & section.roles:
            found.append((section, url))
    return found
