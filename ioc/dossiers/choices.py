"""Dossier statuses, event kinds, receipt channels and violation states (R5.3)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

PROCESS = "dossiers"  # the assignments process of a confirmed time-bound violation
ALERT_SOURCE = "dossiers"
# Limits of what a source may send (issue 23 "Bad input").
CODE_MAX = 60
TEXT_MAX = 2000
BATCH_MAX = 500
FUTURE_TOLERANCE_SECONDS = 300  # clocks of the one-stop-shop may run a little ahead
HOLD_HOURS = 24  # an event for a dossier not yet received waits this long for the receipt, then is refused
SWEEP_LEASE_SECONDS = 120


class Channel(models.TextChoices):
    ONLINE_FULL = "online_full", _("Trực tuyến toàn trình")
    ONLINE_PARTIAL = "online_partial", _("Trực tuyến một phần")
    IN_PERSON = "in_person", _("Trực tiếp")
    POST = "post", _("Bưu chính công ích")


class ProcedureLevel(models.TextChoices):
    """Where a procedure is settled (two-level local government since 1/7/2025: province and commune)."""

    PROVINCE = "province", _("Cấp tỉnh")
    COMMUNE = "commune", _("Cấp xã")


ONLINE_CHANNELS = frozenset({Channel.ONLINE_FULL, Channel.ONLINE_PARTIAL})


class EventKind(models.TextChoices):
    RECEIPT = "receipt", _("Tiếp nhận hồ sơ")
    TRANSFER = "transfer", _("Chuyển bước xử lý")
    STEP_DONE = "step_done", _("Hoàn thành bước xử lý")
    SUPPLEMENT_REQUEST = "supplement_request", _("Yêu cầu bổ sung hồ sơ")
    SUPPLEMENT_RECEIVED = "supplement_received", _("Nhận hồ sơ bổ sung")
    REFUSAL = "refusal", _("Từ chối giải quyết")
    APOLOGY = "apology", _("Phiếu xin lỗi, hẹn lại ngày trả")
    PAYMENT = "payment", _("Nộp phí, lệ phí")
    RESULT_RETURNED = "result_returned", _("Trả kết quả")
    RATING = "rating", _("Đánh giá mức độ hài lòng")


class DossierStatus(models.TextChoices):
    RECEIVED = "received", _("Đã tiếp nhận")
    PROCESSING = "processing", _("Đang giải quyết")
    SUPPLEMENT = "supplement", _("Chờ bổ sung hồ sơ")
    DONE = "done", _("Đã có kết quả")
    REFUSED = "refused", _("Từ chối giải quyết")
    RETURNED = "returned", _("Đã trả kết quả")


OPEN_STATUSES = frozenset({DossierStatus.RECEIVED, DossierStatus.PROCESSING, DossierStatus.SUPPLEMENT})


class HeldState(models.TextChoices):
    HELD = "held", _("Đang giữ chờ tiếp nhận")
    PLACED = "placed", _("Đã xếp vào hồ sơ")
    REFUSED = "refused", _("Đã từ chối")


class ViolationState(models.TextChoices):
    OPEN = "open", _("Chờ xác minh")
    CONFIRMED = "confirmed", _("Đã xác nhận")
    DISMISSED = "dismissed", _("Đã loại bỏ")
    WITHDRAWN = "withdrawn", _("Tự hủy (sự kiện đến muộn)")
    HANDLED = "handled", _("Đã xử lý xong")


# R4.2: the IOC verifies an open violation: confirmed or dismissed (with a reason); a confirmed time-bound one is
# forwarded and ends handled when its assignment is confirmed.
VIOLATION_TRANSITIONS: dict[str, frozenset[str]] = {
    ViolationState.OPEN: frozenset({ViolationState.CONFIRMED, ViolationState.DISMISSED, ViolationState.WITHDRAWN}),
    ViolationState.CONFIRMED: frozenset({ViolationState.HANDLED}),
    ViolationState.DISMISSED: frozenset(),
    ViolationState.WITHDRAWN: frozenset(),
    ViolationState.HANDLED: frozenset(),
}


class Handling(models.TextChoices):
    TIME_BOUND = "time_bound", _("Xử lý có thời hạn")
    IMMEDIATE = "immediate", _("Xử lý tức thời")
