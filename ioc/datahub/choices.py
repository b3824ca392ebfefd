"""Codes of the shared data hub (R1.1–R1.5): frequency, sharing, sensitivity, statuses, channels."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Frequency(models.TextChoices):
    """R1.3: how often a dataset is expected to be updated."""

    REALTIME = "realtime", _("Thời gian thực")
    DAILY = "daily", _("Hằng ngày")
    TWICE_WEEKLY = "twice_weekly", _("Hai lần mỗi tuần")
    WEEKLY = "weekly", _("Hằng tuần")
    MONTHLY = "monthly", _("Hằng tháng")
    QUARTERLY = "quarterly", _("Hằng quý")
    HALF_YEARLY = "half_yearly", _("Sáu tháng")
    YEARLY = "yearly", _("Hằng năm")
    ON_CHANGE = "on_change", _("Khi có thay đổi")


# R1.4 "sống": a dataset is stale once its newest accepted submission is older than this many days.
FRESHNESS_DAYS: dict[str, int] = {
    Frequency.REALTIME: 1,
    Frequency.DAILY: 2,
    Frequency.TWICE_WEEKLY: 4,
    Frequency.WEEKLY: 8,
    Frequency.MONTHLY: 35,
    Frequency.QUARTERLY: 100,
    Frequency.HALF_YEARLY: 190,
    Frequency.YEARLY: 380,
    Frequency.ON_CHANGE: 380,
}


class SharingMode(models.TextChoices):
    """R1.6 (Decree 47/2020): shared by default, or on a specific request."""

    DEFAULT = "default", _("Chia sẻ mặc định")
    ON_REQUEST = "on_request", _("Chia sẻ theo yêu cầu riêng")


class Sensitivity(models.TextChoices):
    """R1.1, R1.7: public, internal, restricted; state secrets are refused and never stored."""

    PUBLIC = "public", pgettext_lazy("mức độ nhạy cảm", "Công khai")
    INTERNAL = "internal", _("Nội bộ")
    RESTRICTED = "restricted", _("Hạn chế")
    STATE_SECRET = "state_secret", _("Bí mật nhà nước")


class DatasetStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    PUBLISHED = "published", _("Đã công bố")


class Channel(models.TextChoices):
    """R1.2: the way a submission came in."""

    PUSH = "push", _("API (đẩy)")
    PULL = "pull", _("Kết nối kéo")
    UPLOAD = "upload", _("Tải tệp mẫu")
    FORM = "form", _("Nhập trên biểu mẫu")


class SubmissionStatus(models.TextChoices):
    """R1.4: a submission is accepted, partially accepted (the dataset accepts valid rows) or rejected whole."""

    ACCEPTED = "accepted", _("Đã chấp nhận")
    PARTIAL = "partial", _("Chấp nhận một phần")
    REJECTED = "rejected", _("Bị từ chối")


STORED_STATUSES = frozenset({SubmissionStatus.ACCEPTED, SubmissionStatus.PARTIAL})


class JobState(models.TextChoices):
    """Durable work (DESIGN): a large import waits as a row, is claimed with a lease, and ends done or failed."""

    QUEUED = "queued", _("Đang chờ xử lý")
    RUNNING = "running", _("Đang xử lý")
    DONE = "done", _("Đã xử lý")
    FAILED = "failed", _("Không xử lý được")


class SheetState(models.TextChoices):
    """R1.4: the annotated error sheet of a submission's own file — kept (not asked for yet), queued for the
    worker (a large file), being made, ready, or failed."""

    KEPT = "kept", _("Chưa tạo")
    QUEUED = "queued", _("Đang chờ xử lý")
    RUNNING = "running", _("Đang tạo")
    DONE = "done", _("Đã tạo")
    FAILED = "failed", _("Không tạo được")


# R1.4: an uploaded file with errors is kept up to this size for its annotated sheet (setting
# DATAHUB_KEEP_UPLOAD_BYTES), for this many days (setting DATAHUB_KEEP_UPLOAD_DAYS).
KEEP_UPLOAD_BYTES = 20 * 1024 * 1024
KEEP_UPLOAD_DAYS = 90
SHEET_LEASE_SECONDS = 600
SHEET_MAX_ATTEMPTS = 3

# R1.2: a push of more rows than this is answered 202 and imported by the worker (smaller ones at once).
SYNC_ROW_LIMIT = 5000
# A workbook body larger than this is imported by the worker (its rows are not counted before reading).
SYNC_WORKBOOK_BYTES = 1024 * 1024
JOB_LEASE_SECONDS = 600
JOB_MAX_ATTEMPTS = 3


class ObligationFrequency(models.TextChoices):
    """R1.3: how an agency's obligation to send a dataset recurs. "Theo mẫu biểu" follows the profile's template
    cadence (`regulation.template_cadence()`, Monday and Thursday in Bà Rịa - Vũng Tàu), else its own weekdays."""

    TEMPLATE = "template", _("Theo lịch gửi mẫu biểu")
    WEEKLY = "weekly", _("Hằng tuần vào các thứ đã chọn")
    MONTHLY = "monthly", _("Hằng tháng vào ngày đã chọn")
    QUARTERLY = "quarterly", _("Hằng quý (tháng đầu quý)")
    YEARLY = "yearly", _("Hằng năm")


class DueState(models.TextChoices):
    """R1.3: what became of one due instant of an obligation."""

    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Nộp muộn")
    MISSING = "missing", _("Chưa nộp (quá hạn)")
    UPCOMING = "upcoming", _("Chưa đến hạn")


class ReminderKind(models.TextChoices):
    """R1.3: a reminder ("đôn đốc") before the due time, or after it when nothing came."""

    BEFORE = "before", _("Nhắc trước hạn")
    AFTER = "after", _("Đôn đốc sau hạn")


class ConnectorFormat(models.TextChoices):
    """R1.2b: what a pull connector's endpoint answers."""

    JSON = "json", _("JSON (danh sách bản ghi)")
    CSV = "csv", _("CSV")


class ConnectorMethod(models.TextChoices):
    GET = "GET", "GET"
    POST = "POST", "POST"


class RunStatus(models.TextChoices):
    """R1.2b: how one run of a pull connector ended."""

    SUCCESS = "success", _("Thành công")
    REJECTED = "rejected", _("Dữ liệu bị từ chối")
    FAILED = "failed", _("Lỗi kết nối hoặc phản hồi")


# R1.2b: a connector's run holds its lease this long; after a failure the next attempt waits
# RETRY_BASE_SECONDS × 2^(failures − 1), never longer than the connector's own interval.
CONNECTOR_LEASE_SECONDS = 300
CONNECTOR_RETRY_BASE_SECONDS = 60
CONNECTOR_INTERVAL_MINUTES = (5, 60 * 24 * 31)
CONNECTOR_TIMEOUT_SECONDS = (1, 120)
