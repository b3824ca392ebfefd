"""Running the center (R10.2–R10.4, issue 24): where staff work, how a partial month is paid, the states of an
allowance sheet, and the roles that manage staff and approve sheets."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ioc.common.roles import Role


class WorkPlace(models.TextChoices):
    """R10.4 (003:9): working directly at the center, or doing its tasks from one's own agency."""

    CENTER = "center", _("Trực tiếp làm việc tại Trung tâm")
    ELSEWHERE = "elsewhere", _("Thực hiện nhiệm vụ của Trung tâm, không trực tiếp làm việc tại Trung tâm")


class Proration(models.TextChoices):
    """R10.4: how a month not spent whole in post is paid (the act is silent; the rule says and the sheet prints)."""

    NONE = "none", _("Không chia theo ngày: cả tháng theo nơi làm việc có nhiều ngày nhất trong tháng")
    BY_DAYS = "by_days", _("Chia theo số ngày thực tế giữ vị trí trong tháng")


class SheetState(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    APPROVED = "approved", _("Đã duyệt")
    SUPERSEDED = "superseded", _("Đã được thay bằng bản điều chỉnh")


# R10.4: who keeps the staff list and prepares sheets: the IOC leader and the managing body (checked in services).
STAFF_ADMIN_ROLES = frozenset({Role.IOC_LEADER})
# Agency roles whose holders act for their agency (the managing body is the agency with ActRole.MANAGING).
AGENCY_MEMBER_ROLES = frozenset({Role.AGENCY_OFFICER, Role.AGENCY_HEAD})
TEXT_MAX = 300
NOTE_MAX = 2000


class RosterState(models.TextChoices):
    DRAFT = "draft", _("Đang lập")
    PUBLISHED = "published", _("Đã công bố")


class SwapState(models.TextChoices):
    PENDING = "pending", _("Chờ duyệt")
    APPROVED = "approved", _("Đã duyệt")
    REFUSED = "refused", _("Không duyệt")


# R10.4 duty rosters: a 24/7 center runs three shifts a day (local hours); office hours run one per working period.
AROUND_THE_CLOCK_SHIFTS = ((6, 8, "Ca sáng"), (14, 8, "Ca chiều"), (22, 8, "Ca đêm"))  # (start hour, hours, label)
OFFICE_SHIFT_LABELS = ("Ca sáng", "Ca chiều")
# The next shift is reminded this long before it starts (durable: a row's `reminded_at`).
REMINDER_LEAD_HOURS = 12


class ChangeState(models.TextChoices):
    """R10.2 (002:12.7, 002:16.2): requested → approved by the managing body → started → closed."""

    REQUESTED = "requested", _("Chờ phê duyệt")
    APPROVED = "approved", _("Đã phê duyệt")
    REFUSED = "refused", _("Không phê duyệt")
    STARTED = "started", _("Đang thực hiện")
    CLOSED = "closed", _("Đã hoàn thành")
    CANCELLED = "cancelled", _("Đã hủy")


CHANGE_TRANSITIONS: dict[str, frozenset[str]] = {
    ChangeState.REQUESTED: frozenset({ChangeState.APPROVED, ChangeState.REFUSED, ChangeState.CANCELLED}),
    ChangeState.APPROVED: frozenset({ChangeState.STARTED, ChangeState.CANCELLED}),
    ChangeState.STARTED: frozenset({ChangeState.CLOSED}),
    ChangeState.REFUSED: frozenset(),
    ChangeState.CLOSED: frozenset(),
    ChangeState.CANCELLED: frozenset(),
}
# The states whose window is (or will be) a maintenance window, and whose banner shows while it runs.
CHANGE_WINDOW_STATES = frozenset({ChangeState.APPROVED, ChangeState.STARTED})


class ConsentState(models.TextChoices):
    """R10.2 (002:16.3): an agency whose connected system the change touches consents, or refuses."""

    PENDING = "pending", _("Chờ ý kiến")
    GIVEN = "given", _("Đồng ý")
    REFUSED = "refused", _("Không đồng ý")


class AssetKind(models.TextChoices):
    """R10.3 (000:7.6, 003:6.5, 002:7.2): what the center is given and keeps running."""

    SCREEN = "screen", _("Màn hình, màn hình ghép")
    SERVER = "server", _("Máy chủ")
    NETWORK = "network", _("Thiết bị mạng")
    UPS = "ups", _("Bộ lưu điện (UPS)")
    LICENCE = "licence", _("Bản quyền phần mềm")
    SUPPORT = "support", _("Hợp đồng hỗ trợ kỹ thuật")
    FIRE = "fire", _("Thiết bị phòng cháy, chữa cháy")
    OTHER = "other", _("Khác")


class MaintenanceResult(models.TextChoices):
    OK = "ok", _("Đạt, hoạt động bình thường")
    ISSUES = "issues", _("Có vấn đề cần theo dõi")
    FAILED = "failed", _("Không đạt, cần sửa chữa")


class FaultState(models.TextChoices):
    OPEN = "open", _("Đang xử lý")
    REPAIRED = "repaired", _("Đã khắc phục")


class ReminderState(models.TextChoices):
    PENDING = "pending", _("Chờ nhắc")
    SENT = "sent", _("Đã nhắc")
    DROPPED = "dropped", _("Không còn cần nhắc")


# R10.3: due maintenance is reminded this many days ahead, at 08:00 local time; the repair of a stopping fault is
# forwarded to the maintaining agency with this many working hours.
MAINTENANCE_REMINDER_DAYS = 3
REPAIR_WORKING_HOURS = 16.0
REPAIR_PROCESS = "operations"
