"""The agency side of any work (DESIGN "Agency work"): forwarded with a deadline, accepted or returned,
progress, resolution with evidence, IOC confirmation, escalation. Reused by citizen reports and incidents."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ioc.assignments.choices import AssignmentStatus, UpdateKind


class EscalationChain(models.Model):
    """R3.3, R4.5: who is told, and when, as a piece of work runs late; data per process and category."""

    process = models.CharField(_("quy trình"), max_length=40)  # "citizen_reports", "incidents"
    category_code = models.CharField(_("mã lĩnh vực"), max_length=60, blank=True)  # "" = the process default
    name = models.CharField(_("tên"), max_length=200)

    class Meta:
        verbose_name = _("chuỗi báo cáo cấp trên")
        verbose_name_plural = _("chuỗi báo cáo cấp trên")
        constraints = [models.UniqueConstraint(fields=["process", "category_code"], name="assign_chain_unique")]

    def __str__(self) -> str:
        return self.name


class EscalationStep(models.Model):
    """One step: when (share of the allowed time elapsed, 1.0 = the deadline, 1.5 = half as late again),
    who (a role, inside the holding agency for agency roles), with which notification template."""

    chain = models.ForeignKey(EscalationChain, models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    at_share = models.FloatField(_("khi đã dùng (tỷ lệ thời hạn)"), help_text=_("0.8 = 80 % thời hạn; 1.0 = đến hạn"))
    role = models.CharField(_("vai trò nhận"), max_length=24)
    urgent = models.BooleanField(_("khẩn"), default=False)

    class Meta:
        verbose_name = _("bước báo cáo cấp trên")
        verbose_name_plural = _("bước báo cáo cấp trên")
        ordering = ["chain", "order"]
        constraints = [models.UniqueConstraint(fields=["chain", "order"], name="assign_step_unique")]

    def __str__(self) -> str:
        return f"{self.chain} #{self.order} @ {self.at_share:.0%} → {self.role}"


class Assignment(models.Model):
    """R3.3, R4.3: one agency's piece of work on one subject (a citizen report, an incident)."""

    # No index of its own on process, agency, forwarded_by or handled_by (docs/decisions/0017): process and agency
    # lead `assign_subject_idx` and `assign_inbox_idx`, which serve their look-ups; nothing reads the work by who
    # forwarded or handled it. Each index costs every escalation step a write (no step's UPDATE is HOT).
    process = models.CharField(_("quy trình"), max_length=40)
    subject_id = models.CharField(_("mã đối tượng"), max_length=64)
    subject_label = models.CharField(_("tên đối tượng"), max_length=200, blank=True)
    category_code = models.CharField(_("mã lĩnh vực"), max_length=60, blank=True)
    agency = models.ForeignKey("agencies.Agency", models.PROTECT, related_name="assignments", db_index=False)
    unit = models.ForeignKey("geo.AdminUnit", models.PROTECT, null=True, blank=True, related_name="+")
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=AssignmentStatus.choices, default=AssignmentStatus.FORWARDED
    )
    instructions = models.TextField(_("nội dung chỉ đạo"), blank=True)
    working_hours = models.FloatField(_("thời hạn (giờ làm việc)"))
    forwarded_at = models.DateTimeField(_("ngày chuyển"), default=timezone.now)
    # Where the clock of the current round starts: forwarded_at, or the moment the work was reopened. The
    # deadline, at_risk_at and each escalation step's due time count working hours from here.
    started_at = models.DateTimeField(_("bắt đầu tính hạn"), default=timezone.now)
    at_risk_at = models.DateTimeField(_("sắp đến hạn từ"))
    deadline_at = models.DateTimeField(_("hạn xử lý"), db_index=True)
    # R4.3: the time to accept (working hours from forwarding, the agency's calendar); empty = no accept clock.
    # accept_escalated_at marks the one escalation of a missed acceptance (never fired twice).
    accept_within_hours = models.FloatField(_("thời hạn tiếp nhận (giờ làm việc)"), null=True, blank=True)
    accept_deadline_at = models.DateTimeField(_("hạn tiếp nhận"), null=True, blank=True)
    accept_escalated_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(_("lý do trả lại"), blank=True)
    resolution = models.TextField(_("kết quả xử lý"), blank=True)
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    # Durable escalation (DESIGN "Durable work"): the next step is due at next_escalation_at; a worker claims it
    # with a conditional UPDATE on escalation_lease_until.
    escalation_chain = models.ForeignKey(EscalationChain, models.PROTECT, null=True, blank=True, related_name="+")
    escalation_level = models.PositiveSmallIntegerField(default=0)
    # Indexed where set only (`assign_next_escalation_idx`): the sweep's due query reads the set ones, and most
    # rows it escalates are left without a next step (docs/decisions/0013).
    next_escalation_at = models.DateTimeField(null=True, blank=True)
    escalation_lease_until = models.DateTimeField(null=True, blank=True)
    # Each step's due time, computed when the clock starts (issue 12 "Speed": the sweep does not count working
    # hours per step): [[at_share, ISO time], …] in the chain's order. A step whose share no longer matches (the
    # chain was edited) or a row without it (NULL) is computed by `deadline_add` as before.
    escalation_due = models.JSONField(null=True, blank=True, default=None)

    class Meta:
        verbose_name = _("việc chuyển xử lý")
        verbose_name_plural = _("việc chuyển xử lý")
        ordering = ["deadline_at"]
        indexes = [
            models.Index(fields=["process", "subject_id"], name="assign_subject_idx"),
            models.Index(fields=["agency", "status", "deadline_at"], name="assign_inbox_idx"),
            models.Index(
                fields=["next_escalation_at"],
                name="assign_next_escalation_idx",
                condition=models.Q(next_escalation_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject_label or self.subject_id} → {self.agency}"


class AssignmentUpdate(models.Model):
    """R3.3: the timeline of the work: forwarding, acceptance, return, progress, resolution, confirmation."""

    assignment = models.ForeignKey(Assignment, models.CASCADE, related_name="updates")
    kind = models.CharField(_("loại"), max_length=10, choices=UpdateKind.choices)
    at = models.DateTimeField(default=timezone.now)
    # No index on the actor: the timeline is read by its work only, and the escalation sweep writes a row per
    # escalated deadline (docs/decisions/0013).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    text = models.TextField(_("nội dung"), blank=True)
    is_public = models.BooleanField(_("công khai"), default=False)

    class Meta:
        verbose_name = _("diễn biến xử lý")
        verbose_name_plural = _("diễn biến xử lý")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.assignment_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class Evidence(models.Model):
    """R3.3: a photo or document proving the result; served only through scoped views."""

    assignment = models.ForeignKey(Assignment, models.CASCADE, related_name="evidence")
    update = models.ForeignKey(AssignmentUpdate, models.CASCADE, null=True, blank=True, related_name="evidence")
    file = models.FileField(upload_to="evidence/%Y/%m/")
    content_type = models.CharField(max_length=60)
    sha256 = models.CharField(max_length=64)
    is_public = models.BooleanField(_("công khai"), default=False)
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("minh chứng")
        verbose_name_plural = _("minh chứng")

    def __str__(self) -> str:
        return f"{self.assignment_id}: {self.file.name}"
