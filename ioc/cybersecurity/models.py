"""Information-security watch (R5.6, issue 21; acts 004:6.7, 000:7.4): watched assets whose rows are the durable
check work, the results of each check, normalised security events, their sources, event rules and the refusal
counters shown on /metrics."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ioc.common.choices import Severity
from ioc.cybersecurity.choices import (
    LEVEL_CHOICES,
    AssetKind,
    AssetStatus,
    EventFormat,
    ExposureStatus,
    RejectReason,
)


class Asset(models.Model):
    """R5.6: a watched portal, website, online service, shared system, data-center host or segment, or the IOC.

    The row is also the durable check work (DESIGN "Durable work"): due at `next_check_at`, claimed by a
    conditional UPDATE of `lease_until`. `dns_expected` are the registered answers; `deface_selectors` the page
    regions fingerprinted (CSS selectors), `forbidden_words` words that must never appear, `forbidden_images` the
    dHashes of known defacement images (imagehash.py) and `deface_images` the regions' images at the baseline."""

    code = models.SlugField(_("mã"), max_length=60, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    kind = models.CharField(_("loại"), max_length=20, choices=AssetKind.choices)
    agency = models.ForeignKey(
        "agencies.Agency", models.PROTECT, related_name="cyber_assets", verbose_name=_("cơ quan chủ quản")
    )
    level = models.PositiveSmallIntegerField(
        _("cấp độ"), choices=LEVEL_CHOICES, default=2, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    url = models.CharField(_("địa chỉ"), max_length=500)
    dns_expected = models.JSONField(_("bản ghi DNS đã đăng ký"), default=list, blank=True)
    deface_selectors = models.JSONField(_("vùng trang theo dõi (CSS)"), default=list, blank=True)
    forbidden_words = models.JSONField(_("từ ngữ cấm"), default=list, blank=True)
    deface_baseline = models.TextField(_("nội dung gốc của vùng theo dõi"), blank=True)
    deface_fingerprint = models.CharField(_("dấu vân tay gốc"), max_length=64, blank=True)
    # URL → dHash of the regions' images at the baseline; None until the next check takes it
    deface_images = models.JSONField(_("ảnh gốc của vùng theo dõi"), null=True, blank=True)
    forbidden_images = models.JSONField(_("ảnh tấn công đã biết (dHash)"), default=list, blank=True)
    interval_minutes = models.PositiveIntegerField(
        _("chu kỳ kiểm tra (phút)"), default=5, validators=[MinValueValidator(1), MaxValueValidator(1440)]
    )
    is_demo = models.BooleanField(_("dữ liệu mẫu (không kiểm tra thật)"), default=False)
    is_active = models.BooleanField(_("đang theo dõi"), default=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=AssetStatus.choices, default=AssetStatus.UNKNOWN)
    problems = models.JSONField(_("vấn đề hiện có"), default=list, blank=True)
    last_checked_at = models.DateTimeField(_("kiểm tra lần cuối"), null=True, blank=True)
    last_response_ms = models.PositiveIntegerField(_("thời gian phản hồi (ms)"), null=True, blank=True)
    cert_expires_at = models.DateTimeField(_("chứng thư hết hạn"), null=True, blank=True)
    next_check_at = models.DateTimeField(_("kiểm tra kế tiếp"), default=timezone.now)
    lease_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("tài sản được giám sát")
        verbose_name_plural = _("tài sản được giám sát")
        ordering = ["name"]
        indexes = [models.Index(fields=["is_active", "next_check_at"], name="cyber_asset_due_idx")]

    def __str__(self) -> str:
        return self.name


class CheckResult(models.Model):
    """R5.6: one check of an asset: reachable or not, why, response time, certificate days left, problems, and the
    page's screenshot when it was defaced."""

    asset = models.ForeignKey(Asset, models.CASCADE, related_name="results")
    checked_at = models.DateTimeField(_("thời điểm"), db_index=True)
    ok = models.BooleanField(_("truy cập được"))
    status_code = models.PositiveSmallIntegerField(_("mã HTTP"), null=True, blank=True)
    response_ms = models.PositiveIntegerField(_("thời gian phản hồi (ms)"), null=True, blank=True)
    cert_days = models.IntegerField(_("số ngày chứng thư còn hạn"), null=True, blank=True)
    problems = models.JSONField(_("vấn đề"), default=list, blank=True)
    reason = models.TextField(_("lý do"), blank=True)
    detail = models.JSONField(_("chi tiết"), default=dict, blank=True)
    # PNG of the page when the check found defacement (screenshots.py); served by views.result_screenshot only
    screenshot = models.FileField(_("ảnh chụp trang"), upload_to="cyber/screenshots/%Y/%m/", blank=True)

    class Meta:
        verbose_name = _("kết quả kiểm tra")
        verbose_name_plural = _("kết quả kiểm tra")
        ordering = ["-checked_at"]
        indexes = [models.Index(fields=["asset", "checked_at"], name="cyber_result_asset_idx")]

    def __str__(self) -> str:
        return f"{self.asset_id} {self.checked_at:%Y-%m-%d %H:%M} {'ok' if self.ok else 'fail'}"


class EventSource(models.Model):
    """R5.6: a registered sender of security events (a firewall, a SIEM, a server) and its agency; syslog from an
    address not registered here is refused ("unregistered")."""

    name = models.CharField(_("tên"), max_length=200)
    address = models.GenericIPAddressField(_("địa chỉ IP"), unique=True)
    agency = models.ForeignKey(
        "agencies.Agency", models.PROTECT, related_name="cyber_sources", verbose_name=_("cơ quan")
    )
    is_active = models.BooleanField(_("đang nhận"), default=True)

    class Meta:
        verbose_name = _("nguồn sự kiện")
        verbose_name_plural = _("nguồn sự kiện")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.address})"


class SecurityEvent(models.Model):
    """R5.6: one normalised security event (time, source, host, rule, severity, agency), deduplicated by a digest
    of its normalised content (which covers the time: the key is `(digest, occurred_at)`, as a unique key of the
    PostgreSQL table partitioned by month must hold `occurred_at`; partitions.py) and kept for
    `CYBER_EVENT_RETENTION_DAYS`."""

    occurred_at = models.DateTimeField(_("thời điểm"))
    received_at = models.DateTimeField(_("nhận lúc"), default=timezone.now)
    format = models.CharField(_("định dạng"), max_length=10, choices=EventFormat.choices)
    source = models.CharField(_("nguồn"), max_length=100)
    host = models.CharField(_("máy"), max_length=255, blank=True)
    rule = models.CharField(_("luật"), max_length=200)
    severity = models.PositiveSmallIntegerField(_("mức độ"), choices=Severity.choices)
    agency = models.ForeignKey("agencies.Agency", models.SET_NULL, null=True, blank=True, related_name="+")
    message = models.TextField(_("nội dung"), blank=True)
    digest = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("sự kiện an toàn thông tin")
        verbose_name_plural = _("sự kiện an toàn thông tin")
        ordering = ["-occurred_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["digest", "occurred_at"],
                name="cyber_event_digest_unique",
                violation_error_message=_("Sự kiện đã có / The event is already stored"),
            )
        ]
        indexes = [
            models.Index(fields=["occurred_at"], name="cyber_event_time_idx"),
            models.Index(fields=["agency", "occurred_at"], name="cyber_event_agency_idx"),
            models.Index(fields=["rule", "occurred_at"], name="cyber_event_rule_idx"),
            # the event rules' window count per host (services.events._rule_host): without it a count scanned
            # every event of the window, each batch, for each host that matched
            models.Index(fields=["host", "occurred_at"], name="cyber_event_host_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.host} {self.rule}"


class EventRule(models.Model):
    """R5.6, R4.1: events whose rule starts with `rule_prefix`, at `min_severity` or above, seen `threshold` times
    on one host within `window_minutes`, raise `cyber.event` (dedup key `<asset code>:<rule code>` when the host is
    a watched asset's, else `<host>:<rule code>`; docs/decisions/0010); resolved once a whole window passes without
    a match."""

    code = models.SlugField(_("mã"), max_length=60, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    rule_prefix = models.CharField(_("luật bắt đầu bằng"), max_length=200, blank=True)
    min_severity = models.PositiveSmallIntegerField(
        _("mức độ tối thiểu"), choices=Severity.choices, default=Severity.HIGH
    )
    threshold = models.PositiveIntegerField(_("số lần"), default=1, validators=[MinValueValidator(1)])
    window_minutes = models.PositiveIntegerField(
        _("trong khoảng (phút)"), default=10, validators=[MinValueValidator(1), MaxValueValidator(1440)]
    )
    is_active = models.BooleanField(_("đang áp dụng"), default=True)

    class Meta:
        verbose_name = _("luật cảnh báo sự kiện")
        verbose_name_plural = _("luật cảnh báo sự kiện")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class EventRuleState(models.Model):
    """R4.1: whether a rule's alert is open for a host, and when the rule last matched (the resolve sweep)."""

    rule = models.ForeignKey(EventRule, models.CASCADE, related_name="states")
    host = models.CharField(max_length=255)
    # the alert's key as raised (`<asset>:<rule>` when the host is a watched asset's), so the sweep resolves the
    # same alert even if the asset's address changes meanwhile; empty on rows from before: `<host>:<rule>`
    dedup_key = models.CharField(max_length=200, blank=True)
    last_match_at = models.DateTimeField()
    is_open = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rule", "host"], name="cyber_rule_state_unique")]

    def __str__(self) -> str:
        return f"{self.rule_id}:{self.host}"


class Rejection(models.Model):
    """R10.1: events refused, counted per reason and where (syslog, api), with the last sample (cut to 500)."""

    reason = models.CharField(_("lý do"), max_length=20, choices=RejectReason.choices)
    channel = models.CharField(_("kênh"), max_length=20)
    count = models.PositiveBigIntegerField(default=0)
    sample = models.TextField(blank=True)
    last_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["reason", "channel"], name="cyber_rejection_unique")]

    def __str__(self) -> str:
        return f"{self.channel}:{self.reason}={self.count}"


class Vulnerability(models.Model):
    """R5.6 (000:7.4): a national vulnerability notice (of the national cybersecurity authority or a CVE) the IOC
    forwards to the agencies whose assets it affects; each affected asset is an Exposure with its own work."""

    code = models.CharField(_("mã (CVE, số cảnh báo)"), max_length=60, unique=True)
    title = models.CharField(_("tiêu đề"), max_length=200)
    severity = models.PositiveSmallIntegerField(_("mức độ"), choices=Severity.choices)
    notice_no = models.CharField(_("số văn bản cảnh báo"), max_length=100, blank=True)
    published_on = models.DateField(_("ngày cảnh báo"))
    description = models.TextField(_("mô tả"), blank=True)
    remedy = models.TextField(_("biện pháp khắc phục"), blank=True)
    working_hours = models.FloatField(_("thời hạn khắc phục (giờ làm việc)"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("lỗ hổng bảo mật")
        verbose_name_plural = _("lỗ hổng bảo mật")
        ordering = ["-published_on", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Exposure(models.Model):
    """R5.6: one watched asset a vulnerability affects, forwarded to the asset's agency as one assignment
    (process "cybersecurity", subject `vuln:<pk>`); its status follows the assignment (the subject handler)."""

    vulnerability = models.ForeignKey(Vulnerability, models.CASCADE, related_name="exposures")
    asset = models.ForeignKey(Asset, models.PROTECT, related_name="exposures", verbose_name=_("tài sản"))
    agency = models.ForeignKey("agencies.Agency", models.PROTECT, related_name="+", verbose_name=_("cơ quan"))
    assignment = models.ForeignKey("assignments.Assignment", models.PROTECT, null=True, blank=True, related_name="+")
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=ExposureStatus.choices, default=ExposureStatus.FORWARDED
    )
    deadline_at = models.DateTimeField(_("hạn khắc phục"), null=True, blank=True)
    fixed_at = models.DateTimeField(_("khắc phục lúc"), null=True, blank=True)
    fixed_on_time = models.BooleanField(_("khắc phục đúng hạn"), null=True, blank=True)

    class Meta:
        verbose_name = _("tài sản bị ảnh hưởng")
        verbose_name_plural = _("tài sản bị ảnh hưởng")
        ordering = ["vulnerability", "asset"]
        constraints = [
            models.UniqueConstraint(
                fields=["vulnerability", "asset"],
                name="cyber_exposure_unique",
                violation_error_message=_("Tài sản đã có trong cảnh báo này / The asset is already listed"),
            )
        ]
        indexes = [models.Index(fields=["status", "deadline_at"], name="cyber_exposure_due_idx")]

    def __str__(self) -> str:
        return f"{self.vulnerability_id} × {self.asset_id}"


class EventDay(models.Model):
    """R5.6 (issue 21 "Speed"): security events counted per local day, agency and rule, kept by the services that
    write events (one upsert per batch) so that "events by agency and rule over 30 days" reads a few thousand cells
    instead of millions of rows. `agency_key` is the agency's id, 0 for none (a plain column: one unique key on both
    engines, where a NULL would never conflict)."""

    day = models.DateField(_("ngày"))
    agency_key = models.PositiveIntegerField(default=0)
    rule = models.CharField(_("luật"), max_length=200)
    count = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("số sự kiện theo ngày")
        verbose_name_plural = _("số sự kiện theo ngày")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "agency_key", "rule"],
                name="cyber_eventday_unique",
                violation_error_message=_("Ô đếm đã có / The cell exists"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.agency_key} {self.rule}={self.count}"
