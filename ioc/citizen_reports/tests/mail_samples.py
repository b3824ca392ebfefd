"""Sample e-mails for the intake tests (canary senders only)."""

from __future__ import annotations

import io
from email.message import EmailMessage
from email.utils import format_datetime

from django.utils import timezone
from PIL import Image


def jpeg_bytes(size: tuple[int, int] = (64, 48), colour: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="JPEG")
    return buffer.getvalue()


def mail(
    *,
    message_id: str | None,
    sender: str = "Nguyễn Văn Dân <dan.nguyen@canary.invalid>",
    subject: str = "Ổ gà trên đường",
    text: str | None = "Đường có ổ gà lớn trước số 12.",
    html: str | None = None,
    attachments: tuple[tuple[str, str, bytes], ...] = (),
) -> bytes:
    """A raw message. `attachments` are (filename, content type, bytes)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "phananh@ioc.canary.invalid"
    message["Subject"] = subject
    message["Date"] = format_datetime(timezone.now())
    if message_id is not None:
        message["Message-ID"] = message_id
    if text is not None:
        message.set_content(text)
        if html is not None:
            message.add_alternative(html, subtype="html")
    elif html is not None:
        message.set_content(html, subtype="html")
    for filename, content_type, content in attachments:
        maintype, subtype = content_type.split("/", 1)
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return message.as_bytes()
