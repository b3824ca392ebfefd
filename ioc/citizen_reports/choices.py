"""Statuses, channels and the allowed transitions of a citizen field report (R3.1, R3.3)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """R3.1: how a report reached the IOC."""

    WEB = "web", _("Cổng thông tin (web)")
    OPEN311 = "open311", _("Ứng dụng (Open311)")
    EMAIL = "email", _("Thư điện tử")
    HOTLINE = "hotline", _("Đường dây nóng")
    SOCIAL = "social", _("Mạng xã hội")


class ReportStatus(models.TextChoices):
    RECEIVED = "received", _("Đã tiếp nhận")
    AWAITING_APPROVAL = "awaiting_approval", _("Chờ lãnh đạo IOC duyệt")
    VERIFIED = "verified", _("Đã xác minh")
    FORWARDED = "forwarded", _("Đã chuyển cơ quan xử lý")
    IN_PROGRESS = "in_progress", _("Đang xử lý")
    RESOLVED = "resolved", _("Đã xử lý, chờ IOC kiểm tra")
    PUBLISHED = "published", _("Đã công khai kết quả")
    REJECTED = "rejected", _("Không tiếp nhận")
    DUPLICATE = "duplicate", _("Trùng phản ánh khác")
    SPAM = "spam", _("Tin rác, lạm dụng")


S = ReportStatus
# The only allowed moves (R3.3). Each is one service in services.py, with its audit entry.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.RECEIVED: frozenset({S.VERIFIED, S.AWAITING_APPROVAL, S.REJECTED, S.DUPLICATE, S.SPAM}),
    S.AWAITING_APPROVAL: frozenset({S.VERIFIED, S.REJECTED}),
    S.VERIFIED: frozenset({S.FORWARDED, S.REJECTED, S.DUPLICATE}),
    # Returned by the agency: back to VERIFIED so the operator forwards it again.
    S.FORWARDED: frozenset({S.IN_PROGRESS, S.VERIFIED, S.RESOLVED}),
    S.IN_PROGRESS: frozenset({S.RESOLVED}),
    S.RESOLVED: frozenset({S.PUBLISHED, S.IN_PROGRESS}),
    # The citizen reopens a published report: it goes back to the agency.
    S.PUBLISHED: frozenset({S.IN_PROGRESS}),
    S.REJECTED: frozenset(),
    S.DUPLICATE: frozenset(),
    S.SPAM: frozenset(),
}
# Open311 `status`: closed once resolved-and-published, rejected or marked duplicate; open otherwise.
CLOSED_STATUSES = frozenset({S.PUBLISHED, S.REJECTED, S.DUPLICATE})
# Never shown by public GETs (Open311 and the public list) from the moment they are received.
HIDDEN_STATUSES = frozenset({S.SPAM})
# R4.2 (issue 12): a report may become an incident once verified, and while agencies still work on it.
ESCALATABLE_STATUSES = frozenset({S.VERIFIED, S.FORWARDED, S.IN_PROGRESS})
# Statuses in which the report is being handled and counts for deadlines.
OPEN_STATUSES = frozenset({S.RECEIVED, S.AWAITING_APPROVAL, S.VERIFIED, S.FORWARDED, S.IN_PROGRESS, S.RESOLVED})
# Statuses in which the IOC may still place a report (R3.1): before it is forwarded.
LOCATABLE_STATUSES = frozenset({S.RECEIVED, S.AWAITING_APPROVAL, S.VERIFIED})


class PhotoKind(models.TextChoices):
    REPORT = "report", _("Ảnh phản ánh")
    EVIDENCE = "evidence", _("Ảnh kết quả")


class IntakeStatus(models.TextChoices):
    NEW = "new", _("Mới")
    CONVERTED = "converted", _("Đã tạo phản ánh")
    DISCARDED = "discarded", _("Đã loại")


DESCRIPTION_MAX = 4000
PHOTO_MAX_COUNT = 5
