"""Alerts and incidents (R4.1–R4.5; DESIGN "Contracts: Alerts"): the one alert inbox, incidents of the
time-bound and the immediate processes, their timeline, and the durable verification timers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ioc.common.choices import Severity, is_severe
from ioc.incidents.choices import (
    ALERT_OPEN_STATES,
    KIND_CHOICES,
    KINDS,
    AlertSource,
    AlertState,
    EventKind,
    IncidentState,
    Process,
    TimerState,
)


class Incident(models.Model):
    """R4.2–R4.5: a verified situation handled by one of the two processes; each agency's part is an assignment
    (`ioc.assignments`, process "incidents"). Times of every step are kept for the KPIs."""

    kind = models.CharField(_("loại"), max_length=60, choices=KIND_CHOICES)
    process = models.CharField(_("quy trình"), max_length=12, choices=Process.choices)
    state = models.CharField(_("trạng thái"), max_length=20, choices=IncidentState.choices)
    severity = models.PositiveSmallIntegerField(_("mức độ"), choices=Severity.choices)
    title = models.CharField(_("tiêu đề"), max_length=200)
    description = models.TextField(_("mô tả"), blank=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    unit = models.ForeignKey(
        "geo.AdminUnit", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("xã, phường")
    )
    grid_cell = models.CharField(max_length=16, blank=True, db_index=True)
    raised_at = models.DateTimeField(_("thời điểm cảnh báo"), default=timezone.now, db_index=True)
    verified_at = models.DateTimeField(_("thời điểm xác minh"), null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    forwarded_at = models.DateTimeField(null=True, blank=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    en_route_at = models.DateTimeField(null=True, blank=True)
    on_scene_at = models.DateTimeField(null=True, blank=True)
    cleared_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Immediate process: the forces must be on scene by this time (minutes, round the clock).
    response_deadline_at = models.DateTimeField(_("hạn có mặt"), null=True, blank=True)
    result = models.TextField(_("kết quả"), blank=True)
    cancel_reason = models.TextField(_("lý do hủy"), blank=True)

    class Meta:
        verbose_name = _("sự cố")
        verbose_name_plural = _("sự cố")
        ordering = ["-raised_at"]
        indexes = [
            models.Index(fields=["kind", "state"], name="incidents_kind_state_idx"),
            models.Index(fields=["state", "raised_at"], name="incidents_state_idx"),
            models.Index(fields=["lat", "lon"], name="incidents_point_idx"),
            # R4.1: an alert attaches to the open incident of its kind and commune (issue 12 "Speed").
            models.Index(fields=["unit", "kind", "state"], name="incidents_unit_kind_idx"),
        ]

    def __str__(self) -> str:
        return f"SC-{self.pk or 0:06d} {self.title}"

    @property
    def reference(self) -> str:
        return f"SC-{self.pk or 0:06d}"

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind].label) if self.kind in KINDS else self.kind

    @property
    def is_severe(self) -> bool:
        return is_severe(self.severity)


class Alert(models.Model):
    """R4.1: one alert from a sensor, camera, indicator, public-service check, the media, security monitoring or
    a person. Idempotent while open: a repeat of (source, dedup_key) updates it (last seen, count, max severity)."""

    source = models.CharField(_("nguồn"), max_length=20, choices=AlertSource.choices)
    dedup_key = models.CharField(_("khóa chống trùng"), max_length=200)
    kind = models.CharField(_("loại"), max_length=60, choices=KIND_CHOICES)
    severity = models.PositiveSmallIntegerField(_("mức độ"), choices=Severity.choices)
    title = models.CharField(_("tiêu đề"), max_length=200)
    occurred_at = models.DateTimeField(_("thời điểm xảy ra"))
    first_seen_at = models.DateTimeField(_("nhận lần đầu"), default=timezone.now, db_index=True)
    last_seen_at = models.DateTimeField(_("nhận lần cuối"), default=timezone.now)
    count = models.PositiveIntegerField(_("số lần"), default=1)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    unit = models.ForeignKey(
        "geo.AdminUnit", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("xã, phường")
    )
    grid_cell = models.CharField(max_length=16, blank=True)
    payload = models.JSONField(_("dữ liệu kèm theo"), default=dict, blank=True)
    state = models.CharField(_("trạng thái"), max_length=10, choices=AlertState.choices, default=AlertState.NEW)
    incident = models.ForeignKey(Incident, models.PROTECT, null=True, blank=True, related_name="alerts")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("thời điểm xử lý"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    dismiss_reason = models.TextField(_("lý do loại bỏ"), blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    # R10.2 (issue 24): raised inside an approved maintenance window of its source — recorded, no sound, no timer.
    maintenance = models.BooleanField(_("bảo trì"), default=False)

    class Meta:
        verbose_name = _("cảnh báo")
        verbose_name_plural = _("cảnh báo")
        ordering = ["-severity", "-last_seen_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "dedup_key"],
                condition=Q(state__in=sorted(ALERT_OPEN_STATES)),
                name="incidents_alert_open_dedup",
                violation_error_message=_("Đã có cảnh báo đang mở với khóa này."),
            )
        ]
        indexes = [
            models.Index(fields=["state", "severity", "last_seen_at"], name="incidents_alert_inbox_idx"),
            # R4.1: the dedup look-up of every raise (issue 12 "Speed"; the partial unique index needs literal states).
            models.Index(fields=["source", "dedup_key"], name="incidents_alert_key_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()}: {self.title}"

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind].label) if self.kind in KINDS else self.kind

    @property
    def is_loud(self) -> bool:
        """R4.2: a severe alert sounds and stays highlighted until an operator acknowledges it."""
        return is_severe(self.severity) and self.acknowledged_at is None and not self.maintenance


class MaintenanceWindow(models.Model):
    """R10.2 (issue 24; DESIGN "Maintenance windows … live with the alerts"): while it runs, new alerts of the named
    sources are marked "bảo trì": recorded in the inbox, no sound, no verification timer, no incident. Set by the
    app that approved the work (`reference`, e.g. `operations.change:12`)."""

    reference = models.CharField(_("căn cứ"), max_length=80, unique=True)
    title = models.CharField(_("nội dung"), max_length=200)
    sources = models.JSONField(_("nguồn cảnh báo"), default=list)
    starts_at = models.DateTimeField(_("bắt đầu"))
    ends_at = models.DateTimeField(_("kết thúc"), db_index=True)

    class Meta:
        verbose_name = _("thời gian bảo trì")
        verbose_name_plural = _("thời gian bảo trì")
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%d/%m/%Y %H:%M}–{self.ends_at:%d/%m/%Y %H:%M})"


class IncidentEvent(models.Model):
    """R4.5: one line of an incident's timeline: every step, note, photo, assignment and decision, who and when."""

    incident = models.ForeignKey(Incident, models.CASCADE, related_name="events")
    kind = models.CharField(_("loại"), max_length=12, choices=EventKind.choices)
    at = models.DateTimeField(default=timezone.now)
    # The escalation sweep writes a line per escalated deadline (issue 12 "Speed"): the timeline is read by its
    # incident only, so the actor, alert and assignment columns carry no index (docs/decisions/0013; users,
    # alerts and assignments are never deleted, the only reads their indexes would serve).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    text = models.TextField(_("nội dung"), blank=True)
    alert = models.ForeignKey(Alert, models.SET_NULL, null=True, blank=True, related_name="+", db_index=False)
    assignment = models.ForeignKey(
        "assignments.Assignment", models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    file = models.FileField(upload_to="incidents/%Y/%m/", blank=True)
    content_type = models.CharField(max_length=60, blank=True)

    class Meta:
        verbose_name = _("diễn biến sự cố")
        verbose_name_plural = _("diễn biến sự cố")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.incident_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class VerificationTimer(models.Model):
    """R4.2, R4.3: the time to verify an alert, a durable row (DESIGN "Durable work"): when due and still not
    verified, the sweeper claims it under a lease and tells the IOC leaders once."""

    alert = models.OneToOneField(Alert, models.CASCADE, related_name="verification_timer")
    due_at = models.DateTimeField(_("hạn xác minh"))
    state = models.CharField(max_length=8, choices=TimerState.choices, default=TimerState.PENDING)
    lease_until = models.DateTimeField(null=True, blank=True)
    fired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("hạn xác minh cảnh báo")
        verbose_name_plural = _("hạn xác minh cảnh báo")
        indexes = [models.Index(fields=["state", "due_at"], name="incidents_timer_due_idx")]

    def __str__(self) -> str:
        return f"{self.alert_id} @ {self.due_at:%Y-%m-%d %H:%M} ({self.state})"
