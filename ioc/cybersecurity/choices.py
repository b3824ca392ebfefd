"""Information-security watch (R5.6, issue 21): kinds of watched asset, their status, the check rules, the
formats of security events and the reasons an event is refused."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ioc.common.roles import Role


class AssetKind(models.TextChoices):
    PORTAL = "portal", _("Cổng thông tin điện tử")
    WEBSITE = "website", _("Trang thông tin điện tử")
    ONLINE_SERVICE = "online_service", _("Dịch vụ công trực tuyến")
    SHARED_SYSTEM = "shared_system", _("Hệ thống thông tin dùng chung")
    DC_HOST = "dc_host", _("Máy chủ trung tâm dữ liệu")
    DC_SEGMENT = "dc_segment", _("Phân vùng mạng trung tâm dữ liệu")
    IOC = "ioc", _("Hệ thống IOC")


class AssetStatus(models.TextChoices):
    UNKNOWN = "unknown", _("Chưa kiểm tra")
    UP = "up", _("Hoạt động")
    DEGRADED = "degraded", _("Có vấn đề")
    DOWN = "down", _("Không truy cập được")


class Rule(models.TextChoices):
    """A check rule; its alert kind is `cyber.<rule>` and its dedup key `<asset>:<rule>`."""

    DOWN = "down", _("Không truy cập được")
    SLOW = "slow", _("Phản hồi chậm")
    TLS = "tls", _("Chứng thư số không hợp lệ")
    CERT_EXPIRY = "cert_expiry", _("Chứng thư số sắp hết hạn")
    HEADERS = "headers", _("Thiếu tiêu đề bảo mật")
    DNS = "dns", _("DNS khác bản đăng ký")
    REDIRECT = "redirect", _("Chuyển hướng bất thường")
    DEFACEMENT = "defacement", _("Thay đổi giao diện trái phép")


class EventFormat(models.TextChoices):
    SYSLOG = "syslog", _("Syslog")
    CEF = "cef", _("CEF")
    WAZUH = "wazuh", _("Wazuh")
    EVE = "eve", _("Suricata EVE")
    IOC = "ioc", _("IOC (khóa tài khoản, mã truy cập bị từ chối)")


class RejectReason(models.TextChoices):
    """Why an incoming event was refused (counted per reason on /metrics, a sample kept)."""

    OVERSIZED = "oversized", _("Dòng quá dài (> 64 KiB)")
    ENCODING = "encoding", _("Không phải UTF-8")
    MALFORMED = "malformed", _("Sai định dạng")
    SHAPE = "shape", _("JSON không đúng dạng Wazuh/EVE")
    UNREGISTERED = "unregistered", _("Nguồn chưa đăng ký")


# Certificate expiry warnings (days); the alert's severity rises as the day nears.
CERT_WARNING_DAYS = (30, 14, 7)
# Redirects followed by a check, each hop checked again by the address guard.
MAX_REDIRECTS = 5
# Largest event line or JSON document accepted.
MAX_EVENT_BYTES = 64 * 1024
# A claimed check is the claimer's until the lease expires (DESIGN "Durable work").
CHECK_LEASE_SECONDS = 120
# Event batches: written at most this many at once, or after this long.
BATCH_EVENTS = 1000
BATCH_SECONDS = 0.5
# Levels of information systems under Decree 85/2016/NĐ-CP.
LEVEL_CHOICES = [(n, str(n)) for n in range(1, 6)]

# Who configures the watch (assets, sources, rules): the system administrator and the IOC leader.
CONFIG_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.IOC_LEADER})
# Who sees a defaced page's screenshot (the page may carry what the attacker put there): the watch's operators.
SCREENSHOT_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.IOC_OPERATOR, Role.IOC_LEADER})

# Vulnerabilities (R5.6, 000:7.4): the process name of their agency work in `ioc.assignments`, its category, and the
# time to patch in working hours by the notice's severity (the agency's calendar: `worktime.deadline_add`).
PROCESS = "cybersecurity"
VULN_CATEGORY = "vulnerability"
PATCH_HOURS = {1: 80.0, 2: 80.0, 3: 40.0, 4: 16.0, 5: 8.0}


class ExposureStatus(models.TextChoices):
    """Where one affected asset stands; kept in step with its assignment by the subject handler."""

    FORWARDED = "forwarded", _("Đã chuyển cơ quan xử lý")
    FIXING = "fixing", _("Đang khắc phục")
    RESOLVED = "resolved", _("Đã khắc phục, chờ IOC xác nhận")
    FIXED = "fixed", _("Đã khắc phục")
    RETURNED = "returned", _("Cơ quan trả lại")
    CANCELLED = "cancelled", _("Hủy")


OPEN_EXPOSURES = frozenset({ExposureStatus.FORWARDED, ExposureStatus.FIXING, ExposureStatus.RETURNED})
# Who records a national vulnerability notice and forwards it: the IOC's operators and leaders (as every forward of
# agency work), and the system account for the demo.
VULN_ROLES = frozenset({Role.IOC_OPERATOR, Role.IOC_LEADER})
