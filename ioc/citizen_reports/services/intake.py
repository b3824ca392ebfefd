"""R3.1: e-mail intake. The IOC mailbox becomes intake items; an operator turns each into a report or discards it.

- `intake_fetch(*, source)` stores each new message (deduplicated by Message-ID) as an `IntakeItem`: the sender is
  encrypted at rest (R7.5), image attachments go through `ioc.common.images.image_clean` (a bad one is dropped
  with a note, never a crash), and the whole batch is audited in one entry. Messages are marked handled in the
  mailbox only after the transaction commits (DESIGN "Durable work": a crash in between re-reads them, and the
  Message-ID makes that harmless).
- `intake_item_convert` files the report through `report_receive` (channel `email`); `intake_item_discard`
  needs a reason.
- `fetch_mailbox_task()` is the body of the periodic Huey task (wired in `tasks.py`).
"""

from __future__ import annotations

import functools
import imaplib
import logging
from collections.abc import Sequence
from email.header import decode_header, make_header
from email.utils import parseaddr
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.accounts.choices import IOC_STAFF_ROLES
from ioc.accounts.models import User
from ioc.accounts.selectors import system_account
from ioc.audit.services import audit_record, audit_record_bulk
from ioc.citizen_reports import mailbox
from ioc.citizen_reports.choices import DESCRIPTION_MAX, PHOTO_MAX_COUNT, Channel, IntakeStatus
from ioc.citizen_reports.models import Category, IntakeAttachment, IntakeItem, Report
from ioc.citizen_reports.privacy import decrypt, encrypt
from ioc.citizen_reports.services.receive import ContactInput, report_receive
from ioc.common.images import CleanImage, image_clean

logger = logging.getLogger(__name__)

# Notes about the message (dropped attachments, oversize) follow the body after this marker.
NOTE_MARKER = "\n\n[IOC] "
REASON_MAX = 1000


# --- fetching ------------------------------------------------------------------------------------------------


def intake_fetch(*, source: mailbox.MailSource, limit: int | None = None) -> int:
    """R3.1: store the source's new messages as intake items; returns how many were new.

    One transaction and one audit entry (`intake_item.fetch`, with the row count and digest) per batch. The
    messages, new or already known, are marked handled in the mailbox after the commit.
    """
    messages = source.fetch(limit=limit or mailbox.batch_size())
    if not messages:
        return 0
    with transaction.atomic():
        known = set(
            IntakeItem.objects.filter(message_id__in=[m.message_id for m in messages]).values_list(
                "message_id", flat=True
            )
        )
        stored: list[dict[str, Any]] = []
        for message in messages:
            if message.message_id in known:
                continue
            known.add(message.message_id)
            item = _item_store(message)
            if item is not None:
                stored.append(item)
        if stored:
            audit_record_bulk(
                actor=system_account(),
                action="intake_item.fetch",
                object_type="citizen_reports.intakeitem",
                rows=stored,
                changes={"source": source.label, "count": len(stored), "seen": len(messages)},
            )
        keys = [m.key for m in messages]
        transaction.on_commit(functools.partial(source.mark_done, keys))
    return len(stored)


def _item_store(message: mailbox.MailMessage) -> dict[str, Any] | None:
    """One message → one IntakeItem with its clean attachments, in a savepoint (a concurrent fetch that stored
    the same Message-ID first wins). Returns the audit row, or None when it was a duplicate after all."""
    images, notes = _attachments_clean(message.attachments)
    notes = [*message.notes, *notes]
    body = message.body + (NOTE_MARKER + "; ".join(notes) if notes else "")
    try:
        with transaction.atomic():
            item = IntakeItem.objects.create(
                message_id=message.message_id,
                sender_encrypted=encrypt(message.sender),
                subject=message.subject,
                body=body,
                received_at=timezone.now(),
            )
            for image in images:
                IntakeAttachment.objects.create(
                    item=item,
                    file=image.as_content_file(),
                    width=image.width,
                    height=image.height,
                    sha256=image.sha256,
                )
    except IntegrityError:
        return None
    return {"id": item.pk, "message_id": item.message_id, "attachments": len(images), "notes": len(notes)}


def _attachments_clean(attachments: Sequence[mailbox.MailAttachment]) -> tuple[list[CleanImage], list[str]]:
    """The attachments that are valid images (at most PHOTO_MAX_COUNT); a note for each one dropped."""
    images: list[CleanImage] = []
    notes: list[str] = []
    for attachment in attachments:
        name = attachment.filename or attachment.content_type
        if not attachment.looks_like_image:
            notes.append(_("bỏ tệp đính kèm không phải ảnh / dropped a non-image attachment: ") + name)
            continue
        if len(images) >= PHOTO_MAX_COUNT:
            notes.append(_("bỏ ảnh vượt quá số lượng / dropped an image over the limit: ") + name)
            continue
        try:
            images.append(image_clean(attachment.content, filename=attachment.filename))
        except ValidationError as exc:
            notes.append(_("bỏ ảnh không hợp lệ / dropped an invalid image: ") + f"{name} ({'; '.join(exc.messages)})")
        except Exception:
            logger.warning("intake: attachment %r could not be read", name, exc_info=True)
            notes.append(_("bỏ ảnh không đọc được / dropped an unreadable image: ") + name)
    return images, notes


def fetch_mailbox_task() -> int:
    """The periodic task's body: fetch from the configured mailbox (nothing when none is configured).
    Connection failures are logged and retried at the next run; the mailbox keeps the mail meanwhile."""
    source = mailbox.source_from_settings()
    if source is None:
        return 0
    try:
        return intake_fetch(source=source)
    except (OSError, imaplib.IMAP4.error):
        logger.warning("intake: cannot read %s", source.label, exc_info=True)
        return 0


# --- handling by an operator ---------------------------------------------------------------------------------


def intake_body(item: IntakeItem) -> str:
    """The message text as sent, without the IOC's notes."""
    return item.body.split(NOTE_MARKER, 1)[0]


def intake_notes(item: IntakeItem) -> str:
    """The IOC's notes about the message (dropped attachments…), or ""."""
    parts = item.body.split(NOTE_MARKER, 1)
    return parts[1] if len(parts) == 2 else ""


def intake_sender(item: IntakeItem) -> tuple[str, str]:
    """(name, e-mail) of the sender, decrypted. Callers showing it to a user audit the read."""
    name, address = parseaddr(decrypt(item.sender_encrypted))
    return str(make_header(decode_header(name))), address


def _check_handler(actor: User) -> None:
    if not (set(getattr(actor, "role_codes", ())) & IOC_STAFF_ROLES):
        raise ValidationError({"actor": [_("Chỉ cán bộ vận hành IOC xử lý thư đến / Only IOC operators handle mail")]})


def _locked_new(item: IntakeItem) -> IntakeItem:
    locked = IntakeItem.objects.select_for_update().get(pk=item.pk)
    if locked.status != IntakeStatus.NEW:
        raise ValidationError({"status": [_("Thư này đã được xử lý / This message has already been handled")]})
    return locked


def _default_description(item: IntakeItem) -> str:
    """Subject and body, with angle brackets neutralised (quoted addresses are not HTML), cut to the limit."""
    text = "\n\n".join(part for part in (item.subject.strip(), intake_body(item).strip()) if part)
    return text.replace("<", "‹").replace(">", "›")[:DESCRIPTION_MAX]


def _contact(item: IntakeItem) -> ContactInput | None:
    name, address = intake_sender(item)
    try:
        validate_email(address)
    except ValidationError:
        return None
    return ContactInput(name=name[:200], email=address, consent_processing=True)


def _photos(item: IntakeItem) -> list[CleanImage]:
    photos = []
    for attachment in item.attachments.all()[:PHOTO_MAX_COUNT]:
        with attachment.file.open("rb") as handle:
            photos.append(image_clean(handle.read()))
    return photos


@transaction.atomic
def intake_item_convert(
    *,
    item: IntakeItem,
    actor: User,
    category: Category,
    lat: float | None = None,
    lon: float | None = None,
    unit: Any = None,
    address: str = "",
    description: str | None = None,
) -> Report:
    """R3.1: turn a new intake item into a report (channel `email`) through `report_receive`; the sender's
    address becomes the reporter's contact (consent to processing: they wrote to the IOC)."""
    _check_handler(actor)
    locked = _locked_new(item)
    received = report_receive(
        channel=Channel.EMAIL,
        category=category,
        description=_default_description(locked) if description is None else description,
        lat=lat,
        lon=lon,
        unit=unit,
        address=address,
        contact=_contact(locked),
        photos=_photos(locked),
        actor=actor,
    )
    locked.status = IntakeStatus.CONVERTED
    locked.report = received.report
    locked.handled_by, locked.handled_at = actor, timezone.now()
    locked.save(update_fields=["status", "report", "handled_by", "handled_at"])
    audit_record(actor=actor, action="intake_item.convert", obj=locked, changes={"report": received.report.pk})
    item.refresh_from_db()
    return received.report


@transaction.atomic
def intake_item_discard(*, item: IntakeItem, actor: User, reason: str) -> IntakeItem:
    """R3.1: discard a new intake item (spam, not a report…) with a reason, which is required."""
    _check_handler(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Cần nêu lý do loại thư / A reason is required")]})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": [_("Lý do quá dài (tối đa 1000 ký tự) / Reason too long (1000 max)")]})
    locked = _locked_new(item)
    locked.status = IntakeStatus.DISCARDED
    locked.discard_reason = reason
    locked.handled_by, locked.handled_at = actor, timezone.now()
    locked.save(update_fields=["status", "discard_reason", "handled_by", "handled_at"])
    audit_record(actor=actor, action="intake_item.discard", obj=locked, changes={"reason": reason})
    item.refresh_from_db()
    return locked
