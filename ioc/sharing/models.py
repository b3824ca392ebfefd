"""Sharing the data hub's datasets (R1.6, Decree 47/2020): the terms, agencies' access requests and the grants
that answer them.

Default sharing: a published dataset is a read API; an agency asks, and the owner sets its access up within
`SharingTerms.setup_working_days` (2). Sharing on request: the agency names fields, purpose and legal basis; within
`response_working_days` (5) the owner approves with a scoped, time-limited Grant or refuses in writing with its
reasons and legal basis. Due times count working time (`worktime.deadline_add`).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ioc.datahub.choices import SharingMode
from ioc.sharing.choices import (
    MAX_GRANT_DAYS,
    REMIND_BEFORE_HOURS,
    RESPONSE_WORKING_DAYS,
    SETUP_WORKING_DAYS,
    GrantState,
    RequestStatus,
)


class SharingTerms(models.Model):
    """R1.6: the deployment's sharing rules as configuration (one row; the defaults apply while there is none)."""

    setup_working_days = models.PositiveSmallIntegerField(
        _("thời hạn thiết lập chia sẻ mặc định (ngày làm việc)"), default=SETUP_WORKING_DAYS
    )
    response_working_days = models.PositiveSmallIntegerField(
        _("thời hạn trả lời yêu cầu riêng (ngày làm việc)"), default=RESPONSE_WORKING_DAYS
    )
    max_grant_days = models.PositiveSmallIntegerField(
        _("thời hạn tối đa của quyền truy cập (ngày)"), default=MAX_GRANT_DAYS
    )
    remind_before_hours = models.PositiveSmallIntegerField(_("nhắc trước hạn (giờ)"), default=REMIND_BEFORE_HOURS)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("quy định chia sẻ dữ liệu")
        verbose_name_plural = _("quy định chia sẻ dữ liệu")

    def __str__(self) -> str:
        return f"{self.setup_working_days}/{self.response_working_days}"


class AccessRequest(models.Model):
    """R1.6: an agency asks for a dataset's fields (optionally some communes) with a purpose and, for sharing on
    request, a legal basis; due within the terms' working days; approved into a Grant or refused in writing."""

    dataset = models.ForeignKey(
        "datahub.Dataset", models.PROTECT, related_name="access_requests", verbose_name=_("bộ dữ liệu")
    )
    agency = models.ForeignKey("agencies.Agency", models.PROTECT, related_name="+", verbose_name=_("cơ quan đề nghị"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    mode = models.CharField(_("hình thức chia sẻ"), max_length=20, choices=SharingMode.choices)
    fields = models.JSONField(_("các trường đề nghị"), default=list)
    communes = models.ManyToManyField("geo.AdminUnit", blank=True, related_name="+", verbose_name=_("xã, phường"))
    purpose = models.TextField(_("mục đích sử dụng"))
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    wanted_until = models.DateField(_("đề nghị sử dụng đến ngày"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    submitted_at = models.DateTimeField(_("gửi lúc"))
    due_at = models.DateTimeField(_("hạn xử lý"))
    decided_at = models.DateTimeField(_("xử lý lúc"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    refusal_reasons = models.TextField(_("lý do từ chối"), blank=True)
    refusal_legal_basis = models.TextField(_("căn cứ pháp lý của việc từ chối"), blank=True)

    class Meta:
        verbose_name = _("yêu cầu chia sẻ dữ liệu")
        verbose_name_plural = _("yêu cầu chia sẻ dữ liệu")
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["status", "due_at"], name="sharing_request_due_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=RequestStatus.REFUSED) | ~models.Q(refusal_reasons=""),
                name="sharing_refusal_has_reasons",
                violation_error_message=_("Từ chối phải nêu lý do."),
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.dataset_id} ← {self.agency_id}"

    def is_overdue(self, now: dt.datetime) -> bool:
        return self.status == RequestStatus.PENDING and self.due_at < now


class Grant(models.Model):
    """R1.6: the access an owner gave in answer to a request: which fields, which communes (none: all), until
    when; revocable. Consumers read only through a live grant, and every read is audited."""

    request = models.OneToOneField(AccessRequest, models.PROTECT, related_name="grant", verbose_name=_("yêu cầu"))
    dataset = models.ForeignKey("datahub.Dataset", models.PROTECT, related_name="grants", verbose_name=_("bộ dữ liệu"))
    agency = models.ForeignKey(
        "agencies.Agency", models.PROTECT, related_name="+", verbose_name=_("cơ quan được chia sẻ")
    )
    fields = models.JSONField(_("các trường được chia sẻ"), default=list)
    communes = models.ManyToManyField("geo.AdminUnit", blank=True, related_name="+", verbose_name=_("xã, phường"))
    starts_at = models.DateTimeField(_("hiệu lực từ"))
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    revoke_reason = models.TextField(_("lý do thu hồi"), blank=True)

    class Meta:
        verbose_name = _("quyền truy cập dữ liệu")
        verbose_name_plural = _("quyền truy cập dữ liệu")
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["dataset", "agency", "expires_at"], name="sharing_grant_live_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("starts_at")),
                name="sharing_grant_expires_after_start",
                violation_error_message=_("Ngày hết hạn phải sau ngày bắt đầu."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.dataset_id} → {self.agency_id} ({self.expires_at:%Y-%m-%d})"

    def state(self, now: dt.datetime) -> str:
        if self.revoked_at is not None:
            return GrantState.REVOKED
        return GrantState.EXPIRED if self.expires_at <= now else GrantState.LIVE
