"""Channels and delivery states of the outbox (R4.5)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("Thư điện tử / E-mail")
    WEBHOOK = "webhook", _("Webhook có ký / Signed webhook")
    SMS = "sms", _("Tin nhắn SMS / SMS")
    CONSOLE = "console", _("Nhật ký (chỉ demo) / Console (demo only)")


class OutboxState(models.TextChoices):
    PENDING = "pending", _("Chờ gửi / Pending")
    SENDING = "sending", _("Đang gửi / Sending")
    SENT = "sent", _("Đã gửi / Sent")
    FAILED = "failed", _("Lỗi, sẽ thử lại / Failed, will retry")
    DEAD = "dead", _("Hỏng, ngừng thử / Dead, retries exhausted")
    # The channel's transport is switched off (NOTIFICATIONS_TRANSPORTS): never sent, the reason in last_error.
    SKIPPED = "skipped", _("Không gửi: kênh đang tắt / Not sent: channel switched off")


# Rows the sender may claim once due; SENDING only when its lease has expired.
CLAIMABLE = (OutboxState.PENDING, OutboxState.FAILED)
UNDELIVERED = (OutboxState.PENDING, OutboxState.SENDING, OutboxState.FAILED)
# Rows an administrator may send again (`outbox_requeue`), e.g. once the channel is switched on.
REQUEUEABLE = (OutboxState.FAILED, OutboxState.DEAD, OutboxState.SKIPPED)

MAX_ATTEMPTS = 10
LEASE_SECONDS = 5 * 60
BACKOFF_CAP_SECONDS = 6 * 3600
