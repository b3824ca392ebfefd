"""The shared data hub (R1.1–R1.5): the catalog of datasets, their submissions and their rows.

Rows of every dataset live in one table (`Record`): real columns for what is filtered everywhere (primary-key
hash, unit, period, point, commune, grid cell, lineage) and the row itself as JSON in `data`; the fields a
schema marks `ioc:filterable` get an expression index when the dataset is published (`indexes.py`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ioc.datahub.choices import (
    Channel,
    ConnectorFormat,
    ConnectorMethod,
    DatasetStatus,
    Frequency,
    JobState,
    ObligationFrequency,
    RunStatus,
    Sensitivity,
    SharingMode,
    SheetState,
    SubmissionStatus,
)


class Dataset(models.Model):
    """R1.1: a dataset of the catalog — owner agency, the system feeding it, its Frictionless Table Schema,
    expected frequency, sharing mode and sensitivity (R1.7: never a state secret)."""

    code = models.SlugField(_("mã"), max_length=60, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    description = models.TextField(_("mô tả"), blank=True)
    owner = models.ForeignKey(
        "agencies.Agency", models.PROTECT, related_name="datasets", verbose_name=_("cơ quan chủ quản")
    )
    system = models.ForeignKey(
        "agencies.InformationSystem",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="datasets",
        verbose_name=_("hệ thống cung cấp"),
    )
    schema = models.JSONField(_("cấu trúc (Table Schema)"), default=dict)
    frequency = models.CharField(_("tần suất cập nhật"), max_length=20, choices=Frequency.choices)
    sharing_mode = models.CharField(
        _("hình thức chia sẻ"), max_length=20, choices=SharingMode.choices, default=SharingMode.DEFAULT
    )
    sensitivity = models.CharField(
        _("mức độ nhạy cảm"), max_length=20, choices=Sensitivity.choices, default=Sensitivity.INTERNAL
    )
    status = models.CharField(_("trạng thái"), max_length=20, choices=DatasetStatus.choices, default="draft")
    accept_valid_rows = models.BooleanField(
        _("nhận các dòng hợp lệ"),
        default=False,
        help_text=_("Mặc định, một lần nộp có lỗi bị từ chối toàn bộ."),
    )
    layer = models.CharField(_("lớp bản đồ"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("bộ dữ liệu")
        verbose_name_plural = _("bộ dữ liệu")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(sensitivity=Sensitivity.STATE_SECRET),
                name="datahub_dataset_no_state_secret",
                violation_error_message=_("Không tiếp nhận dữ liệu bí mật nhà nước."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def fields(self) -> list[dict[str, Any]]:
        return list(self.schema.get("fields", []))

    @property
    def primary_key(self) -> list[str]:
        key = self.schema.get("primaryKey") or []
        return [key] if isinstance(key, str) else list(key)


class Submission(models.Model):
    """R1.2, R1.4, R1.5: one delivery of rows — who sent it, how, when, for which period, what became of it and
    its error report (rows, fields, reasons). Rejected submissions are kept for audit."""

    dataset = models.ForeignKey(Dataset, models.PROTECT, related_name="submissions", verbose_name=_("bộ dữ liệu"))
    agency = models.ForeignKey("agencies.Agency", models.PROTECT, related_name="+", verbose_name=_("cơ quan gửi"))
    submitter = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    channel = models.CharField(_("kênh"), max_length=10, choices=Channel.choices)
    received_at = models.DateTimeField(_("nhận lúc"), db_index=True)
    period = models.CharField(_("kỳ"), max_length=10, blank=True)
    status = models.CharField(_("kết quả"), max_length=10, choices=SubmissionStatus.choices)
    file_name = models.CharField(_("tên tệp"), max_length=200, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_imported = models.PositiveIntegerField(default=0)
    rows_updated = models.PositiveIntegerField(default=0)
    rows_unchanged = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    errors = models.JSONField(_("báo cáo lỗi"), default=list, blank=True)
    quality = models.JSONField(_("chất lượng"), default=dict, blank=True)

    class Meta:
        verbose_name = _("lần nộp dữ liệu")
        verbose_name_plural = _("lần nộp dữ liệu")
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["dataset", "status", "received_at"], name="datahub_sub_dataset_idx")]

    def __str__(self) -> str:
        return f"{self.dataset.code} #{self.pk}"


class SubmissionFile(models.Model):
    """R1.4: the officer's own file of a submission with errors (bounded: `KEEP_UPLOAD_BYTES`), kept so that the
    first download of "bảng lỗi" makes a copy with the bad cells marked (`annotate.py`). Goes with its submission
    and, after `KEEP_UPLOAD_DAYS`, on its own (`error_sheets_expire`). The sheet is durable work (DESIGN "Durable
    work"): queued for the worker when the file is large, claimed by a conditional UPDATE with a lease."""

    submission = models.OneToOneField(
        Submission, models.CASCADE, primary_key=True, related_name="upload_file", verbose_name=_("lần nộp")
    )
    file_name = models.CharField(_("tên tệp"), max_length=200, blank=True)
    content = models.BinaryField(_("tệp gốc"))
    sheet = models.BinaryField(_("bảng lỗi"), blank=True, default=b"")
    state = models.CharField(_("trạng thái"), max_length=10, choices=SheetState.choices, default=SheetState.KEPT)
    kept_at = models.DateTimeField(_("lưu lúc"), db_index=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("tệp gốc của lần nộp có lỗi")
        verbose_name_plural = _("tệp gốc của lần nộp có lỗi")
        indexes = [models.Index(fields=["state", "lease_until"], name="datahub_sheet_state_idx")]

    def __str__(self) -> str:
        return f"{self.submission_id}: {self.file_name} ({self.state})"


class Record(models.Model):
    """R1.5: one version of one row of a dataset; a correction writes a new version and the old one stays
    readable (`is_current` False). The row itself is `data`; lineage is its submission."""

    dataset = models.ForeignKey(Dataset, models.PROTECT, related_name="records")
    pk_hash = models.CharField(max_length=64)
    version = models.PositiveIntegerField(default=1)
    is_current = models.BooleanField(default=True)
    submission = models.ForeignKey(Submission, models.PROTECT, related_name="records")
    unit = models.ForeignKey("geo.AdminUnit", models.PROTECT, null=True, blank=True, related_name="+")
    period = models.CharField(max_length=10, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    commune = models.ForeignKey("geo.AdminUnit", models.PROTECT, null=True, blank=True, related_name="+")
    grid_cell = models.CharField(max_length=16, blank=True)
    data = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("dòng dữ liệu")
        verbose_name_plural = _("dòng dữ liệu")
        constraints = [
            models.UniqueConstraint(fields=["dataset", "pk_hash", "version"], name="datahub_record_version_unique"),
            models.UniqueConstraint(
                fields=["dataset", "pk_hash"],
                condition=models.Q(is_current=True),
                name="datahub_record_current_unique",
                violation_error_message=_("Mỗi khóa chỉ có một phiên bản hiện hành."),
            ),
        ]
        indexes = [
            models.Index(fields=["dataset", "is_current", "period"], name="datahub_rec_period_idx"),
            models.Index(fields=["dataset", "is_current", "unit"], name="datahub_rec_unit_idx"),
            models.Index(fields=["dataset", "grid_cell"], name="datahub_rec_cell_idx"),
            models.Index(fields=["lat", "lon"], name="datahub_rec_point_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.dataset_id}:{self.pk_hash[:8]} v{self.version}"


class IngestJob(models.Model):
    """R1.2 (DESIGN "Durable work"): a large import waiting for the worker — the raw body, who sent it and for
    which dataset; claimed by a conditional UPDATE with a lease, retried, and linked to its submission when done
    (in the submission's own transaction, so a job is imported once)."""

    dataset = models.ForeignKey(Dataset, models.PROTECT, related_name="+")
    agency = models.ForeignKey("agencies.Agency", models.PROTECT, related_name="+")
    submitter = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    file_name = models.CharField(max_length=200, blank=True)
    is_rows = models.BooleanField(default=False, help_text="content is a JSON list of rows")
    content = models.BinaryField()
    period = models.CharField(max_length=10, blank=True)
    state = models.CharField(max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    created_at = models.DateTimeField(auto_now_add=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    submission = models.OneToOneField(Submission, models.PROTECT, null=True, blank=True, related_name="job")

    class Meta:
        verbose_name = _("việc nhập dữ liệu lớn")
        verbose_name_plural = _("việc nhập dữ liệu lớn")
        indexes = [models.Index(fields=["state", "lease_until"], name="datahub_job_state_idx")]

    def __str__(self) -> str:
        return f"{self.dataset_id} job #{self.pk} ({self.state})"


DEFAULT_DUE_TIME = dt.time(17, 0)


class Obligation(models.Model):
    """R1.3: an agency's duty to send a dataset — how it recurs (weekdays, day of month, quarter, year), the local
    due time (17:00 Asia/Ho_Chi_Minh unless set) and when to remind before and after it ("đôn đốc")."""

    dataset = models.ForeignKey(Dataset, models.PROTECT, related_name="obligations", verbose_name=_("bộ dữ liệu"))
    agency = models.ForeignKey(
        "agencies.Agency", models.PROTECT, related_name="+", verbose_name=_("cơ quan có nghĩa vụ gửi")
    )
    frequency = models.CharField(_("chu kỳ"), max_length=20, choices=ObligationFrequency.choices)
    weekdays = models.JSONField(_("các thứ trong tuần (1 = thứ Hai)"), default=list, blank=True)
    day = models.PositiveSmallIntegerField(_("ngày trong tháng"), null=True, blank=True)
    month = models.PositiveSmallIntegerField(_("tháng trong năm"), null=True, blank=True)
    due_time = models.TimeField(_("giờ hạn"), default=DEFAULT_DUE_TIME)
    remind_before_hours = models.PositiveSmallIntegerField(_("nhắc trước hạn (giờ)"), default=24)
    remind_after_hours = models.PositiveSmallIntegerField(_("đôn đốc sau hạn (giờ)"), default=2)
    starts_on = models.DateField(_("áp dụng từ ngày"))
    is_active = models.BooleanField(_("đang áp dụng"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("nghĩa vụ gửi dữ liệu")
        verbose_name_plural = _("nghĩa vụ gửi dữ liệu")
        ordering = ["dataset__code", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "agency"], name="datahub_obligation_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.dataset_id} × {self.agency_id} ({self.frequency})"


class Connector(models.Model):
    """R1.2b: a pull connector, one per dataset — the endpoint (URL, method, an auth header whose value is stored
    encrypted and never shown back), what it answers (a JSON list found by a path, or CSV) and its schedule. The
    row is the durable work (DESIGN "Durable work"): due at `next_run_at`, claimed by a conditional UPDATE of
    `lease_until`, retried with back-off (`failures`)."""

    dataset = models.OneToOneField(Dataset, models.PROTECT, related_name="connector", verbose_name=_("bộ dữ liệu"))
    url = models.URLField(_("địa chỉ (URL)"), max_length=500)
    method = models.CharField(_("phương thức"), max_length=4, choices=ConnectorMethod.choices, default="GET")
    fmt = models.CharField(_("định dạng"), max_length=4, choices=ConnectorFormat.choices, default="json")
    json_path = models.CharField(_("đường dẫn JSON"), max_length=200, blank=True)
    auth_header = models.CharField(_("tên tiêu đề xác thực"), max_length=60, blank=True)
    auth_secret = models.TextField(_("giá trị xác thực (mã hoá)"), blank=True)
    interval_minutes = models.PositiveIntegerField(_("chu kỳ chạy (phút)"), default=60)
    timeout_seconds = models.PositiveSmallIntegerField(_("thời gian chờ (giây)"), default=15)
    is_active = models.BooleanField(_("đang chạy theo lịch"), default=True)
    next_run_at = models.DateTimeField(_("lần chạy tới"), null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveSmallIntegerField(_("số lần lỗi liên tiếp"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kết nối kéo dữ liệu")
        verbose_name_plural = _("kết nối kéo dữ liệu")
        ordering = ["dataset__code"]
        indexes = [models.Index(fields=["is_active", "next_run_at"], name="datahub_connector_due_idx")]

    def __str__(self) -> str:
        return f"{self.dataset_id} ← {self.url}"


class ConnectorRun(models.Model):
    """R1.2b: one run of a pull connector, recorded whatever happened: status, HTTP status, rows, error,
    duration and the submission it fed into `submission_ingest` (none when the endpoint failed)."""

    connector = models.ForeignKey(Connector, models.CASCADE, related_name="runs", verbose_name=_("kết nối"))
    started_at = models.DateTimeField(_("bắt đầu"), db_index=True)
    duration_ms = models.PositiveIntegerField(_("thời gian (ms)"), default=0)
    attempt = models.PositiveSmallIntegerField(_("lần thử"), default=1)
    status = models.CharField(_("kết quả"), max_length=10, choices=RunStatus.choices)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    rows = models.PositiveIntegerField(_("số dòng"), default=0)
    error = models.TextField(_("lỗi"), blank=True)
    submission = models.OneToOneField(Submission, models.PROTECT, null=True, blank=True, related_name="connector_run")

    class Meta:
        verbose_name = _("lần chạy kết nối")
        verbose_name_plural = _("lần chạy kết nối")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.connector_id} @ {self.started_at:%Y-%m-%d %H:%M} ({self.status})"
