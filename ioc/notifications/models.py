"""The notification outbox and per-user preferences (R4.5; DESIGN "Durable work")."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ioc.notifications.choices import Channel, OutboxState


class Outbox(models.Model):
    """R4.5: one message to one recipient on one channel; claimed by a conditional UPDATE with a lease.

    `recipient_key` is `user:<id>` or `addr:<address>`; (dedup_key, recipient_key, channel) is unique, so the
    same event never notifies the same recipient twice. `delivery_id` stays the same across retries so the
    receiver can deduplicate an at-least-once delivery. `due_at` is when the row first became due (after quiet
    hours); readiness measures the oldest undelivered row from it.
    """

    event = models.CharField(_("sự kiện"), max_length=80, db_index=True)
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, null=True, blank=True, related_name="+"
    )
    recipient_address = models.CharField(_("địa chỉ nhận"), max_length=500)
    recipient_key = models.CharField(max_length=520)
    channel = models.CharField(_("kênh"), max_length=10, choices=Channel.choices)
    template = models.CharField(_("mẫu"), max_length=80)
    language = models.CharField(max_length=5, default="vi")
    subject = models.CharField(_("tiêu đề"), max_length=255, blank=True)
    body = models.TextField(_("nội dung"), blank=True)
    dedup_key = models.CharField(max_length=200)
    urgent = models.BooleanField(_("khẩn"), default=False)
    state = models.CharField(_("trạng thái"), max_length=10, choices=OutboxState.choices, default=OutboxState.PENDING)
    attempts = models.PositiveSmallIntegerField(_("số lần thử"), default=0)
    due_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    lease_until = models.DateTimeField(null=True, blank=True)
    delivery_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("thư chờ gửi")
        verbose_name_plural = _("hộp thư đi")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["dedup_key", "recipient_key", "channel"], name="outbox_dedup_unique"),
        ]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="outbox_due_idx"),
            models.Index(fields=["state", "lease_until"], name="outbox_lease_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.recipient_address} ({self.channel}, {self.state})"


class NotificationPreference(models.Model):
    """R4.5: a user's channels, language and quiet hours (local time; urgent messages ignore quiet hours)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="notification_preference")
    email_enabled = models.BooleanField(_("nhận thư điện tử"), default=True)
    sms_enabled = models.BooleanField(_("nhận SMS"), default=False)
    language = models.CharField(_("ngôn ngữ"), max_length=5, choices=settings.LANGUAGES, default="vi")
    quiet_start = models.TimeField(_("bắt đầu giờ yên lặng"), null=True, blank=True)
    quiet_end = models.TimeField(_("kết thúc giờ yên lặng"), null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("tùy chọn thông báo")
        verbose_name_plural = _("tùy chọn thông báo")

    def __str__(self) -> str:
        return f"{self.user}"
