"""Running the center (R10.2–R10.4, issue 24): staff and their postings, trainings, the allowance rules and the
monthly allowance sheets per paying agency. Written only by `services`; read through `selectors`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ioc.operations.choices import (
    AssetKind,
    ChangeState,
    ConsentState,
    FaultState,
    MaintenanceResult,
    Proration,
    ReminderState,
    RosterState,
    SheetState,
    SwapState,
    WorkPlace,
)


class Staff(models.Model):
    """R10.4 (000:8.2, 003:7.1, 003:8): a person working for the center — home agency (who pays), position,
    optional account; where and when they work is in their postings. Phone, e-mail and birth date are personal
    data, encrypted at rest: the IOC leader and the managing body only, each read audited."""

    full_name = models.CharField(_("họ và tên"), max_length=120)
    home_agency = models.ForeignKey(
        "agencies.Agency", models.PROTECT, related_name="+", verbose_name=_("cơ quan, đơn vị công tác")
    )
    position = models.CharField(_("vị trí, chức danh"), max_length=300)
    position_code = models.SlugField(_("vị trí theo quy chế"), max_length=60, blank=True)
    is_leader = models.BooleanField(_("lãnh đạo (trực chỉ huy)"), default=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("tài khoản")
    )
    # Personal data, encrypted at rest (`ioc.common.privacy.encrypt`; birth date as ISO text); read only through
    # `selectors.staff_personal_data`, which records each read.
    phone_encrypted = models.TextField(blank=True)
    email_encrypted = models.TextField(blank=True)
    birth_date_encrypted = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("nhân sự Trung tâm")
        verbose_name_plural = _("nhân sự Trung tâm")
        ordering = ["full_name", "pk"]

    def __str__(self) -> str:
        return self.full_name


class Posting(models.Model):
    """R10.4: a span in which a staff member works at the center or does its tasks elsewhere (end inclusive;
    open while `ends_on` is empty). Spans of one person never overlap (checked by the services)."""

    staff = models.ForeignKey(Staff, models.CASCADE, related_name="postings")
    work_place = models.CharField(_("nơi làm việc"), max_length=10, choices=WorkPlace.choices)
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"), null=True, blank=True)

    class Meta:
        verbose_name = _("thời gian làm việc cho Trung tâm")
        verbose_name_plural = _("thời gian làm việc cho Trung tâm")
        ordering = ["staff", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="operations_posting_dates",
                violation_error_message=_("Ngày kết thúc phải sau ngày bắt đầu."),
            )
        ]
        indexes = [models.Index(fields=["starts_on", "ends_on"], name="operations_posting_span_idx")]

    def __str__(self) -> str:
        return f"{self.staff_id} {self.work_place} {self.starts_on}–{self.ends_on or ''}"


class Training(models.Model):
    """R10.4 (000:7.3, 003:10.4): a training a staff member attended (technology transfer, tập huấn)."""

    staff = models.ForeignKey(Staff, models.CASCADE, related_name="trainings")
    title = models.CharField(_("nội dung đào tạo"), max_length=300)
    held_on = models.DateField(_("ngày"))
    hours = models.PositiveSmallIntegerField(_("số giờ"), default=0)
    organiser = models.CharField(_("đơn vị tổ chức"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("đào tạo, tập huấn")
        verbose_name_plural = _("đào tạo, tập huấn")
        ordering = ["-held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d/%m/%Y})"


class AllowanceRule(models.Model):
    """R10.4 (003:9): which allowance of the act (`regulation.Allowance`, its amount) a work place receives, and how
    a partial month is paid. No allowance: the act sets none ("chưa quy định"). Amounts are never in code."""

    work_place = models.CharField(_("nơi làm việc"), max_length=10, choices=WorkPlace.choices, unique=True)
    allowance = models.ForeignKey(
        "regulation.Allowance", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("mức hỗ trợ")
    )
    proration = models.CharField(_("tháng không trọn"), max_length=10, choices=Proration.choices)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("quy tắc hỗ trợ")
        verbose_name_plural = _("quy tắc hỗ trợ")
        ordering = ["work_place"]

    def __str__(self) -> str:
        return f"{self.get_work_place_display()}: {self.allowance or '—'}"


class AllowanceSheet(models.Model):
    """R10.4 (003:9, 004:10.1): one paying agency's allowances of one month, a version: prepared, approved by the
    managing body, then frozen; a correction is the next version (the approved one becomes superseded)."""

    paying_agency = models.ForeignKey(
        "agencies.Agency", models.PROTECT, related_name="+", verbose_name=_("cơ quan chi trả")
    )
    month = models.DateField(_("tháng"), help_text=_("Ngày đầu tháng"))
    version = models.PositiveSmallIntegerField(_("lần lập"), default=1)
    state = models.CharField(_("trạng thái"), max_length=12, choices=SheetState.choices, default=SheetState.DRAFT)
    proration = models.CharField(_("tháng không trọn"), max_length=10, choices=Proration.choices)
    rule_text = models.TextField(_("căn cứ, cách tính"), blank=True)
    total_vnd = models.BigIntegerField(_("tổng (đồng)"), default=0)
    reason = models.CharField(_("lý do điều chỉnh"), max_length=300, blank=True)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    prepared_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("bảng hỗ trợ hằng tháng")
        verbose_name_plural = _("bảng hỗ trợ hằng tháng")
        ordering = ["-month", "paying_agency", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["paying_agency", "month", "version"],
                name="operations_sheet_version_unique",
                violation_error_message=_("Bảng của tháng này đã có lần lập này."),
            ),
            models.UniqueConstraint(
                fields=["paying_agency", "month"],
                condition=Q(state="draft"),
                name="operations_sheet_one_draft",
                violation_error_message=_("Đã có một dự thảo của tháng này."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.paying_agency} {self.month:%m/%Y} (v{self.version})"


class AllowanceLine(models.Model):
    """R10.4: one person on a sheet: the days in post at each place, the rate and the amount (integer đồng;
    None when the act sets no amount: "chưa quy định"). Names are copied so a frozen sheet never changes."""

    sheet = models.ForeignKey(AllowanceSheet, models.CASCADE, related_name="lines")
    staff = models.ForeignKey(Staff, models.PROTECT, related_name="+")
    full_name = models.CharField(_("họ và tên"), max_length=120)
    position = models.CharField(_("vị trí"), max_length=300)
    days_center = models.PositiveSmallIntegerField(_("số ngày tại Trung tâm"), default=0)
    days_elsewhere = models.PositiveSmallIntegerField(_("số ngày làm nhiệm vụ ngoài Trung tâm"), default=0)
    days_in_month = models.PositiveSmallIntegerField(_("số ngày của tháng"))
    amount_vnd = models.BigIntegerField(_("số tiền (đồng)"), null=True, blank=True)
    basis = models.CharField(_("cách tính"), max_length=300)

    class Meta:
        verbose_name = _("dòng bảng hỗ trợ")
        verbose_name_plural = _("dòng bảng hỗ trợ")
        ordering = ["sheet", "full_name", "pk"]

    def __str__(self) -> str:
        return f"{self.full_name}: {self.amount_vnd}"


class Roster(models.Model):
    """R10.4 (004:8, 002:12.2): a month of duty shifts of the center, cut from its working hours in `worktime`
    (office hours, or 24/7), with its coverage rule (minimum per shift, a leader on call); published once its
    gaps are seen."""

    agency = models.ForeignKey("agencies.Agency", models.PROTECT, related_name="+", verbose_name=_("đơn vị trực"))
    month = models.DateField(_("tháng"))
    around_the_clock = models.BooleanField(_("trực 24/7"))
    min_per_shift = models.PositiveSmallIntegerField(_("số người tối thiểu mỗi ca"), default=1)
    leader_required = models.BooleanField(_("cần lãnh đạo trực chỉ huy"), default=True)
    state = models.CharField(_("trạng thái"), max_length=10, choices=RosterState.choices, default=RosterState.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("lịch trực")
        verbose_name_plural = _("lịch trực")
        ordering = ["-month", "agency"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "month"],
                name="operations_roster_month_unique",
                violation_error_message=_("Đơn vị đã có lịch trực của tháng này."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.month:%m/%Y}"


class RosterShift(models.Model):
    """R10.4: one shift of a roster (aware start and end); `is_holiday` marks a statutory day off (Tết…)."""

    roster = models.ForeignKey(Roster, models.CASCADE, related_name="shifts")
    label = models.CharField(_("ca"), max_length=40)
    starts_at = models.DateTimeField(_("bắt đầu"))
    ends_at = models.DateTimeField(_("kết thúc"))
    is_holiday = models.BooleanField(_("ngày nghỉ lễ"), default=False)

    class Meta:
        verbose_name = _("ca trực")
        verbose_name_plural = _("ca trực")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["starts_at", "ends_at"], name="operations_shift_span_idx")]

    def __str__(self) -> str:
        return f"{self.label} {self.starts_at:%d/%m/%Y %H:%M}"


class RosterDuty(models.Model):
    """R10.4: a person on a shift (as the leader on call or not); `reminded_at`: the durable reminder's mark."""

    shift = models.ForeignKey(RosterShift, models.CASCADE, related_name="duties")
    staff = models.ForeignKey(Staff, models.PROTECT, related_name="duties")
    as_leader = models.BooleanField(_("trực chỉ huy"), default=False)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("phân công trực")
        verbose_name_plural = _("phân công trực")
        ordering = ["shift", "-as_leader", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["shift", "staff"],
                name="operations_duty_once_per_shift",
                violation_error_message=_("Người này đã có trong ca."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff_id} @ {self.shift_id}"


class ShiftSwap(models.Model):
    """R10.4: a request to hand one's duty to someone else, approved or refused by the IOC leader."""

    duty = models.ForeignKey(RosterDuty, models.CASCADE, related_name="swaps")
    to_staff = models.ForeignKey(Staff, models.PROTECT, related_name="+", verbose_name=_("người trực thay"))
    reason = models.CharField(_("lý do"), max_length=300)
    state = models.CharField(_("trạng thái"), max_length=10, choices=SwapState.choices, default=SwapState.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("đổi ca")
        verbose_name_plural = _("đổi ca")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.duty_id} → {self.to_staff_id} ({self.state})"


class Change(models.Model):
    """R10.2 (002:12.7, 002:16.2–16.3): an upgrade or update of the IOC's systems — what, why, which systems, the
    window, the rollback plan, who asks (the vendor) — approved by the managing body before it starts (and by
    each agency whose connected system it touches), carried out and closed with its result. While its approved
    window runs, the web shell shows a banner and alerts of `sources` are marked "bảo trì"."""

    title = models.CharField(_("nội dung thay đổi"), max_length=200)
    reason = models.TextField(_("lý do"))
    systems = models.CharField(_("hệ thống, thành phần"), max_length=300)
    touched_systems = models.ManyToManyField(
        "agencies.InformationSystem", blank=True, related_name="+", verbose_name=_("hệ thống kết nối của cơ quan")
    )
    sources = models.JSONField(_("nguồn cảnh báo tạm ngưng"), default=list, blank=True)
    window_start = models.DateTimeField(_("bắt đầu"))
    window_end = models.DateTimeField(_("kết thúc"))
    rollback_plan = models.TextField(_("phương án khôi phục"))
    requester = models.CharField(_("đơn vị đề nghị"), max_length=200)
    version = models.CharField(_("phiên bản sau thay đổi"), max_length=60, blank=True)
    state = models.CharField(_("trạng thái"), max_length=10, choices=ChangeState.choices, default=ChangeState.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("ý kiến phê duyệt"), max_length=300, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    result = models.TextField(_("kết quả"), blank=True)

    class Meta:
        verbose_name = _("thay đổi hệ thống")
        verbose_name_plural = _("thay đổi hệ thống")
        ordering = ["-window_start", "-pk"]
        indexes = [models.Index(fields=["state", "window_start", "window_end"], name="operations_change_window_idx")]

    def __str__(self) -> str:
        return f"TĐ-{self.pk or 0:05d} {self.title}"

    @property
    def reference(self) -> str:
        return f"TĐ-{self.pk or 0:05d}"


class ChangeConsent(models.Model):
    """R10.2 (002:16.3): the consent of an agency whose connected system the change touches."""

    change = models.ForeignKey(Change, models.CASCADE, related_name="consents")
    agency = models.ForeignKey("agencies.Agency", models.PROTECT, related_name="+", verbose_name=_("cơ quan"))
    state = models.CharField(_("ý kiến"), max_length=10, choices=ConsentState.choices, default=ConsentState.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("ý kiến của cơ quan")
        verbose_name_plural = _("ý kiến của cơ quan")
        constraints = [
            models.UniqueConstraint(
                fields=["change", "agency"],
                name="operations_consent_once",
                violation_error_message=_("Cơ quan đã có trong danh sách cho ý kiến."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.change_id} {self.agency_id} {self.state}"


class DeploymentRecord(models.Model):
    """R10.2: what was running when checked — version and applied migrations (a digest) — and the approved change
    that covers it (None: a difference without an approved window, raised as `operations.unapproved_change`)."""

    version = models.CharField(_("phiên bản"), max_length=60)
    migrations_digest = models.CharField(_("dấu các migration"), max_length=64)
    migrations_count = models.PositiveIntegerField(_("số migration"))
    seen_at = models.DateTimeField(default=timezone.now, db_index=True)
    change = models.ForeignKey(Change, models.SET_NULL, null=True, blank=True, related_name="+")
    approved = models.BooleanField(_("có phê duyệt"), default=True)

    class Meta:
        verbose_name = _("phiên bản đang chạy")
        verbose_name_plural = _("phiên bản đang chạy")
        ordering = ["-seen_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.version} ({self.migrations_count}) {self.seen_at:%d/%m/%Y %H:%M}"


class Asset(models.Model):
    """R10.3 (000:7.6, 003:6.5, 003:7.2, 002:7.2, 002:10.4): equipment, licences and contracts the center is given:
    owner agency, the hand-over document (number, date), location, serial, warranty, and the agency that maintains
    it (the telecom partner, 004:10.3). Cameras stay in the sensors registry (`camera_code` links one)."""

    kind = models.CharField(_("loại"), max_length=10, choices=AssetKind.choices)
    name = models.CharField(_("tên"), max_length=200)
    owner_agency = models.ForeignKey(
        "agencies.Agency", models.PROTECT, related_name="+", verbose_name=_("cơ quan quản lý tài sản")
    )
    maintainer = models.ForeignKey(
        "agencies.Agency", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("đơn vị bảo trì")
    )
    handover_no = models.CharField(_("số biên bản bàn giao"), max_length=60, blank=True)
    handover_date = models.DateField(_("ngày bàn giao"), null=True, blank=True)
    location = models.CharField(_("vị trí"), max_length=200, blank=True)
    serial = models.CharField(_("số sê-ri"), max_length=100, blank=True)
    warranty_until = models.DateField(_("bảo hành đến"), null=True, blank=True)
    camera_code = models.CharField(_("mã camera (cảm biến)"), max_length=100, blank=True)
    is_active = models.BooleanField(_("đang sử dụng"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("tài sản, thiết bị")
        verbose_name_plural = _("tài sản, thiết bị")
        ordering = ["kind", "name", "pk"]

    def __str__(self) -> str:
        return self.name


class MaintenancePlan(models.Model):
    """R10.3 (002:7.1): periodic checks of an asset — every `interval_days`, or once on a date — with the next due
    date (`due_on`, None once a one-off plan is done)."""

    asset = models.ForeignKey(Asset, models.CASCADE, related_name="plans")
    title = models.CharField(_("nội dung bảo dưỡng"), max_length=200)
    interval_days = models.PositiveSmallIntegerField(_("chu kỳ (ngày)"), null=True, blank=True)
    due_on = models.DateField(_("đến hạn"), null=True, blank=True, db_index=True)
    is_active = models.BooleanField(_("đang áp dụng"), default=True)

    class Meta:
        verbose_name = _("kế hoạch bảo dưỡng")
        verbose_name_plural = _("kế hoạch bảo dưỡng")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.asset})"


class MaintenanceRecord(models.Model):
    """R10.3: a check or repair done, with its result."""

    asset = models.ForeignKey(Asset, models.CASCADE, related_name="records")
    plan = models.ForeignKey(MaintenancePlan, models.SET_NULL, null=True, blank=True, related_name="records")
    done_on = models.DateField(_("ngày thực hiện"))
    result = models.CharField(_("kết quả"), max_length=10, choices=MaintenanceResult.choices)
    note = models.TextField(_("ghi chú"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("lần bảo dưỡng")
        verbose_name_plural = _("lần bảo dưỡng")
        ordering = ["-done_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.asset} {self.done_on:%d/%m/%Y}"


class MaintenanceReminder(models.Model):
    """R10.3: the durable reminder of an asset's due date (one per asset × due date), sent once `due_at` passes."""

    asset = models.ForeignKey(Asset, models.CASCADE, related_name="+")
    due_on = models.DateField(_("đến hạn"))
    due_at = models.DateTimeField(_("thời điểm nhắc"))
    state = models.CharField(max_length=10, choices=ReminderState.choices, default=ReminderState.PENDING)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("nhắc bảo dưỡng")
        verbose_name_plural = _("nhắc bảo dưỡng")
        constraints = [
            models.UniqueConstraint(
                fields=["asset", "due_on"],
                name="operations_reminder_once",
                violation_error_message=_("Đã có lời nhắc cho ngày này."),
            )
        ]
        indexes = [models.Index(fields=["state", "due_at"], name="operations_reminder_due_idx")]

    def __str__(self) -> str:
        return f"{self.asset_id} {self.due_on} ({self.state})"


class Fault(models.Model):
    """R10.3 (000:15.6): a fault of an asset; one that stops operation raises `operations.equipment_fault` and its
    repair is forwarded to the maintaining agency (no prior approval; recorded and reported)."""

    asset = models.ForeignKey(Asset, models.PROTECT, related_name="faults")
    description = models.TextField(_("mô tả"))
    stops_operation = models.BooleanField(_("làm ngừng hoạt động"), default=False)
    state = models.CharField(_("trạng thái"), max_length=10, choices=FaultState.choices, default=FaultState.OPEN)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(default=timezone.now, db_index=True)
    alert_id_ref = models.PositiveBigIntegerField(_("cảnh báo"), null=True, blank=True)
    assignment_id_ref = models.PositiveBigIntegerField(_("việc chuyển xử lý"), null=True, blank=True)
    repaired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sự cố thiết bị")
        verbose_name_plural = _("sự cố thiết bị")
        ordering = ["-reported_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.asset}: {self.description[:40]}"
