"""Citizen field reports ("phản ánh hiện trường"): R3.1–R3.5, R7.5."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ioc.citizen_reports.choices import OPEN_STATUSES, Channel, IntakeStatus, PhotoKind, ReportStatus
from ioc.common.text import fold


class Category(models.Model):
    """R3.2: what a report is about; carries its deadline, approval and evidence rules (Open311 service)."""

    code = models.SlugField(_("mã"), max_length=60, unique=True)
    name = models.CharField(_("tên"), max_length=160)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=160, blank=True)
    description = models.TextField(_("mô tả"), blank=True)
    group = models.CharField(_("nhóm"), max_length=80, blank=True)
    keywords = models.CharField(_("từ khóa"), max_length=300, blank=True)
    is_active = models.BooleanField(_("đang dùng"), default=True)
    default_agency = models.ForeignKey(
        "agencies.Agency", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("cơ quan mặc định")
    )
    handling_hours = models.FloatField(_("thời hạn xử lý (giờ làm việc)"), default=40)
    requires_leader_approval = models.BooleanField(_("cần lãnh đạo IOC duyệt trước khi chuyển"), default=False)
    evidence_photo_required = models.BooleanField(_("kết quả phải có ảnh"), default=True)
    duplicate_radius_m = models.PositiveIntegerField(_("bán kính tìm trùng (m)"), default=200)
    duplicate_days = models.PositiveIntegerField(_("số ngày tìm trùng"), default=14)

    class Meta:
        verbose_name = _("lĩnh vực phản ánh")
        verbose_name_plural = _("lĩnh vực phản ánh")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RoutingRule(models.Model):
    """R3.3: which agency handles a category in a commune (no commune = the whole territory)."""

    category = models.ForeignKey(Category, models.CASCADE, related_name="routing_rules")
    unit = models.ForeignKey("geo.AdminUnit", models.PROTECT, null=True, blank=True, related_name="+")
    agency = models.ForeignKey("agencies.Agency", models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("quy tắc chuyển xử lý")
        verbose_name_plural = _("quy tắc chuyển xử lý")
        constraints = [
            models.UniqueConstraint(
                fields=["category", "unit"],
                name="reports_routing_unique",
                violation_error_message=_("Lĩnh vực này đã có quy tắc cho địa bàn này."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.category} / {self.unit or '*'} → {self.agency}"


class Report(models.Model):
    """R3.1–R3.4: one citizen field report. The reporter's contact is in ReporterContact (R7.5)."""

    tracking_code = models.CharField(_("mã tra cứu"), max_length=16, unique=True)
    # HMAC of the private token in the reporter's link (rating and reopening need it).
    private_token_digest = models.CharField(max_length=64, blank=True)
    channel = models.CharField(_("kênh"), max_length=10, choices=Channel.choices)
    category = models.ForeignKey(Category, models.PROTECT, related_name="reports", verbose_name=_("lĩnh vực"))
    description = models.TextField(_("nội dung"))
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    unit = models.ForeignKey(
        "geo.AdminUnit", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("xã, phường")
    )
    grid_cell = models.CharField(max_length=16, blank=True, db_index=True)
    needs_location = models.BooleanField(_("cần xác định vị trí"), default=False)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.RECEIVED
    )
    anonymous_to_public = models.BooleanField(_("ẩn danh với công chúng"), default=True)
    social_url = models.URLField(_("liên kết bài đăng"), blank=True, max_length=500)
    source_system = models.ForeignKey(
        "agencies.InformationSystem", models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    received_at = models.DateTimeField(_("ngày tiếp nhận"), default=timezone.now, db_index=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    forwarded_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    deadline_at = models.DateTimeField(_("hạn xử lý"), null=True, blank=True)
    rejection_reason = models.TextField(_("lý do không tiếp nhận"), blank=True)
    duplicate_of = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="duplicates", verbose_name=_("trùng với")
    )
    agency = models.ForeignKey(
        "agencies.Agency", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("cơ quan xử lý")
    )
    assignment = models.ForeignKey("assignments.Assignment", models.PROTECT, null=True, blank=True, related_name="+")
    result = models.TextField(_("kết quả xử lý (công khai)"), blank=True)
    handled_on_time = models.BooleanField(null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("đánh giá"), null=True, blank=True)
    rating_comment = models.TextField(_("ý kiến"), blank=True)
    reopen_count = models.PositiveSmallIntegerField(default=0)
    # Diacritics-insensitive search key (DESIGN "Conventions"): fold(code, description, address); see search_key().
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = _("phản ánh")
        verbose_name_plural = _("phản ánh")
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["status", "received_at"], name="reports_status_received_idx"),
            models.Index(fields=["category", "received_at"], name="reports_category_idx"),
            models.Index(fields=["unit", "received_at"], name="reports_unit_idx"),
            models.Index(fields=["agency", "status"], name="reports_agency_idx"),
            models.Index(fields=["lat", "lon"], name="reports_point_idx"),
            # The operator's work queue (issue 20 "Speed"): each kind's oldest rows of one commune in order
            # (selectors/maps.py `citizen_reports_work_items`; the whole territory reads reports_status_received_idx),
            # and the few reports without a location, whole territory or one commune (Django writes the term
            # `"needs_location"`, which SQLite matches to these small partial indexes; it cannot seek a boolean).
            models.Index(fields=["unit", "status", "received_at"], name="reports_work_unit_idx"),
            models.Index(fields=["status", "received_at"], condition=Q(needs_location=True), name="reports_locate_idx"),
            models.Index(
                fields=["unit", "received_at"], condition=Q(needs_location=True), name="reports_locate_unit_idx"
            ),
            # Covering, the map's counts and members (issue 20): a GROUP BY over the grid cells of a box and the
            # newest points of a box read this index only, never the table (ioc.geo.areas.point_counts_in_area).
            # `id` is included for PostgreSQL, whose index entries hold no primary key (SQLite's hold the rowid):
            # the counts (COUNT(id)), a circle's ring (by id) and the members (ids) fetched every row from the
            # table without it (migration 0007; SQLite ignores INCLUDE).
            models.Index(
                fields=["grid_cell", "status", "category", "agency", "lat", "lon", "received_at"],
                include=["id"],
                name="reports_cell_cover_idx",
            ),
            # Erasure by closing time; and, covering, the statistics' "overdue while still open" (closed_at IS
            # NULL, deadline passed), which is counted live and must not fetch rows (statistics.py).
            models.Index(
                fields=[
                    "closed_at",
                    "deadline_at",
                    "received_at",
                    "status",
                    "agency",
                    "category",
                    "unit",
                    "channel",
                ],
                name="reports_open_deadline_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="reports_rating_1_5",
                violation_error_message=_("Đánh giá từ 1 đến 5."),
            ),
            # Statistics count "still open" with closed_at IS NULL (its index), so an open report never has one.
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | ~Q(status__in=sorted(OPEN_STATUSES)),
                name="reports_open_not_closed",
                violation_error_message=_(
                    "Phản ánh đang xử lý không có ngày kết thúc / An open report has no closing time."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_code} — {self.category}"


def search_key(*, tracking_code: str, description: str, address: str) -> str:
    """What staff search matches: "ho guom" finds "Hồ Gươm", "Hoà" equals "Hòa"."""
    return fold(f"{tracking_code} {description} {address}")


class ReporterContact(models.Model):
    """R3.2, R7.5: the reporter's contact, encrypted at rest, with blind indexes for duplicate lookups;
    erased a configurable time after closure."""

    report = models.OneToOneField(Report, models.CASCADE, related_name="contact")
    name_encrypted = models.TextField(blank=True)
    phone_encrypted = models.TextField(blank=True)
    email_encrypted = models.TextField(blank=True)
    phone_index = models.CharField(max_length=64, blank=True, db_index=True)
    email_index = models.CharField(max_length=64, blank=True, db_index=True)
    consent_processing = models.BooleanField(_("đồng ý xử lý dữ liệu cá nhân"), default=False)
    consent_share_with_agency = models.BooleanField(_("đồng ý chia sẻ với cơ quan xử lý"), default=False)
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("thông tin người phản ánh")
        verbose_name_plural = _("thông tin người phản ánh")

    def __str__(self) -> str:
        return f"contact of {self.report_id}"


class ReportPhoto(models.Model):
    """R3.2: a re-encoded, metadata-free photo; public only when an operator marks it so."""

    report = models.ForeignKey(Report, models.CASCADE, related_name="photos")
    kind = models.CharField(max_length=10, choices=PhotoKind.choices, default=PhotoKind.REPORT)
    file = models.FileField(upload_to="reports/%Y/%m/")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    is_public = models.BooleanField(_("công khai"), default=False)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ảnh phản ánh")
        verbose_name_plural = _("ảnh phản ánh")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.file.name}"


class ReportEvent(models.Model):
    """R3.3: the report's timeline; public events carry the Vietnamese state label shown to citizens."""

    report = models.ForeignKey(Report, models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    note = models.TextField(blank=True)
    is_public = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("diễn biến phản ánh")
        verbose_name_plural = _("diễn biến phản ánh")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.from_status} → {self.to_status}"


class IntakeItem(models.Model):
    """R3.1: a message from the IOC mailbox, turned into a report or discarded with a reason by an operator."""

    message_id = models.CharField(max_length=300, unique=True)
    sender_encrypted = models.TextField(blank=True)
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=IntakeStatus.choices, default=IntakeStatus.NEW)
    discard_reason = models.TextField(blank=True)
    report = models.ForeignKey(Report, models.PROTECT, null=True, blank=True, related_name="+")
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("thư đến")
        verbose_name_plural = _("thư đến")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return self.subject or self.message_id


class IntakeAttachment(models.Model):
    """An image attached to an intake e-mail, already validated and re-encoded."""

    item = models.ForeignKey(IntakeItem, models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="intake/%Y/%m/")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    def __str__(self) -> str:
        return str(self.file.name)


class StatisticsCell(models.Model):
    """R3.5: the summed contribution of the reports received on one local day (grain "d") or in one local month
    (grain "m") for one agency, category, commune and channel (0 = none yet). Written only by the database
    triggers of rollup.py, never by Python; read by statistics.py."""

    pk = models.CompositePrimaryKey("grain", "day", "agency_id", "category_id", "unit_id", "channel")
    grain = models.CharField(max_length=1)
    day = models.DateField()
    agency_id = models.IntegerField()
    category_id = models.IntegerField()
    unit_id = models.IntegerField()
    channel = models.CharField(max_length=10)
    received = models.IntegerField(default=0)
    verified = models.IntegerField(default=0)
    rejected = models.IntegerField(default=0)
    handled = models.IntegerField(default=0)
    on_time = models.IntegerField(default=0)
    handled_late = models.IntegerField(default=0)
    handled_seconds = models.BigIntegerField(default=0)
    rating_sum = models.IntegerField(default=0)
    rating_count = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("ô thống kê phản ánh")
        verbose_name_plural = _("ô thống kê phản ánh")

    def __str__(self) -> str:
        return f"{self.grain} {self.day} {self.agency_id}/{self.category_id}/{self.unit_id}/{self.channel}"
