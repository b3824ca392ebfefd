"""States and allowed transitions of an agency's piece of work (R3.3, R4.3, R4.5)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AssignmentStatus(models.TextChoices):
    FORWARDED = "forwarded", _("Đã chuyển, chờ tiếp nhận")
    ACCEPTED = "accepted", _("Đã tiếp nhận")
    RETURNED = "returned", _("Trả lại (không đúng thẩm quyền)")
    IN_PROGRESS = "in_progress", _("Đang xử lý")
    RESOLVED = "resolved", _("Đã xử lý, chờ IOC xác nhận")
    CONFIRMED = "confirmed", _("IOC đã xác nhận kết quả")
    REOPENED = "reopened", _("Mở lại")
    CANCELLED = "cancelled", _("Hủy")


S = AssignmentStatus
# The only allowed moves; every one is a service in services.py with its audit entry.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.FORWARDED: frozenset({S.ACCEPTED, S.RETURNED, S.CANCELLED}),
    S.ACCEPTED: frozenset({S.IN_PROGRESS, S.RESOLVED, S.CANCELLED}),
    S.IN_PROGRESS: frozenset({S.IN_PROGRESS, S.RESOLVED, S.CANCELLED}),
    S.RESOLVED: frozenset({S.CONFIRMED, S.REOPENED}),
    S.REOPENED: frozenset({S.IN_PROGRESS, S.RESOLVED, S.CANCELLED}),
    S.RETURNED: frozenset(),
    S.CONFIRMED: frozenset({S.REOPENED}),
    S.CANCELLED: frozenset(),
}
OPEN_STATUSES = frozenset({S.FORWARDED, S.ACCEPTED, S.IN_PROGRESS, S.REOPENED})


class UpdateKind(models.TextChoices):
    FORWARD = "forward", _("Chuyển xử lý")
    ACCEPT = "accept", _("Tiếp nhận")
    RETURN = "return", _("Trả lại")
    PROGRESS = "progress", _("Cập nhật tiến độ")
    RESOLVE = "resolve", _("Báo cáo kết quả")
    CONFIRM = "confirm", _("Xác nhận kết quả")
    REOPEN = "reopen", _("Mở lại")
    ESCALATE = "escalate", _("Nhắc, báo cáo cấp trên")
    CANCEL = "cancel", _("Hủy")


class DeadlineState(models.TextChoices):
    ON_TRACK = "on_track", _("Trong hạn")
    AT_RISK = "at_risk", _("Sắp đến hạn")
    OVERDUE = "overdue", _("Quá hạn")


# At risk from this share of the allowed working time (issue: "at risk at 80 % of the time").
AT_RISK_SHARE = 0.8

# Durable escalation (DESIGN "Durable work"): a claimed row is the claimer's until the lease expires.
ESCALATION_LEASE_SECONDS = 300
# Roles an escalation step may name; agency roles are taken inside the holding agency.
ESCALATION_ROLES = frozenset({"agency_officer", "agency_head", "ioc_operator", "ioc_leader", "province_leader"})
ESCALATION_AGENCY_ROLES = frozenset({"agency_officer", "agency_head"})
MAX_ESCALATION_STEPS = 10
# Text limits (issue 3 "Bad input"): a reason, a progress note, a resolution, instructions.
TEXT_MAX = 4000
MAX_EVIDENCE_FILES = 10
# A deadline longer than this (working hours, about a year) is a caller's mistake.
MAX_WORKING_HOURS = 2000.0
