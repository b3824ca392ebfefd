"""Reports ("báo cáo", R8.1–R8.4): templates as data, reports with versions, and the calendar's obligations.

Written only by `services`; read through `selectors`. A report's text keeps its placeholders (`{{ code }}`) and
its figures are a snapshot of the registered figures' answers (`ioc.common.report_sections`) for its period and
scope, refreshed on demand while it is a draft; issuing freezes the document (the .docx and .xlsx bytes are kept,
with their SHA-256) and a correction is a new version that points at the one it corrects.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ioc.reporting.choices import Cadence, MeetingState, ReportState, ScopeKind, TemplateKind, WorkState


class ReportTemplate(models.Model):
    """R8.1, R8.3: a report's template as data: its cadence, title and sections. A section is
    `{"title": "…", "blocks": [...]}` or `{"sections": "<tag>"}` (every registered section carrying the tag);
    blocks are `{"text": "… {{ figure }} …"}`, `{"table": figure}`, `{"chart": figure, "column": n}` or
    `{"editable": "…hint…"}` (text the editor writes, such as the difficulties and proposals)."""

    code = models.SlugField(_("mã"), max_length=60, unique=True)
    name = models.CharField(_("tên mẫu"), max_length=200)
    kind = models.CharField(_("loại"), max_length=20, choices=TemplateKind.choices)
    cadence = models.CharField(_("kỳ báo cáo"), max_length=20, choices=Cadence.choices)
    title = models.CharField(_("trích yếu"), max_length=300, help_text=_("{period} là kỳ báo cáo"))
    sections = models.JSONField(_("các phần"), default=list)
    recipients = models.TextField(_("nơi nhận"), blank=True)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("mẫu báo cáo")
        verbose_name_plural = _("mẫu báo cáo")
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return self.name


class Report(models.Model):
    """R8.1–R8.3, R8.5 (archive): one version of a report for a period (DHIS2 id) and a scope; draft → issued."""

    template = models.ForeignKey(ReportTemplate, models.PROTECT, related_name="reports", verbose_name=_("mẫu"))
    period = models.CharField(_("kỳ"), max_length=10)
    scope_kind = models.CharField(_("phạm vi"), max_length=10, choices=ScopeKind.choices, default=ScopeKind.TERRITORY)
    scope_agency = models.ForeignKey(
        "agencies.Agency", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("cơ quan")
    )
    scope_unit = models.ForeignKey(
        "geo.AdminUnit", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("xã, phường")
    )
    # Issue 17: an area from the map selection, as the selection API takes it ({"unit": code}, {"point": [lat, lon],
    # "radius_m": n} or {"geometry": GeoJSON}), and its description for the header.
    scope_area = models.JSONField(_("vùng chọn"), null=True, blank=True)
    scope_label = models.CharField(_("mô tả phạm vi"), max_length=200, blank=True)
    # Issue 17: a thematic briefing narrowed to one scenario or one sector (`common.report_sections.FocusKind`):
    # kept so that a refresh or a correction asks the same narrowed figures; the label names it in the title.
    focus_kind = models.CharField(_("thu hẹp theo"), max_length=20, blank=True)
    focus_code = models.CharField(_("mã chủ đề"), max_length=60, blank=True)
    focus_label = models.CharField(_("chủ đề"), max_length=300, blank=True)
    title = models.CharField(_("trích yếu"), max_length=300)
    search_text = models.TextField(blank=True, editable=False)
    state = models.CharField(_("trạng thái"), max_length=10, choices=ReportState.choices, default=ReportState.DRAFT)
    version = models.PositiveSmallIntegerField(_("phiên bản"), default=1)
    corrects = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="corrections", verbose_name=_("đính chính cho")
    )
    content = models.JSONField(_("nội dung"), default=list)
    figures = models.JSONField(_("số liệu"), default=dict)
    recipients = models.TextField(_("nơi nhận"), blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=120, blank=True)
    signer_name = models.CharField(_("người ký"), max_length=120, blank=True)
    number = models.CharField(_("số"), max_length=40, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    issued_year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)  # numbers restart yearly
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    document = models.BinaryField(_("văn bản .docx"), null=True, blank=True, editable=False)
    workbook = models.BinaryField(_("bảng tính .xlsx"), null=True, blank=True, editable=False)
    document_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    refreshed_at = models.DateTimeField(_("cập nhật số liệu lúc"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("báo cáo")
        verbose_name_plural = _("báo cáo")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["template", "period"], name="reporting_template_period")]
        constraints = [
            models.UniqueConstraint(
                fields=["issued_year", "number"],
                condition=~Q(number=""),
                name="reporting_report_unique_number",
                violation_error_message=_("Số văn bản này đã được dùng."),
            ),
            models.CheckConstraint(
                condition=Q(state=ReportState.DRAFT) | (~Q(number="") & Q(issued_on__isnull=False)),
                name="reporting_issued_has_number",
                violation_error_message=_("Báo cáo đã ban hành phải có số và ngày."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_issued(self) -> bool:
        return self.state == ReportState.ISSUED


class ReportObligation(models.Model):
    """R8.2: one report the act's calendar requires for one period: its due day (moved off days off by the
    working calendar, with the rule stated), its draft generated ahead as durable work (state + lease), the
    reminders sent before and after the due day, and the submission (number and date) once issued."""

    calendar_code = models.SlugField(_("mã lịch báo cáo"), max_length=60)
    name = models.CharField(_("báo cáo"), max_length=300)
    source = models.CharField(_("căn cứ"), max_length=40, blank=True)
    recipient = models.CharField(_("gửi"), max_length=200, blank=True)
    template = models.ForeignKey(ReportTemplate, models.PROTECT, related_name="+", verbose_name=_("mẫu"))
    period = models.CharField(_("kỳ"), max_length=10)
    nominal_due_on = models.DateField(_("hạn theo quy chế"))
    due_on = models.DateField(_("hạn nộp"))
    due_rule = models.CharField(_("cách tính hạn"), max_length=300)
    draft_on = models.DateField(_("ngày tạo dự thảo"))
    state = models.CharField(_("trạng thái"), max_length=10, choices=WorkState.choices, default=WorkState.PENDING)
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    report = models.ForeignKey(Report, models.PROTECT, null=True, blank=True, related_name="+")
    reminded_before_at = models.DateTimeField(null=True, blank=True)
    reminded_after_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submission_number = models.CharField(_("số văn bản đã gửi"), max_length=40, blank=True)
    submission_date = models.DateField(_("ngày gửi"), null=True, blank=True)
    # R8.2, R9.1: where the issued report was sent (the parent center through federation) and when.
    sent_to = models.CharField(_("đã gửi tới"), max_length=200, blank=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("lịch nộp báo cáo")
        verbose_name_plural = _("lịch nộp báo cáo")
        ordering = ["due_on", "calendar_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["calendar_code", "period"],
                name="reporting_obligation_unique_period",
                violation_error_message=_("Kỳ báo cáo này đã có trong lịch."),
            )
        ]
        indexes = [models.Index(fields=["state", "draft_on"], name="reporting_obligation_due")]

    def __str__(self) -> str:
        return f"{self.name} {self.period}"


class OutsideReport(models.Model):
    """R8.3 (002:3.3): a report made for a meeting outside the IOC (not from its data), recorded so that the share
    of meeting reports produced from the IOC's data ("100 %") has an honest denominator. Recorded once, never
    edited: a mistaken entry is withdrawn (`withdrawn_at`, with the reason), both audited."""

    kind = models.CharField(_("loại báo cáo"), max_length=20, choices=TemplateKind.choices)
    title = models.CharField(_("trích yếu"), max_length=300)
    number = models.CharField(_("số văn bản"), max_length=40, blank=True)
    issued_on = models.DateField(_("ngày ban hành"))
    meeting = models.CharField(_("phục vụ cuộc họp"), max_length=300)
    reason = models.TextField(_("lý do không lập từ dữ liệu IOC"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("rút lúc"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("lý do rút"), blank=True)

    class Meta:
        verbose_name = _("báo cáo phục vụ họp lập ngoài IOC")
        verbose_name_plural = _("báo cáo phục vụ họp lập ngoài IOC")
        ordering = ["-issued_on", "-pk"]
        indexes = [models.Index(fields=["issued_on"], name="reporting_outside_issued")]

    def __str__(self) -> str:
        return self.title


class Meeting(models.Model):
    """R8.4: one sitting of a review meeting the act sets (`regulation.ReviewMeeting`: six-monthly, yearly…) for a
    period (DHIS2 id): its agenda, the briefing generated from a report template, the minutes and the decisions.
    Closing freezes the minutes; decisions carry on as assignments and are followed up at the next meeting."""

    code = models.SlugField(_("mã cuộc họp theo quy chế"), max_length=60)
    name = models.CharField(_("cuộc họp"), max_length=300)
    frequency = models.CharField(_("kỳ"), max_length=20)
    organiser = models.CharField(_("chủ trì"), max_length=200)
    source = models.CharField(_("căn cứ"), max_length=40, blank=True)
    period = models.CharField(_("kỳ kiểm điểm"), max_length=10)
    held_on = models.DateField(_("ngày họp"))
    agenda = models.TextField(_("chương trình họp"), blank=True)
    minutes = models.TextField(_("biên bản"), blank=True)
    briefing = models.ForeignKey(
        Report, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("báo cáo phục vụ họp")
    )
    state = models.CharField(_("trạng thái"), max_length=10, choices=MeetingState.choices, default=MeetingState.PLANNED)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cuộc họp kiểm điểm")
        verbose_name_plural = _("cuộc họp kiểm điểm")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "period"],
                name="reporting_meeting_unique_period",
                violation_error_message=_("Cuộc họp này đã có cho kỳ này."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.period}"

    @property
    def is_closed(self) -> bool:
        return self.state == MeetingState.CLOSED


class MeetingDecision(models.Model):
    """R8.4: a decision of a meeting assigned to an agency through `assignments` (process "reporting": deadline,
    escalation, the officer's one inbox), followed up at a later meeting (`followed_up_in`, the note)."""

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="decisions", verbose_name=_("cuộc họp"))
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    text = models.TextField(_("nội dung kết luận"))
    agency = models.ForeignKey("agencies.Agency", models.PROTECT, related_name="+", verbose_name=_("cơ quan thực hiện"))
    working_hours = models.FloatField(_("thời hạn (giờ làm việc)"))
    assignment = models.OneToOneField(
        "assignments.Assignment", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("việc giao")
    )
    escalated_at = models.DateTimeField(_("nhắc, báo cáo cấp trên lúc"), null=True, blank=True)
    followed_up_in = models.ForeignKey(
        Meeting, models.PROTECT, null=True, blank=True, related_name="follow_ups", verbose_name=_("kiểm điểm tại")
    )
    follow_up = models.TextField(_("kết quả kiểm điểm"), blank=True)
    followed_up_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kết luận cuộc họp")
        verbose_name_plural = _("kết luận cuộc họp")
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "position"],
                name="reporting_decision_unique_position",
                violation_error_message=_("Số thứ tự kết luận đã có."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting} #{self.position}"
