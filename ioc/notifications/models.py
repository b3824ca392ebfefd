"""The notification outbox and per-user preferences (R4.5; DESIGN "Durable work")."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.query_utils import DeferredAttribute
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from ioc.notifications.choices import Channel, OutboxState
from ioc.notifications.context import decode
from ioc.notifications.registry import render, template_get


class _RenderedText(DeferredAttribute):
    """Reads a message's subject or body: the stored text once rendered (after sending, or a row written before
    issue 12's render-at-delivery), else the row's template rendered from its stored context (R4.5)."""

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        value = super().__get__(instance, cls)
        if instance is None or value or instance.context is None:
            return value
        return instance.rendered()[0 if self.field.attname == "subject" else 1]

    def __set__(self, instance: Any, value: Any) -> None:  # a data descriptor: read even when the text is stored
        instance.__dict__[self.field.attname] = value


def _stored_text(field: models.Field[Any, Any], instance: models.Model) -> Any:
    """What is written: the stored text, never the text rendered in memory (it is written by the sender)."""
    return instance.__dict__.get(field.attname, "")


class RenderedCharField(models.CharField):  # type: ignore[type-arg]
    """A CharField read through `_RenderedText`: the text, rendered on first read while it is not stored yet."""

    descriptor_class = _RenderedText

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        return _stored_text(self, model_instance)


class RenderedTextField(models.TextField):  # type: ignore[type-arg]
    """A TextField read through `_RenderedText`."""

    descriptor_class = _RenderedText

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        return _stored_text(self, model_instance)


class Outbox(models.Model):
    """R4.5: one message to one recipient on one channel; claimed by a conditional UPDATE with a lease.

    Rendered at delivery (issue 12 "Speed"): a row keeps its template key, the recipient's name and language and
    the caller's context in JSON (`ioc.notifications.context`); the sender renders subject and body when it sends
    and keeps the text on the row, for the record. Reading `subject` or `body` before that renders them in memory.
    A row whose `context` is NULL holds its text already (rows from before, or a context that JSON could not
    keep exactly: rendered at enqueue).

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
    recipient_name = models.CharField(_("tên người nhận"), max_length=200, blank=True, default="")
    context = models.JSONField(_("dữ liệu mẫu"), null=True, blank=True, default=None)
    subject = RenderedCharField(_("tiêu đề"), max_length=255, blank=True)
    body = RenderedTextField(_("nội dung"), blank=True)
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

    def rendered(self) -> tuple[str, str]:
        """(subject, body) from the stored context, rendered once per instance; LookupError when the template is
        no longer registered (the sender records it as a failed attempt)."""
        cached: tuple[str, str] | None = self.__dict__.get("_rendered")
        if cached is None:
            context = {"recipient_name": self.recipient_name, **decode(self.context or {})}
            with translation.override(self.language):  # numbers and dates formatted in the recipient's language
                cached = self.__dict__["_rendered"] = render(template_get(self.template), self.language, context)
        return cached


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
