"""The monitoring indicators (R2.1–R2.6): the approved catalogue and its versions, values, targets, warnings and
data calls. A value's unit is a 2025 commune, or empty for the whole territory ("province level")."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ioc.indicators.choices import (
    Aggregation,
    CallKind,
    CallStatus,
    Direction,
    Level,
    PeriodType,
    RuleStatus,
    Source,
    SourceAggregate,
    Status,
    WarningKind,
)


class CatalogVersion(models.Model):
    """R2.2: one approved version of the indicator set, with the decision that approved it."""

    number = models.PositiveIntegerField(_("phiên bản"), unique=True)
    decision_no = models.CharField(_("số quyết định"), max_length=80)
    decision_date = models.DateField(_("ngày quyết định"))
    signer = models.CharField(_("người ký"), max_length=160)
    note = models.TextField(_("nội dung thay đổi"), blank=True)
    approved_at = models.DateTimeField(_("thời điểm ghi nhận"), auto_now_add=True)

    class Meta:
        verbose_name = _("phiên bản bộ chỉ số")
        verbose_name_plural = _("phiên bản bộ chỉ số")
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"v{self.number} ({self.decision_no})"


class Indicator(models.Model):
    """R2.1: one indicator of the catalogue (its current definition; its history is in `IndicatorRevision`)."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=240)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=240, blank=True)
    unit_label = models.CharField(_("đơn vị tính"), max_length=40)
    sector = models.CharField(_("lĩnh vực"), max_length=40, db_index=True)
    agency = models.ForeignKey(
        "agencies.Agency",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("cơ quan chịu trách nhiệm"),
    )
    period_type = models.CharField(_("kỳ báo cáo"), max_length=10, choices=PeriodType.choices)
    levels = models.JSONField(_("cấp báo cáo"), default=list)
    aggregation = models.CharField(_("tổng hợp"), max_length=16, choices=Aggregation.choices, default=Aggregation.SUM)
    weight_code = models.SlugField(_("chỉ số trọng số"), max_length=40, blank=True)
    direction = models.CharField(_("chiều tốt"), max_length=8, choices=Direction.choices, default=Direction.HIGHER)
    range_low = models.FloatField(_("cận dưới"), null=True, blank=True)
    range_high = models.FloatField(_("cận trên"), null=True, blank=True)
    tolerance = models.FloatField(_("ngưỡng có nguy cơ (tỉ lệ)"), default=0.05)
    bands = models.JSONField(_("dải màu"), default=list, blank=True)
    source = models.CharField(_("nguồn"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    dataset_field = models.CharField(
        _("trường dữ liệu"),
        max_length=120,
        blank=True,
        help_text=_("mã bộ dữ liệu.tên trường, ví dụ truong_hoc.so_hoc_sinh"),
    )
    datastream = models.ForeignKey(
        "sensors.Datastream",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chuỗi quan trắc"),
    )
    source_aggregate = models.CharField(
        _("cách tính từ nguồn"), max_length=8, choices=SourceAggregate.choices, default=SourceAggregate.SUM
    )
    formula = models.CharField(_("công thức"), max_length=500, blank=True)
    allow_negative = models.BooleanField(_("cho phép giá trị âm"), default=False)
    definition = models.TextField(_("định nghĩa"))
    citation = models.CharField(_("căn cứ"), max_length=200, default="đề xuất")
    is_active = models.BooleanField(_("đang áp dụng"), default=True)
    version = models.ForeignKey(CatalogVersion, models.PROTECT, related_name="+", verbose_name=_("phiên bản"))

    class Meta:
        verbose_name = _("chỉ số")
        verbose_name_plural = _("chỉ số")
        ordering = ["sector", "code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def label(self) -> str:
        """The name in the active language: `name_en` when English is active and the name is given."""
        language = get_language() or ""
        return self.name_en if self.name_en and language.startswith("en") else self.name

    @property
    def reports_communes(self) -> bool:
        return Level.COMMUNE in self.levels


class IndicatorRevision(models.Model):
    """R2.2: an indicator's definition as a version approved it (added, changed or retired)."""

    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="revisions")
    version = models.ForeignKey(CatalogVersion, models.PROTECT, related_name="revisions")
    change = models.CharField(_("thay đổi"), max_length=10)
    definition = models.JSONField(_("định nghĩa"))

    class Meta:
        verbose_name = _("lịch sử chỉ số")
        verbose_name_plural = _("lịch sử chỉ số")
        ordering = ["-version__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "version"],
                name="indicator_revision_once_per_version",
                violation_error_message=_("Chỉ số chỉ thay đổi một lần trong một phiên bản"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}@{self.version_id}"


class Value(models.Model):
    """R2.3: a value of an indicator for a period (DHIS2 id) and a unit (empty: the territory), under the catalogue
    version it was reported in; `computed` for aggregated and formula values."""

    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="values")
    unit = models.ForeignKey("geo.AdminUnit", models.PROTECT, null=True, blank=True, related_name="+")
    period = models.CharField(_("kỳ"), max_length=10)
    period_start = models.DateField(_("đầu kỳ"))
    value = models.FloatField(_("giá trị"))
    computed = models.BooleanField(_("tính toán"), default=False)
    status = models.CharField(_("đánh giá"), max_length=10, choices=Status.choices, blank=True, default="")
    version = models.ForeignKey(CatalogVersion, models.PROTECT, related_name="+")
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("giá trị chỉ số")
        verbose_name_plural = _("giá trị chỉ số")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "unit", "period"],
                name="indicator_value_unique_unit",
                condition=Q(unit__isnull=False),
                violation_error_message=_("Đã có giá trị cho chỉ số, đơn vị và kỳ này"),
            ),
            models.UniqueConstraint(
                fields=["indicator", "period"],
                name="indicator_value_unique_territory",
                condition=Q(unit__isnull=True),
                violation_error_message=_("Đã có giá trị toàn địa bàn cho chỉ số và kỳ này"),
            ),
        ]
        indexes = [models.Index(fields=["indicator", "period_start"])]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period} {self.unit_id or '*'} = {self.value}"


class Target(models.Model):
    """R2.3: a plan target for a period (the year for an annual target) and a unit (empty: the territory)."""

    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="targets")
    unit = models.ForeignKey("geo.AdminUnit", models.PROTECT, null=True, blank=True, related_name="+")
    period = models.CharField(_("kỳ"), max_length=10)
    value = models.FloatField(_("chỉ tiêu"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "unit", "period"],
                name="indicator_target_unique_unit",
                condition=Q(unit__isnull=False),
                violation_error_message=_("Đã có chỉ tiêu cho chỉ số, đơn vị và kỳ này"),
            ),
            models.UniqueConstraint(
                fields=["indicator", "period"],
                name="indicator_target_unique_territory",
                condition=Q(unit__isnull=True),
                violation_error_message=_("Đã có chỉ tiêu toàn địa bàn cho chỉ số và kỳ này"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period} {self.unit_id or '*'} ≥ {self.value}"


class IndicatorWarning(models.Model):
    """R2.3: a warning for the leaders' list, once per indicator × unit × period × kind (the dedup key)."""

    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="warnings")
    unit = models.ForeignKey("geo.AdminUnit", models.PROTECT, null=True, blank=True, related_name="+")
    period = models.CharField(_("kỳ"), max_length=10)
    kind = models.CharField(_("loại"), max_length=12, choices=WarningKind.choices)
    dedup_key = models.CharField(max_length=120, unique=True)
    value = models.FloatField(_("giá trị"))
    target = models.FloatField(_("chỉ tiêu"))
    created_at = models.DateTimeField(auto_now_add=True)
    cleared_at = models.DateTimeField(_("hết cảnh báo lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("cảnh báo chỉ số")
        verbose_name_plural = _("cảnh báo chỉ số")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.dedup_key


class SyncMark(models.Model):
    """DESIGN "Datasets → indicators": a sync's watermark (for a dataset: the last accepted submission id read)."""

    key = models.CharField(max_length=120, unique=True)
    position = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mốc đồng bộ")
        verbose_name_plural = _("mốc đồng bộ")

    def __str__(self) -> str:
        return f"{self.key}@{self.position}"


class CallRule(models.Model):
    """R2.6: a periodic call that recurs — the agency is asked for the indicator's values of every period of its
    type; the row is the durable work of the sweep (`next_period` opens at `next_open_at`, selected by due time).

    One live (active or paused) rule per indicator × agency × period type; the calls it opens are unique per
    rule × period, so a sweep run twice or concurrently opens each period's call once."""

    indicator = models.ForeignKey(Indicator, models.PROTECT, related_name="call_rules", verbose_name=_("chỉ số"))
    agency = models.ForeignKey(
        "agencies.Agency", models.PROTECT, related_name="indicator_call_rules", verbose_name=_("cơ quan")
    )
    period_type = models.CharField(_("kỳ báo cáo"), max_length=10, choices=PeriodType.choices)
    open_after_days = models.PositiveSmallIntegerField(_("mở sau cuối kỳ (ngày)"), default=0)
    working_days = models.PositiveSmallIntegerField(_("hạn báo cáo (ngày làm việc)"), default=5)
    note = models.TextField(_("nội dung"), blank=True)
    status = models.CharField(_("trạng thái"), max_length=8, choices=RuleStatus.choices, default=RuleStatus.ACTIVE)
    next_period = models.CharField(_("kỳ kế tiếp"), max_length=10)
    next_open_at = models.DateTimeField(_("mở yêu cầu kế tiếp lúc"), db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("quy tắc yêu cầu định kỳ")
        verbose_name_plural = _("quy tắc yêu cầu định kỳ")
        ordering = ["next_open_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "agency", "period_type"],
                name="indicator_call_rule_one_live",
                condition=~Q(status="ended"),
                violation_error_message=_("Đã có quy tắc cho chỉ số, cơ quan và kỳ báo cáo này"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} → {self.agency_id} ({self.period_type})"

    def as_dict(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator_id, "agency": self.agency_id, "period_type": self.period_type,
            "open_after_days": self.open_after_days, "working_days": self.working_days, "status": self.status,
            "next_period": self.next_period,
        }  # fmt: skip


class DataCall(models.Model):
    """R2.6: a request to an agency for an indicator's values of a period, with a deadline; tracked until answered."""

    indicator = models.ForeignKey(Indicator, models.PROTECT, related_name="calls")
    agency = models.ForeignKey("agencies.Agency", models.PROTECT, related_name="indicator_calls")
    period = models.CharField(_("kỳ"), max_length=10)
    kind = models.CharField(_("loại"), max_length=12, choices=CallKind.choices, default=CallKind.PERIODIC)
    note = models.TextField(_("nội dung"), blank=True)
    deadline_at = models.DateTimeField(_("hạn báo cáo"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=CallStatus.choices, default=CallStatus.OPEN)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(_("báo cáo lúc"), null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(_("số lần nhắc"), default=0)
    next_reminder_at = models.DateTimeField(null=True, blank=True, db_index=True)
    rule = models.ForeignKey(
        CallRule, models.PROTECT, null=True, blank=True, related_name="calls", verbose_name=_("quy tắc định kỳ")
    )

    class Meta:
        verbose_name = _("yêu cầu báo cáo số liệu")
        verbose_name_plural = _("yêu cầu báo cáo số liệu")
        ordering = ["deadline_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "period"],
                name="indicator_call_once_per_rule_period",
                condition=Q(rule__isnull=False),
                violation_error_message=_("Quy tắc đã mở yêu cầu cho kỳ này"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period} → {self.agency_id}"

    def as_dict(self) -> dict[str, Any]:
        return {"indicator": self.indicator_id, "agency": self.agency_id, "period": self.period, "kind": self.kind}
