"""Operating scenarios as data (R4.6), their activations with the command view's records (R4.4), and public
warnings published as CAP 1.2 (R5.2, R5.5)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ioc.common.choices import Severity
from ioc.scenarios.choices import (
    ActivationWay,
    CapCategory,
    Certainty,
    MessageType,
    ResourceStatus,
    Urgency,
    WarningState,
)


class Scenario(models.Model):
    """R4.6: an operating scenario configured without code: its triggers, the incident it opens (kind, process,
    severity), steps per agency with relative deadlines and checklists, the message to the people it involves,
    the area it watches and the scenarios it activates with it, all in `definition` (see `definition.py`).
    Every save is a new version (`ScenarioVersion`); an activation records the version it ran."""

    code = models.SlugField(_("mã"), max_length=60, unique=True)
    name = models.CharField(_("tên kịch bản"), max_length=200)
    group = models.CharField(_("nhóm kịch bản"), max_length=60, blank=True)
    description = models.TextField(_("mô tả"), blank=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    definition = models.JSONField(_("nội dung kịch bản"), default=dict)
    is_active = models.BooleanField(_("đang dùng"), default=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("kịch bản điều hành")
        verbose_name_plural = _("kịch bản điều hành")
        ordering = ["group", "name"]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"


class ScenarioVersion(models.Model):
    """R4.6: a saved version of a scenario, as it was; incidents opened by it name it."""

    scenario = models.ForeignKey(Scenario, models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("phiên bản"))
    name = models.CharField(_("tên kịch bản"), max_length=200)
    definition = models.JSONField(_("nội dung kịch bản"), default=dict)
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("phiên bản kịch bản")
        verbose_name_plural = _("phiên bản kịch bản")
        ordering = ["scenario", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["scenario", "number"],
                name="scenarios_version_unique",
                violation_error_message=_("Phiên bản đã có / The version exists"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.scenario_id} v{self.number}"


class Activation(models.Model):
    """R4.6, R4.4: a scenario run: the incident it opened (or joined), the version it ran, how and by whom."""

    scenario = models.ForeignKey(Scenario, models.PROTECT, related_name="activations")
    version = models.ForeignKey(ScenarioVersion, models.PROTECT, related_name="activations")
    incident = models.OneToOneField("incidents.Incident", models.PROTECT, related_name="scenario_activation")
    way = models.CharField(_("cách kích hoạt"), max_length=10, choices=ActivationWay.choices)
    reason = models.CharField(_("lý do"), max_length=300, blank=True)
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="children")
    activated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    activated_at = models.DateTimeField(_("kích hoạt lúc"), default=timezone.now, db_index=True)
    steps_forwarded_at = models.DateTimeField(_("giao nhiệm vụ lúc"), null=True, blank=True)
    trigger_count = models.PositiveIntegerField(_("số lần điều kiện xảy ra"), default=0)

    class Meta:
        verbose_name = _("lần kích hoạt kịch bản")
        verbose_name_plural = _("lần kích hoạt kịch bản")
        ordering = ["-activated_at"]

    def __str__(self) -> str:
        return f"{self.scenario_id} → {self.incident_id}"


class TriggerHit(models.Model):
    """R4.6: one trigger occurrence (an alert, an indicator warning) seen by a scenario, once: a repeat is
    recorded against the open activation instead of opening a second incident (dedup)."""

    scenario = models.ForeignKey(Scenario, models.CASCADE, related_name="hits")
    key = models.CharField(max_length=80)
    activation = models.ForeignKey(Activation, models.CASCADE, related_name="hits")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("điều kiện kích hoạt đã gặp")
        verbose_name_plural = _("điều kiện kích hoạt đã gặp")
        constraints = [
            models.UniqueConstraint(
                fields=["scenario", "key"],
                name="scenarios_hit_unique",
                violation_error_message=_("Điều kiện này đã được ghi nhận / Already recorded"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.scenario_id} {self.key}"


class ChecklistItem(models.Model):
    """R4.6, R4.4: one item of an agency's step checklist in an activation; its progress shows per agency."""

    activation = models.ForeignKey(Activation, models.CASCADE, related_name="checklist")
    agency = models.ForeignKey("agencies.Agency", models.PROTECT, related_name="+")
    step = models.PositiveSmallIntegerField(_("bước"))
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("việc cần làm"), max_length=300)
    assignment = models.ForeignKey("assignments.Assignment", models.SET_NULL, null=True, blank=True, related_name="+")
    done_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("việc trong kịch bản")
        verbose_name_plural = _("việc trong kịch bản")
        ordering = ["activation", "step", "position", "pk"]

    def __str__(self) -> str:
        return self.text


class Resource(models.Model):
    """R4.4: a resource committed to an emergency, as a record: unit, kind, count, status, position, assigned at."""

    activation = models.ForeignKey(Activation, models.CASCADE, related_name="resources")
    agency = models.ForeignKey("agencies.Agency", models.PROTECT, null=True, blank=True, related_name="+")
    unit_name = models.CharField(_("đơn vị"), max_length=200)
    kind = models.CharField(_("loại lực lượng, phương tiện"), max_length=120)
    count = models.PositiveIntegerField(_("số lượng"), default=1)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=ResourceStatus.choices, default=ResourceStatus.STANDBY
    )
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    assigned_at = models.DateTimeField(_("giao lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("lực lượng, phương tiện")
        verbose_name_plural = _("lực lượng, phương tiện")
        ordering = ["activation", "assigned_at", "pk"]

    def __str__(self) -> str:
        return f"{self.unit_name}: {self.count} {self.kind}"


class Decision(models.Model):
    """R4.4: a leader's decision or a note in the command view (also a line of the incident's timeline)."""

    activation = models.ForeignKey(Activation, models.CASCADE, related_name="decisions")
    is_decision = models.BooleanField(_("là quyết định"), default=True)
    text = models.TextField(_("nội dung"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("chỉ đạo, ghi chú")
        verbose_name_plural = _("chỉ đạo, ghi chú")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return self.text[:60]


class PublicWarning(models.Model):
    """R5.2, R5.5: a warning to the public (a CAP 1.2 message): an alert, or an update or cancellation naming the
    original it replaces. Severe warnings (`is_severe`) wait for the IOC leader's approval before publication."""

    identifier = models.CharField(_("mã cảnh báo"), max_length=120, unique=True)
    msg_type = models.CharField(_("loại bản tin"), max_length=8, choices=MessageType.choices)
    references = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="followups")
    state = models.CharField(_("trạng thái"), max_length=20, choices=WarningState.choices)
    incident = models.ForeignKey("incidents.Incident", models.PROTECT, null=True, blank=True, related_name="+")
    event = models.CharField(_("sự kiện"), max_length=200)
    category = models.CharField(_("lĩnh vực"), max_length=10, choices=CapCategory.choices)
    urgency = models.CharField(_("mức khẩn"), max_length=10, choices=Urgency.choices)
    certainty = models.CharField(_("mức chắc chắn"), max_length=10, choices=Certainty.choices)
    severity = models.PositiveSmallIntegerField(_("mức độ"), choices=Severity.choices)
    headline_vi = models.CharField(_("tiêu đề"), max_length=200)
    description_vi = models.TextField(_("nội dung"))
    instruction_vi = models.TextField(_("hướng dẫn người dân"))
    headline_en = models.CharField(_("tiêu đề (tiếng Anh)"), max_length=200, blank=True)
    description_en = models.TextField(_("nội dung (tiếng Anh)"), blank=True)
    instruction_en = models.TextField(_("hướng dẫn (tiếng Anh)"), blank=True)
    area_desc = models.CharField(_("khu vực"), max_length=300)
    area_geojson = models.JSONField(_("vùng (GeoJSON)"), null=True, blank=True)
    unit_codes = models.JSONField(_("xã, phường"), default=list, blank=True)
    onset = models.DateTimeField(_("hiệu lực từ"))
    expires = models.DateTimeField(_("hiệu lực đến"))
    note = models.TextField(_("ghi chú"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    sent_at = models.DateTimeField(_("phát hành lúc"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("cảnh báo công khai")
        verbose_name_plural = _("cảnh báo công khai")
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["state", "expires"], name="scenarios_warning_live_idx")]

    def __str__(self) -> str:
        return f"{self.identifier} {self.headline_vi}"
