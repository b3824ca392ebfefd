"""Link roles, flows, and the states of outgoing and incoming messages (R9.1–R9.3)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LinkRole(models.TextChoices):
    """What the other end of a link is to this center (R9.1, R9.2)."""

    PARENT = "parent", _("Trung tâm cấp trên")
    CHILD = "child", _("Trung tâm cấp dưới")
    NATIONAL = "national", _("Hệ thống quốc gia")


class Flow(models.TextChoices):
    """What may flow over a link, agreed per link (R9.1)."""

    CITIZEN_REPORTS_DAILY = "citizen_reports.daily", _("Tổng hợp phản ánh theo ngày")
    INCIDENTS_DAILY = "incidents.daily", _("Tổng hợp sự cố theo ngày")
    INCIDENT_ESCALATED = "incidents.escalated", _("Sự cố chuyển cấp trên")
    INDICATOR_VALUE = "indicators.value", _("Giá trị chỉ số")
    DIRECTIVE = "directive", _("Chỉ đạo từ cấp trên")
    NATIONAL_EXPORT = "indicators.national", _("Xuất chỉ số lên hệ thống quốc gia")
    REPORT_SUBMITTED = "reports.submitted", _("Báo cáo gửi cấp trên")


# Flows a center sends to its parent (or the national system), and the one it sends down to a child.
UP_FLOWS = frozenset(
    {
        Flow.CITIZEN_REPORTS_DAILY,
        Flow.INCIDENTS_DAILY,
        Flow.INCIDENT_ESCALATED,
        Flow.INDICATOR_VALUE,
        Flow.REPORT_SUBMITTED,
    }
)
DOWN_FLOWS = frozenset({Flow.DIRECTIVE})
# What may be agreed on a link (both directions: a child's link to its parent takes directives, a parent's link to
# a child takes the child's summaries), and what this center itself sends over it.
FLOWS_BY_ROLE = {
    LinkRole.PARENT: UP_FLOWS | DOWN_FLOWS,
    LinkRole.CHILD: UP_FLOWS | DOWN_FLOWS,
    LinkRole.NATIONAL: frozenset({Flow.NATIONAL_EXPORT}),
}
SENT_BY_ROLE = {
    LinkRole.PARENT: UP_FLOWS,
    LinkRole.CHILD: DOWN_FLOWS,
    LinkRole.NATIONAL: frozenset({Flow.NATIONAL_EXPORT}),
}


class MappingKind(models.TextChoices):
    INDICATOR = "indicator", _("Mã chỉ số")
    UNIT = "unit", _("Mã đơn vị hành chính")


class OutState(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    SENDING = "sending", _("Đang gửi")
    DELIVERED = "delivered", _("Bên nhận đã xác nhận")
    FAILED = "failed", _("Lỗi, sẽ thử lại")
    DEAD = "dead", _("Hỏng, chờ xử lý")


CLAIMABLE = (OutState.PENDING, OutState.FAILED)
UNDELIVERED = (OutState.PENDING, OutState.SENDING, OutState.FAILED)


class InState(models.TextChoices):
    APPLIED = "applied", _("Đã áp dụng")
    SUPERSEDED = "superseded", _("Cũ hơn bản đã có, không áp dụng")
    CONFLICT = "conflict", _("Xung đột, chờ xử lý")


class ConflictState(models.TextChoices):
    OPEN = "open", _("Chờ xử lý")
    KEPT_LOCAL = "kept_local", _("Giữ giá trị đang có")
    TOOK_RECEIVED = "took_received", _("Lấy giá trị nhận được")


CONFLICT_RESOLUTIONS = (ConflictState.KEPT_LOCAL, ConflictState.TOOK_RECEIVED)

MAX_ATTEMPTS_DEFAULT = 12
LEASE_SECONDS_DEFAULT = 120
BACKOFF_BASE_SECONDS_DEFAULT = 30
BACKOFF_CAP_SECONDS = 3600
MAX_MESSAGE_BYTES_DEFAULT = 1024 * 1024
BATCH_SIZE_DEFAULT = 100
SKEW_SECONDS = 300
