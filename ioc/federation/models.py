"""Links between centers and the messages that travel over them (R9.1–R9.3; DESIGN "Durable work").

A center keeps one `Link` per neighbour: its parent (a district's province, a province's national endpoint) and
its children. What flows over a link is agreed per link; codes are mapped per link. Outgoing messages are
`OutboxMessage` rows written in the transaction of the change they carry, with a per-object version; incoming
ones are `InboxMessage` rows, applied once (unique on the message id), never letting an earlier version
overwrite a later one.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ioc.federation.choices import ConflictState, Flow, InState, LinkRole, MappingKind, OutState


class Link(models.Model):
    """R9.1, R9.2: the other center (or the national endpoint), its address and shared key, and what flows.

    `key_id` names the link in every signed request both ways; `secret_sealed` is the shared HMAC secret, sealed
    at rest (`signing.seal`). Both are set only through `link_keys_set` on a written account request (R7.2)."""

    code = models.SlugField(_("mã liên kết"), max_length=60, unique=True)
    name = models.CharField(_("tên trung tâm"), max_length=200)
    role = models.CharField(_("vai trò"), max_length=10, choices=LinkRole.choices)
    base_url = models.URLField(_("địa chỉ"), max_length=300, blank=True)
    key_id = models.CharField(_("mã khóa"), max_length=60, blank=True)
    secret_sealed = models.TextField(blank=True, editable=False)
    keys_request = models.ForeignKey(
        "accounts.AccountRequest", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("văn bản")
    )
    flows = models.JSONField(_("luồng dữ liệu đã thỏa thuận"), default=list, blank=True)
    indicator_codes = models.JSONField(_("chỉ số gửi đi"), default=list, blank=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_success_at = models.DateTimeField(_("gửi thành công lần cuối"), null=True, blank=True)
    last_received_at = models.DateTimeField(_("nhận lần cuối"), null=True, blank=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)

    class Meta:
        verbose_name = _("liên kết trung tâm")
        verbose_name_plural = _("liên kết trung tâm")
        ordering = ["role", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["key_id"],
                condition=~models.Q(key_id=""),
                name="federation_link_key_unique",
                violation_error_message=_("Mã khóa đã dùng cho liên kết khác"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def has_keys(self) -> bool:
        return bool(self.key_id and self.secret_sealed)


class CodeMapping(models.Model):
    """R9.1 "Mapping": a code the other center sends (`remote_code`; a unit as `25270` or `legacy:25270`) and the
    code it means here. Applied by the receiver; a code without a mapping means itself."""

    link = models.ForeignKey(Link, models.CASCADE, related_name="mappings")
    kind = models.CharField(_("loại mã"), max_length=10, choices=MappingKind.choices)
    remote_code = models.CharField(_("mã bên kia"), max_length=80)
    local_code = models.CharField(_("mã tại đây"), max_length=80)

    class Meta:
        verbose_name = _("ánh xạ mã")
        verbose_name_plural = _("ánh xạ mã")
        ordering = ["link", "kind", "remote_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["link", "kind", "remote_code"],
                name="federation_mapping_unique",
                violation_error_message=_("Mã này đã được ánh xạ"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.remote_code} → {self.local_code}"


class ObjectVersion(models.Model):
    """R9.3: the newest version of one object per link and direction (the sender's counter and what it last sent;
    the receiver's newest applied version), so a late earlier version is never applied over a later one."""

    link = models.ForeignKey(Link, models.CASCADE, related_name="+")
    outgoing = models.BooleanField()
    object_key = models.CharField(max_length=200)
    version = models.PositiveBigIntegerField(default=0)
    digest = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["link", "outgoing", "object_key"], name="federation_objversion_unique")
        ]

    def __str__(self) -> str:
        return f"{self.object_key} v{self.version}"


class OutboxMessage(models.Model):
    """R9.3: one message to the other center, written in the transaction of the change it carries; durable work
    (claimed with a lease, retried with back-off, dead after the configured attempts)."""

    link = models.ForeignKey(Link, models.PROTECT, related_name="outbox")
    message_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    flow = models.CharField(_("luồng"), max_length=30, choices=Flow.choices)
    object_key = models.CharField(_("đối tượng"), max_length=200)
    version = models.PositiveBigIntegerField(_("phiên bản"))
    payload = models.JSONField(default=dict)
    state = models.CharField(_("trạng thái"), max_length=10, choices=OutState.choices, default=OutState.PENDING)
    attempts = models.PositiveIntegerField(_("số lần gửi"), default=0)
    solo = models.BooleanField(default=False)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    lease_until = models.DateTimeField(null=True, blank=True)
    lease_token = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    delivered_at = models.DateTimeField(_("nhận lúc"), null=True, blank=True)
    last_delivery_id = models.UUIDField(null=True, blank=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    result = models.CharField(_("kết quả bên nhận"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("thư gửi đi")
        verbose_name_plural = _("thư gửi đi")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="federation_out_due_idx"),
            models.Index(fields=["link", "state", "created_at"], name="federation_out_link_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["link", "object_key", "version"], name="federation_out_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.flow} {self.object_key} v{self.version}"


class DeadLetter(models.Model):
    """R9.3: a message the sender gave up on (attempts exhausted, or refused by the receiver), for an operator to
    inspect and replay."""

    message = models.ForeignKey(OutboxMessage, models.CASCADE, related_name="dead_letters")
    reason = models.TextField(_("lý do"))
    created_at = models.DateTimeField(_("lúc"), default=timezone.now)
    replayed_at = models.DateTimeField(_("gửi lại lúc"), null=True, blank=True)
    replayed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("thư không gửi được")
        verbose_name_plural = _("thư không gửi được")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.message} ({self.created_at:%Y-%m-%d %H:%M})"


class InboxMessage(models.Model):
    """R9.3: one message received from another center, applied once: unique on (link, message id)."""

    link = models.ForeignKey(Link, models.PROTECT, related_name="inbox")
    message_id = models.UUIDField()
    flow = models.CharField(_("luồng"), max_length=30, choices=Flow.choices)
    object_key = models.CharField(_("đối tượng"), max_length=200)
    version = models.PositiveBigIntegerField(_("phiên bản"))
    payload = models.JSONField(default=dict)
    state = models.CharField(_("trạng thái"), max_length=12, choices=InState.choices)
    received_at = models.DateTimeField(_("nhận lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("thư nhận được")
        verbose_name_plural = _("thư nhận được")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["link", "message_id"], name="federation_inbox_once"),
        ]

    def __str__(self) -> str:
        return f"{self.flow} {self.object_key} v{self.version}"


class SeenDelivery(models.Model):
    """R9.1: delivery ids already accepted (a replayed request is refused); older than twice the allowed clock
    skew they are forgotten, since a request that old is refused as stale anyway."""

    delivery_id = models.UUIDField(unique=True)
    link = models.ForeignKey(Link, models.CASCADE, related_name="+")
    seen_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return str(self.delivery_id)


class ReceivedRecord(models.Model):
    """R9.1: what a child center sent that has no home in another app here: its daily summaries of citizen
    reports and incidents, its incidents escalated to this level (newest version per object)."""

    link = models.ForeignKey(Link, models.PROTECT, related_name="records")
    flow = models.CharField(_("luồng"), max_length=30, choices=Flow.choices)
    object_key = models.CharField(_("đối tượng"), max_length=200)
    version = models.PositiveBigIntegerField(_("phiên bản"))
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField(_("cập nhật"), default=timezone.now)

    class Meta:
        verbose_name = _("dữ liệu nhận từ cấp dưới")
        verbose_name_plural = _("dữ liệu nhận từ cấp dưới")
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["link", "flow", "object_key"], name="federation_record_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.flow} {self.object_key}"


class ReceivedValue(models.Model):
    """R9.1 "Mapping": an indicator value this center took from a link (what it wrote), so that a value that came
    from another source, or was changed here since, is recognised as a conflict and never overwritten."""

    link = models.ForeignKey(Link, models.PROTECT, related_name="+")
    indicator_code = models.CharField(max_length=60)
    unit_code = models.CharField(max_length=20)
    period = models.CharField(max_length=10)
    value = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["link", "indicator_code", "unit_code", "period"], name="federation_value_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_code} {self.unit_code} {self.period} = {self.value}"


class Conflict(models.Model):
    """R9.1 "Mapping": a received value differing from the one this center already has from another source; shown
    to an operator, never overwritten silently."""

    link = models.ForeignKey(Link, models.PROTECT, related_name="conflicts")
    message = models.ForeignKey(InboxMessage, models.PROTECT, related_name="conflicts")
    indicator_code = models.CharField(_("chỉ số"), max_length=60)
    unit_code = models.CharField(_("đơn vị"), max_length=20)
    period = models.CharField(_("kỳ"), max_length=10)
    local_value = models.FloatField(_("giá trị đang có"))
    received_value = models.FloatField(_("giá trị nhận được"))
    state = models.CharField(_("trạng thái"), max_length=14, choices=ConflictState.choices, default="open")
    created_at = models.DateTimeField(_("lúc"), default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("xung đột dữ liệu")
        verbose_name_plural = _("xung đột dữ liệu")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.indicator_code} {self.unit_code} {self.period}: {self.local_value} ≠ {self.received_value}"


class Directive(models.Model):
    """R9.1: a directive this center sends down to a child center (it lands there as an assignment)."""

    link = models.ForeignKey(Link, models.PROTECT, related_name="directives")
    title = models.CharField(_("tiêu đề"), max_length=200)
    instructions = models.TextField(_("nội dung chỉ đạo"))
    agency_code = models.SlugField(_("cơ quan thực hiện (mã bên nhận)"), max_length=60)
    working_hours = models.FloatField(_("thời hạn (giờ làm việc)"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("chỉ đạo gửi cấp dưới")
        verbose_name_plural = _("chỉ đạo gửi cấp dưới")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class ReportSubmission(models.Model):
    """R8.2, R9.1: an issued report submitted to the parent center through the outbox (the message carries the .docx
    and its metadata); the obligation of its period records the submission."""

    report = models.ForeignKey("reporting.Report", models.PROTECT, related_name="+", verbose_name=_("báo cáo"))
    link = models.ForeignKey(Link, models.PROTECT, related_name="submissions", verbose_name=_("gửi tới"))
    message = models.OneToOneField(OutboxMessage, models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("gửi lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("báo cáo đã gửi cấp trên")
        verbose_name_plural = _("báo cáo đã gửi cấp trên")
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.report_id} → {self.link_id}"


class SubordinateReport(models.Model):
    """R9.1, R8: a report a child center submitted (its issued .docx and metadata), in the archive of subordinate
    reports; a later version of the same report (a correction) supersedes it (`is_current`)."""

    link = models.ForeignKey(Link, models.PROTECT, related_name="subordinate_reports", verbose_name=_("trung tâm gửi"))
    message = models.OneToOneField(InboxMessage, models.PROTECT, related_name="+")
    report_key = models.CharField(_("báo cáo"), max_length=200)
    template_name = models.CharField(_("loại báo cáo"), max_length=200)
    period = models.CharField(_("kỳ"), max_length=10)
    title = models.CharField(_("trích yếu"), max_length=300)
    number = models.CharField(_("số"), max_length=40)
    issued_on = models.DateField(_("ngày ban hành"))
    version = models.PositiveSmallIntegerField(_("phiên bản"))
    document = models.BinaryField(_("văn bản .docx"), editable=False)
    document_sha256 = models.CharField(max_length=64, editable=False)
    search_text = models.TextField(blank=True, editable=False)
    received_at = models.DateTimeField(_("nhận lúc"), default=timezone.now)
    is_current = models.BooleanField(_("bản hiện hành"), default=True)
    superseded_at = models.DateTimeField(_("bị thay thế lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("báo cáo của cấp dưới")
        verbose_name_plural = _("báo cáo của cấp dưới")
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["link", "report_key", "is_current"], name="federation_subreport_idx")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"
