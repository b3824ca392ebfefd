"""The shell's navigation: every domain area of REQUIREMENTS R1–R10, plus audit and administration.

An area points at its app's page once the app is installed (its URL name resolves); until then it opens
the shell's "not available yet" page for that area, so the navigation never hides what is still missing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ioc.accounts.choices import STAFF_ROLES, Role
from ioc.web.administration import HUB_ROLES


@dataclass(frozen=True)
class Area:
    """One entry of the navigation: a requirement area, its icon, its page and who sees it."""

    slug: str
    label: Promise
    icon: str
    url_name: str
    requirement: str
    roles: frozenset[str]
    description: Promise

    def url(self) -> str:
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return reverse("web:area", kwargs={"slug": self.slug})

    def is_built(self) -> bool:
        try:
            reverse(self.url_name)
        except NoReverseMatch:
            return False
        return True


_STAFF = frozenset(STAFF_ROLES)
_OPERATIONS = frozenset({Role.SYSTEM_ADMIN, Role.IOC_OPERATOR, Role.IOC_LEADER})

DOMAIN_AREAS: tuple[Area, ...] = (
    Area(
        "kho-du-lieu",
        _("Kho dữ liệu"),
        "database",
        "datahub:index",
        "R1",
        _STAFF,
        _("Danh mục dữ liệu dùng chung, tiếp nhận và kiểm tra chất lượng dữ liệu của các cơ quan."),
    ),
    Area(
        "chia-se",
        _("Chia sẻ dữ liệu"),
        "share",
        "sharing:board",
        "R1.6",
        _STAFF,
        _("Yêu cầu chia sẻ dữ liệu giữa các cơ quan, cấp quyền truy cập có thời hạn hoặc từ chối bằng văn bản."),
    ),
    Area(
        "chi-so",
        _("Chỉ số"),
        "chart-line",
        "indicators:index",
        "R2",
        _STAFF,
        _("Bộ chỉ số giám sát, giá trị theo kỳ và đơn vị, chỉ tiêu kế hoạch và cảnh báo."),
    ),
    Area(
        "phan-anh",
        _("Phản ánh hiện trường"),
        "message-report",
        "citizen_reports:staff_index",
        "R3",
        _STAFF,
        _("Tiếp nhận, xác minh, chuyển xử lý và công khai phản ánh của người dân, doanh nghiệp."),
    ),
    Area(
        "canh-bao",
        _("Cảnh báo & sự cố"),
        "alert-triangle",
        "incidents:index",
        "R4",
        _STAFF,
        _("Cảnh báo từ cảm biến, camera, chỉ số và người dân; sự cố, phân công và theo dõi xử lý."),
    ),
    Area(
        "cam-bien",
        _("Cảm biến & camera"),
        "device-cctv",
        "sensors:states",
        "R5.5",
        frozenset({Role.IOC_OPERATOR, Role.IOC_LEADER, Role.SYSTEM_ADMIN}),
        _("Trạng thái cảm biến theo ngưỡng, quy tắc cảnh báo, tắt tiếng, bảo trì và danh mục camera."),
    ),
    Area(
        "an-toan-thong-tin",
        _("An toàn thông tin"),
        "shield-lock",
        "cybersecurity:index",
        "R5.6",
        _STAFF,
        _("Giám sát cổng, trang thông tin, dịch vụ công, trung tâm dữ liệu; chứng thư số; sự kiện an toàn thông tin."),
    ),
    Area(
        "theo-doi-mang",
        _("Thông tin trên mạng"),
        "world-search",
        "media_watch:feed",
        "R5.7",
        frozenset({Role.IOC_OPERATOR, Role.IOC_LEADER, Role.PROVINCE_LEADER}),
        _("Tin báo chí, mạng xã hội theo chủ đề; chủ đề đang nóng; danh sách theo dõi; phản ánh tìm thấy trên mạng."),
    ),
    Area(
        "kich-ban",
        _("Kịch bản điều hành"),
        "route",
        "scenarios:index",
        "R4.6",
        _STAFF,
        _("Kịch bản điều hành kinh tế - xã hội, theo lĩnh vực, chuyên đề và tức thời."),
    ),
    Area(
        "ho-so",
        _("Hồ sơ thủ tục hành chính"),
        "files",
        "dossiers:violation_list",
        "R5.3",
        _STAFF,
        _("Kiểm tra tức thời từng bước giải quyết hồ sơ, xác minh vi phạm, xếp hạng cơ quan, điểm nghẽn thủ tục."),
    ),
    Area(
        "linh-vuc",
        _("Lĩnh vực"),
        "layout-grid",
        "sectors:index",
        "R5",
        _STAFF,
        _("Giám sát theo lĩnh vực: an ninh trật tự, giao thông, hành chính công, y tế, giáo dục, môi trường…"),
    ),
    Area(
        "ban-do",
        _("Bản đồ số"),
        "map",
        "maps:index",
        "R6",
        _STAFF,
        _("Bản đồ ranh giới hành chính và các lớp dữ liệu; chọn theo điểm, vùng, bán kính, đơn vị."),
    ),
    Area(
        "bao-cao",
        _("Báo cáo"),
        "file-text",
        "reporting:index",
        "R8",
        _STAFF,
        _("Báo cáo định kỳ, chuyên đề, đột xuất kết xuất từ dữ liệu của IOC."),
    ),
    Area(
        "lien-thong",
        _("Liên thông"),
        "affiliate",
        "federation:index",
        "R9",
        _OPERATIONS,
        _("Kết nối, chia sẻ dữ liệu giữa IOC cấp xã, cấp tỉnh và hệ thống của Chính phủ."),
    ),
    Area(
        "van-hanh",
        _("Vận hành"),
        "server-cog",
        "operations:index",
        "R10",
        _OPERATIONS,
        _("Vận hành 24/7: tài sản, thiết bị, nhân sự, lịch trực, sao lưu và theo dõi sức khỏe hệ thống."),
    ),
)


@dataclass(frozen=True)
class NavItem:
    label: Promise
    icon: str
    url: str
    active: bool
    built: bool


def area_by_slug(slug: str) -> Area | None:
    return next((area for area in DOMAIN_AREAS if area.slug == slug), None)


def _visible(roles: frozenset[str], allowed: Iterable[str]) -> bool:
    return bool(roles & set(allowed))


def nav_items(*, roles: frozenset[str], path: str) -> list[NavItem]:
    """The navigation a user with these roles sees; `path` marks the active entry."""
    if not roles:
        return []
    items = [
        NavItem(_("Trang chủ"), "home", reverse("web:home"), path == reverse("web:home"), True),
    ]
    for area in DOMAIN_AREAS:
        if _visible(roles, area.roles):
            url = area.url()
            items.append(NavItem(area.label, area.icon, url, path.startswith(url), area.is_built()))
    items.extend(_tool_items(roles=roles, path=path))
    return items


def _tool_items(*, roles: frozenset[str], path: str) -> list[NavItem]:
    tools: list[tuple[Promise, str, str, frozenset[str]]] = [
        (
            _("Việc được giao"),
            "inbox",
            "assignments:inbox",
            frozenset({Role.AGENCY_OFFICER, Role.AGENCY_HEAD, Role.IOC_OPERATOR, Role.IOC_LEADER}),
        ),
        (_("Cơ quan, đơn vị"), "building-community", "agencies:list", _STAFF),
        (
            _("Nhật ký"),
            "history",
            "audit:entry_list",
            frozenset({Role.SYSTEM_ADMIN, Role.IOC_OPERATOR, Role.IOC_LEADER}),
        ),
        (
            _("Quy chế"),
            "file-certificate",
            "web:regulation",
            frozenset({Role.IOC_OPERATOR, Role.IOC_LEADER, Role.PROVINCE_LEADER, Role.SYSTEM_ADMIN}),
        ),
        (_("Quản trị"), "settings", "web:administration", HUB_ROLES),
    ]
    items = []
    for label, icon, url_name, allowed in tools:
        if not _visible(roles, allowed):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append(NavItem(label, icon, url, path.startswith(url), True))
    return items
