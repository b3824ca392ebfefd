"""Transports of the outbox (R4.5): e-mail, signed webhook, HTTP SMS gateway, console (demo only).

A transport returns on success and raises on failure; the sender turns the error into a retry.
`settings.NOTIFICATIONS_TRANSPORTS` lists the enabled transports. A message whose channel's transport is off is
never sent: the sender records it as not sent with the reason (`switched_off`); when `console` is on (the demo),
what it would have said is written to the console, marked as not sent (`preview`).

The console writes to `settings.NOTIFICATIONS_CONSOLE_FILE` when set (the demo: `var/notifications.log`), to the
`ioc.notifications` log otherwise.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
from collections.abc import Callable
from urllib.parse import quote

from django.conf import settings
from django.core.mail import EmailMessage

from ioc.common import http
from ioc.notifications.choices import Channel
from ioc.notifications.models import Outbox

logger = logging.getLogger("ioc.notifications")


class DeliveryError(Exception):
    """The transport could not deliver; the message says why (kept in `Outbox.last_error`)."""


def sign(body: bytes, key: str | None = None) -> str:
    """`sha256=<hex HMAC-SHA256 of body>` under settings.WEBHOOK_SIGNING_KEY (what receivers verify)."""
    secret = settings.WEBHOOK_SIGNING_KEY if key is None else key
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def webhook_payload(row: Outbox) -> bytes:
    payload = {
        "delivery_id": str(row.delivery_id),
        "event": row.event,
        "template": row.template,
        "language": row.language,
        "subject": row.subject,
        "body": row.body,
        "urgent": row.urgent,
        "created_at": row.created_at.isoformat(),
    }
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def send_email(row: Outbox) -> None:
    message = EmailMessage(
        subject=row.subject,
        body=row.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row.recipient_address],
        headers={"X-IOC-Delivery-Id": str(row.delivery_id)},
    )
    if message.send() != 1:
        raise DeliveryError("Máy chủ thư không nhận / The mail backend did not accept the message")


def send_webhook(row: Outbox) -> None:
    if not settings.WEBHOOK_SIGNING_KEY:
        raise DeliveryError("Chưa cấu hình WEBHOOK_SIGNING_KEY / WEBHOOK_SIGNING_KEY is not set")
    body = webhook_payload(row)
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "X-IOC-Delivery-Id": str(row.delivery_id),
        "X-IOC-Event": row.event,
        "X-IOC-Signature": sign(body),
    }
    response = http.post(row.recipient_address, body=body, headers=headers, max_bytes=64 * 1024)
    if not response.ok:
        raise DeliveryError(f"HTTP {response.status}: {response.text[:300]}")


def send_sms(row: Outbox) -> None:
    template = settings.SMS_GATEWAY_URL
    if not template:
        raise DeliveryError("Chưa cấu hình SMS_GATEWAY_URL / SMS_GATEWAY_URL is not set")
    text = row.body or row.subject
    url = template.replace("{to}", quote(row.recipient_address, safe="")).replace("{text}", quote(text, safe=""))
    headers = {"Authorization": settings.SMS_GATEWAY_AUTH} if settings.SMS_GATEWAY_AUTH else {}
    response = http.get(url, headers=headers, max_bytes=64 * 1024)
    if not response.ok:
        raise DeliveryError(f"HTTP {response.status}: {response.text[:300]}")
    pattern = settings.SMS_GATEWAY_SUCCESS_PATTERN
    if pattern and not re.search(pattern, response.text):
        raise DeliveryError(
            f"Cổng SMS không báo thành công / Gateway reply does not match success pattern: {response.text[:300]}"
        )


def _console_write(text: str) -> None:
    path = settings.NOTIFICATIONS_CONSOLE_FILE
    if not path:
        logger.info("%s", text)
        return
    with open(path, "a", encoding="utf-8") as file:  # one write per message: O_APPEND keeps processes' apart
        file.write(text + "\n\n")


def _console_text(row: Outbox, header: str) -> str:
    return (
        f"{header} {row.delivery_id} [{row.event}] to {row.recipient_address} via {row.channel}: {row.subject}\n"
        f"{row.body}"
    )


def send_console(row: Outbox) -> None:
    _console_write(_console_text(row, "notification"))


TRANSPORTS: dict[str, Callable[[Outbox], None]] = {
    Channel.EMAIL: send_email,
    Channel.WEBHOOK: send_webhook,
    Channel.SMS: send_sms,
    Channel.CONSOLE: send_console,
}


def switched_off(channel: str) -> str:
    """Why a message on `channel` is not sent ("" when its transport is enabled)."""
    if channel in settings.NOTIFICATIONS_TRANSPORTS:
        return ""
    return (
        f"Kênh {channel} đang tắt (NOTIFICATIONS_TRANSPORTS), thư không được gửi "
        f"/ Transport {channel!r} is switched off: not sent"
    )


def preview(row: Outbox, reason: str) -> None:
    """The demo: a message that is not sent is written to the console when the console is on, marked so."""
    if Channel.CONSOLE not in settings.NOTIFICATIONS_TRANSPORTS:
        return
    try:
        _console_write(_console_text(row, f"KHÔNG GỬI / NOT SENT ({reason}) notification"))
    except OSError:  # the preview is a courtesy: the row is recorded as not sent all the same
        logger.exception("could not write the preview of notification %s", row.delivery_id)


def deliver(row: Outbox) -> None:
    """Deliver one row through its channel's transport; a switched-off channel is an error (the sender checks
    `switched_off` first and records such a row as not sent)."""
    reason = switched_off(row.channel)
    if reason:
        raise DeliveryError(reason)
    TRANSPORTS[row.channel](row)
