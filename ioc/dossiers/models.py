"""Procedures, dossiers, their events and the violations found in them (R5.3, R4.2; issue 23)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ioc.agencies.models import Agency
from ioc.dossiers.choices import (
    CODE_MAX,
    Channel,
    DossierStatus,
    EventKind,
    Handling,
    HeldState,
    ProcedureLevel,
    ViolationState,
)
from ioc.dossiers.rules import RULE_CHOICES
from ioc.geo.models import AdminUnit


class Procedure(models.Model):
    """R5.3: an administrative procedure (thủ tục hành chính) of the national database, by its code."""

    code = models.CharField(_("mã thủ tục quốc gia"), max_length=CODE_MAX, unique=True)
    name = models.CharField(_("tên thủ tục"), max_length=400)
    field = models.CharField(_("lĩnh vực"), max_length=200)
    level = models.CharField(_("cấp thực hiện"), max_length=20, choices=ProcedureLevel.choices, blank=True)
    is_active = models.BooleanField(_("đang áp dụng"), default=True)

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["field", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ProcedureVersion(models.Model):
    """R5.3: a procedure as in force from a date: its time limit (working days), documents, fee, steps.
    A dossier keeps the version in force when it was received."""

    procedure = models.ForeignKey(Procedure, models.CASCADE, related_name="versions")
    effective_from = models.DateField(_("hiệu lực từ ngày"))
    limit_days = models.DecimalField(_("thời hạn giải quyết (ngày làm việc)"), max_digits=6, decimal_places=2)
    documents = models.JSONField(_("thành phần hồ sơ"), default=list, blank=True)
    fee = models.DecimalField(_("phí, lệ phí (đồng)"), max_digits=14, decimal_places=0, default=0)
    stop_clock_on_supplement = models.BooleanField(_("dừng tính thời hạn khi chờ bổ sung"), default=True)

    class Meta:
        verbose_name = _("phiên bản thủ tục")
        verbose_name_plural = _("phiên bản thủ tục")
        ordering = ["procedure", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "effective_from"],
                name="dossiers_version_unique_date",
                violation_error_message=_("Thủ tục đã có phiên bản hiệu lực từ ngày này"),
            ),
            models.CheckConstraint(
                condition=models.Q(limit_days__gt=0),
                name="dossiers_version_limit_positive",
                violation_error_message=_("Thời hạn phải lớn hơn 0"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.procedure.code} ({self.effective_from:%d/%m/%Y})"


class ProcedureStep(models.Model):
    """R5.3: one ordered step of a procedure version with its allotted working days."""

    version = models.ForeignKey(ProcedureVersion, models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    code = models.CharField(_("mã bước"), max_length=CODE_MAX)
    name = models.CharField(_("tên bước"), max_length=200)
    allotted_days = models.DecimalField(_("thời gian cho phép (ngày làm việc)"), max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("bước xử lý")
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="dossiers_step_unique_code"),
            models.UniqueConstraint(fields=["version", "order"], name="dossiers_step_unique_order"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class Dossier(models.Model):
    """R5.3: a dossier received by an agency's one-stop shop; its figures are re-derived from its events."""

    code = models.CharField(_("mã hồ sơ"), max_length=CODE_MAX, unique=True)
    agency = models.ForeignKey(Agency, models.PROTECT, related_name="dossiers")
    version = models.ForeignKey(ProcedureVersion, models.PROTECT, related_name="dossiers")
    unit = models.ForeignKey(AdminUnit, models.PROTECT, null=True, blank=True, related_name="+")
    channel = models.CharField(_("kênh tiếp nhận"), max_length=20, choices=Channel.choices)
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"))
    due_at = models.DateTimeField(_("hạn trả kết quả"))
    promised_at = models.DateTimeField(_("ngày hẹn lại"), null=True, blank=True)
    status = models.CharField(_("trạng thái"), max_length=20, choices=DossierStatus.choices)
    current_step = models.CharField(_("bước hiện tại"), max_length=CODE_MAX, blank=True)
    finished_at = models.DateTimeField(_("thời điểm có kết quả"), null=True, blank=True)
    returned_at = models.DateTimeField(_("thời điểm trả kết quả"), null=True, blank=True)
    is_late = models.BooleanField(_("quá hạn"), default=False)
    digitised = models.BooleanField(_("đã số hóa"), default=False)  # the result (kết quả điện tử)
    intake_digitised = models.BooleanField(_("hồ sơ đã số hóa khi tiếp nhận"), default=False)
    rating = models.PositiveSmallIntegerField(_("mức độ hài lòng"), null=True, blank=True)
    contact_index = models.CharField(max_length=64, blank=True, db_index=True)
    id_index = models.CharField(max_length=64, blank=True, db_index=True)
    # The durable sweep (DESIGN "Durable work"): the next moment a step or the dossier falls due with no event.
    next_check_at = models.DateTimeField(null=True, blank=True)
    check_lease_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["next_check_at"], name="dossiers_next_check_idx"),
            models.Index(fields=["agency", "received_at"], name="dossiers_agency_recv_idx"),
            models.Index(fields=["version", "received_at"], name="dossiers_version_recv_idx"),
        ]

    def __str__(self) -> str:
        return self.code


class DossierEvent(models.Model):
    """R5.3: one event of the one-stop shop, idempotent on (agency, the source's event id)."""

    dossier = models.ForeignKey(Dossier, models.CASCADE, related_name="events")
    agency = models.ForeignKey(Agency, models.PROTECT, related_name="+")
    source_event_id = models.CharField(_("mã sự kiện của nguồn"), max_length=CODE_MAX)
    kind = models.CharField(_("loại"), max_length=20, choices=EventKind.choices)
    occurred_at = models.DateTimeField(_("thời điểm"))
    stored_at = models.DateTimeField(_("thời điểm nhận"), default=timezone.now)
    step_code = models.CharField(_("bước"), max_length=CODE_MAX, blank=True)
    account = models.CharField(_("tài khoản thực hiện"), max_length=150, blank=True)
    assignee = models.CharField(_("tài khoản được phân công"), max_length=150, blank=True)
    reason = models.TextField(_("lý do"), blank=True)
    new_due_at = models.DateTimeField(_("ngày hẹn lại"), null=True, blank=True)
    documents = models.JSONField(_("thành phần hồ sơ"), default=list, blank=True)
    amount = models.DecimalField(_("số tiền"), max_digits=14, decimal_places=0, null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("đánh giá"), null=True, blank=True)
    digitised = models.BooleanField(_("đã số hóa"), default=False)

    class Meta:
        verbose_name = _("sự kiện hồ sơ")
        verbose_name_plural = _("sự kiện hồ sơ")
        ordering = ["occurred_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "source_event_id"],
                name="dossiers_event_unique_source_id",
                violation_error_message=_("Sự kiện này đã được nhận"),
            ),
        ]
        indexes = [models.Index(fields=["dossier", "occurred_at"], name="dossiers_event_time_idx")]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.kind} {self.occurred_at:%Y-%m-%d %H:%M}"


class HeldEvent(models.Model):
    """R5.3 (issue 23 "Bad input"): an event for a dossier not yet received, held until its receipt arrives
    (then placed by its time) or HOLD_HOURS pass (then refused with a reason)."""

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="+")
    source_event_id = models.CharField(max_length=CODE_MAX)
    dossier_code = models.CharField(max_length=CODE_MAX, db_index=True)
    payload = models.JSONField()
    held_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=10, choices=HeldState.choices, default=HeldState.HELD)
    reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("sự kiện chờ tiếp nhận")
        verbose_name_plural = _("sự kiện chờ tiếp nhận")
        constraints = [
            models.UniqueConstraint(fields=["agency", "source_event_id"], name="dossiers_held_unique_source_id")
        ]

    def __str__(self) -> str:
        return f"{self.dossier_code} {self.source_event_id}"


class Violation(models.Model):
    """R4.2, R5.3: a rule broken in a dossier (004:6.4), verified by the IOC: confirmed or dismissed."""

    dossier = models.ForeignKey(Dossier, models.CASCADE, related_name="violations")
    agency = models.ForeignKey(Agency, models.PROTECT, related_name="+")
    rule = models.CharField(_("quy tắc"), max_length=40, choices=RULE_CHOICES)
    step_code = models.CharField(_("bước"), max_length=CODE_MAX, blank=True)
    severity = models.PositiveSmallIntegerField(_("mức độ"))
    handling = models.CharField(_("cách xử lý"), max_length=20, choices=Handling.choices)
    occurred_at = models.DateTimeField(_("thời điểm vi phạm"))
    detected_at = models.DateTimeField(_("thời điểm phát hiện"), default=timezone.now)
    detail = models.CharField(_("chi tiết"), max_length=400, blank=True)
    event_ids = models.JSONField(_("sự kiện"), default=list, blank=True)
    state = models.CharField(_("trạng thái"), max_length=20, choices=ViolationState.choices)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    verified_at = models.DateTimeField(_("thời điểm xác minh"), null=True, blank=True)
    dismiss_reason = models.TextField(_("lý do loại bỏ"), blank=True)
    assignment_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("vi phạm")
        verbose_name_plural = _("vi phạm")
        ordering = ["-detected_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "rule", "step_code"],
                name="dossiers_violation_unique",
                violation_error_message=_("Vi phạm này đã được ghi nhận"),
            ),
        ]
        indexes = [models.Index(fields=["state", "agency"], name="dossiers_violation_state_idx")]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.rule}"


class ServiceScore(models.Model):
    """R5.3 (issue 23 item 6): Decision 766/QĐ-TTg's score of one agency, one commune or the whole territory for
    a month, recomputed from the dossiers and the data-hub dataset (`score766`): per criterion its numerator,
    denominator and points; per group its points; the total and the points that had data."""

    class Scope(models.TextChoices):
        AGENCY = "agency", _("Cơ quan")
        COMMUNE = "commune", _("Xã, phường")
        TERRITORY = "territory", _("Toàn địa bàn")

    period = models.CharField(_("tháng"), max_length=6)  # DHIS2 month, 202603
    scope = models.CharField(_("phạm vi"), max_length=10, choices=Scope.choices)
    agency = models.ForeignKey(Agency, models.CASCADE, null=True, blank=True, related_name="+")
    unit = models.ForeignKey(AdminUnit, models.CASCADE, null=True, blank=True, related_name="+")
    criteria = models.JSONField(_("tiêu chí"), default=dict)
    groups = models.JSONField(_("nhóm chỉ số"), default=dict)
    total = models.DecimalField(_("tổng điểm"), max_digits=6, decimal_places=2)
    measurable = models.DecimalField(_("điểm có dữ liệu"), max_digits=6, decimal_places=2)
    denominator = models.CharField(_("mẫu số tỷ lệ đúng hạn"), max_length=30)
    computed_at = models.DateTimeField(_("thời điểm tính"), default=timezone.now)

    class Meta:
        verbose_name = _("điểm Bộ chỉ số 766")
        verbose_name_plural = _("điểm Bộ chỉ số 766")
        ordering = ["-period", "-total"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "agency"], condition=models.Q(scope="agency"), name="dossiers_score_agency_unique"
            ),
            models.UniqueConstraint(
                fields=["period", "unit"], condition=models.Q(scope="commune"), name="dossiers_score_unit_unique"
            ),
            models.UniqueConstraint(
                fields=["period"], condition=models.Q(scope="territory"), name="dossiers_score_territory_unique"
            ),
        ]
        indexes = [models.Index(fields=["period", "scope"], name="dossiers_score_period_idx")]

    def __str__(self) -> str:
        return f"{self.period} {self.scope} {self.total}"


class PullMark(models.Model):
    """R5.3 (issue 23 item 2b): how far the pull path has read the `dossier_events` dataset's submissions (the
    watermark of `datahub.selectors.submission_list(accepted_since=…)`; the last submission id breaks ties)."""

    dataset_code = models.CharField(max_length=CODE_MAX, unique=True)
    received_at = models.DateTimeField(null=True, blank=True)
    submission_id = models.PositiveBigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mốc đọc sự kiện hồ sơ")
        verbose_name_plural = _("mốc đọc sự kiện hồ sơ")

    def __str__(self) -> str:
        return f"{self.dataset_code} {self.submission_id}"
