"""Operating scenarios and public warnings (R4.4, R4.6, R5.2, R5.5): trigger types, activation, resources,
warnings and the CAP 1.2 vocabulary they map to."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TriggerType(models.TextChoices):
    ALERT = "alert", _("Cảnh báo (loại, khu vực, mức độ)")
    INDICATOR = "indicator_warning", _("Cảnh báo chỉ số")
    SURGE = "surge", _("Phản ánh tăng đột biến")


class ActivationWay(models.TextChoices):
    TRIGGER = "trigger", _("Tự động theo điều kiện")
    LEADER = "leader", _("Lãnh đạo kích hoạt")
    CHAINED = "chained", _("Kích hoạt theo kịch bản khác")


class ResourceStatus(models.TextChoices):
    STANDBY = "standby", _("Sẵn sàng")
    EN_ROUTE = "en_route", _("Đang di chuyển")
    DEPLOYED = "deployed", _("Đang làm nhiệm vụ")
    RELEASED = "released", _("Đã rút")


class WarningState(models.TextChoices):
    AWAITING_APPROVAL = "awaiting_approval", _("Chờ lãnh đạo IOC duyệt")
    PUBLISHED = "published", _("Đang hiệu lực")
    SUPERSEDED = "superseded", _("Đã được cập nhật")
    CANCELLED = "cancelled", _("Đã hủy")
    REJECTED = "rejected", _("Không được duyệt")


class MessageType(models.TextChoices):
    """CAP <msgType>: a new alert, an update or a cancellation of an earlier one (its <references>)."""

    ALERT = "Alert", _("Cảnh báo mới")
    UPDATE = "Update", _("Cập nhật")
    CANCEL = "Cancel", _("Hủy cảnh báo")


class CapCategory(models.TextChoices):
    """CAP <category>."""

    GEO = "Geo", _("Địa chất (sạt lở, động đất)")
    MET = "Met", _("Khí tượng, thủy văn (bão, lũ)")
    SAFETY = "Safety", _("An toàn chung")
    SECURITY = "Security", _("An ninh, trật tự")
    RESCUE = "Rescue", _("Cứu nạn, cứu hộ")
    FIRE = "Fire", _("Cháy, nổ")
    HEALTH = "Health", _("Y tế, dịch bệnh")
    ENV = "Env", _("Môi trường")
    TRANSPORT = "Transport", _("Giao thông")
    INFRA = "Infra", _("Hạ tầng")
    OTHER = "Other", _("Khác")


class Urgency(models.TextChoices):
    IMMEDIATE = "Immediate", _("Ngay lập tức")
    EXPECTED = "Expected", _("Trong giờ tới")
    FUTURE = "Future", _("Sắp tới")


class Certainty(models.TextChoices):
    OBSERVED = "Observed", _("Đã xảy ra")
    LIKELY = "Likely", _("Nhiều khả năng")
    POSSIBLE = "Possible", _("Có thể")


# Warnings the public sees: in force (published) and not yet expired.
WARNING_LIVE_STATES = frozenset({WarningState.PUBLISHED})
# The watched area given as a point is a circle of this radius (metres).
POINT_RADIUS_M = 500.0
# The dry run looks this far back (R4.6).
DRY_RUN_DAYS = 30
CODE_MAX = 60
TEXT_MAX = 2000
TITLE_MAX = 200
STEPS_MAX = 30
CHECKLIST_MAX = 30
TRIGGERS_MAX = 20
