"""R3.1: read the IOC's report mailbox — over IMAP (SSL, or plain on loopback) or from a Maildir.

A source returns parsed messages (`MailMessage`) that are not yet marked as handled, and marks them handled only
when asked (`mark_done`), which `ioc.citizen_reports.services.intake.intake_fetch` does after its transaction commits: a
crash between the two leaves the messages unread, and the next run skips them by Message-ID.

Settings (read with getattr, all optional): REPORTS_IMAP_HOST, REPORTS_IMAP_PORT (993 with SSL, else 143),
REPORTS_IMAP_USER, REPORTS_IMAP_PASSWORD, REPORTS_IMAP_SSL (True), REPORTS_IMAP_FOLDER ("INBOX"),
REPORTS_IMAP_DONE_FOLDER ("" = only flag \\Seen; else move handled mail there), REPORTS_MAILDIR (a Maildir path,
used when no IMAP host is set), REPORTS_MAIL_BATCH (50 messages per run), REPORTS_MAIL_MAX_BYTES (25 MB).
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import hashlib
import html
import imaplib
import ipaddress
import logging
import mailbox as std_mailbox
import re
import ssl
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage, Message
from email.utils import formataddr, getaddresses, parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

IMAGE_EXTENSIONS = frozenset({".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif", ".gif", ".bmp", ".tif", ".tiff"})
DEFAULT_BATCH = 50
DEFAULT_MAX_BYTES = 25 * 1024 * 1024
SUBJECT_MAX = 300

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class MailAttachment:
    """A file attached to a message, as sent (not yet validated)."""

    filename: str
    content_type: str
    content: bytes

    @property
    def looks_like_image(self) -> bool:
        return self.content_type.startswith("image/") or Path(self.filename.lower()).suffix in IMAGE_EXTENSIONS


@dataclass(frozen=True)
class MailMessage:
    """One parsed message. `key` identifies it in its source (Maildir key or IMAP UID)."""

    key: str
    message_id: str
    sender: str  # "Name <address>" as sent, or "" when the From header has no address
    subject: str
    body: str
    received_at: datetime | None
    attachments: tuple[MailAttachment, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)


class MailSource(Protocol):
    """Where intake reads mail from."""

    label: str

    def fetch(self, *, limit: int) -> list[MailMessage]: ...

    def mark_done(self, keys: Sequence[str]) -> None: ...


# --- parsing ---------------------------------------------------------------------------------------------------


class _TextOfHtml(HTMLParser):
    """Visible text of an HTML body: scripts and styles dropped, block elements become line breaks."""

    BLOCKS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote"})
    HIDDEN = frozenset({"script", "style", "head", "title"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """The readable text of an HTML mail body (no tags, entities decoded, blank runs collapsed)."""
    parser = _TextOfHtml()
    parser.feed(markup)
    parser.close()
    text = html.unescape("".join(parser.parts)).replace("\xa0", " ")
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _part_text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset, errors="replace")
    except LookupError:  # an unknown charset name
        return payload.decode("utf-8", errors="replace")


def _body(message: EmailMessage) -> str:
    """text/plain when the message has one; else the text of its HTML part."""
    plain = message.get_body(preferencelist=("plain",))
    if plain is not None:
        return _normalise(_part_text(plain))
    rich = message.get_body(preferencelist=("html",))
    if rich is not None:
        return html_to_text(_part_text(rich))
    return ""


def _attachments(message: EmailMessage) -> tuple[MailAttachment, ...]:
    found = []
    for part in message.iter_attachments():
        if part.is_multipart():
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            continue
        name = Path(str(part.get_filename() or "").replace("\\", "/")).name
        found.append(MailAttachment(filename=name[:200], content_type=part.get_content_type(), content=payload))
    return tuple(found)


def _message_id(message: Message, raw: bytes) -> str:
    """The Message-ID header; mail without one gets a stable id derived from its bytes."""
    value = str(message.get("Message-ID", "") or "").strip()
    if value:
        return value[:300]
    return f"<sha256-{hashlib.sha256(raw).hexdigest()}@ioc.invalid>"


def _sender(message: Message) -> str:
    pairs = getaddresses([str(message.get("From", "") or "")])
    for name, address in pairs:
        if "@" in address:
            return formataddr((name.strip(), address.strip()))
    return ""


def _date(message: Message) -> datetime | None:
    value = message.get("Date")
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(str(value))
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo is not None else None


def message_parse(raw: bytes, *, key: str, max_bytes: int = DEFAULT_MAX_BYTES) -> MailMessage:
    """Parse one raw RFC 5322 message; a message that cannot be parsed still comes back (with a note), so
    one malformed mail never blocks the mailbox."""
    try:
        return _parse(raw, key=key, max_bytes=max_bytes)
    except Exception:
        logger.warning("intake: cannot parse message %s", key, exc_info=True)
        return MailMessage(
            key=key,
            message_id=f"<sha256-{hashlib.sha256(raw).hexdigest()}@ioc.invalid>",
            sender="",
            subject="",
            body="",
            received_at=None,
            notes=("không đọc được thư / the message could not be parsed",),
        )


def _parse(raw: bytes, *, key: str, max_bytes: int) -> MailMessage:
    """Oversized mail keeps its headers only, with a note saying so."""
    notes: list[str] = []
    oversized = len(raw) > max_bytes
    if oversized:
        head, _sep, _rest = raw.partition(b"\r\n\r\n") if b"\r\n\r\n" in raw else raw.partition(b"\n\n")
        parsed = email.message_from_bytes(head + b"\r\n\r\n", policy=email.policy.default)
        notes.append(f"thư quá lớn ({len(raw)} byte), chỉ giữ tiêu đề / message too large, headers only")
    else:
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    subject = " ".join(str(parsed.get("Subject", "") or "").split())[:SUBJECT_MAX]
    return MailMessage(
        key=key,
        message_id=_message_id(parsed, raw),
        sender=_sender(parsed),
        subject=subject,
        body="" if oversized else _body(parsed),
        received_at=_date(parsed),
        attachments=() if oversized else _attachments(parsed),
        notes=tuple(notes),
    )


# --- sources ---------------------------------------------------------------------------------------------------


class MaildirSource:
    """A Maildir: messages in new/, and in cur/ without the Seen flag, are pending; done ones move to cur/ + S."""

    def __init__(self, path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.path = Path(path)
        self.label = f"maildir:{self.path.name}"
        self.max_bytes = max_bytes
        self.box = std_mailbox.Maildir(str(self.path), create=False)

    def _pending(self) -> Iterable[str]:
        for key in sorted(self.box.iterkeys()):
            message = self.box.get_message(key)
            if message.get_subdir() == "new" or "S" not in message.get_flags():
                yield key

    def fetch(self, *, limit: int) -> list[MailMessage]:
        found: list[MailMessage] = []
        for key in self._pending():
            if len(found) >= limit:
                break
            with self.box.get_file(key) as handle:
                raw = handle.read()
            found.append(message_parse(raw, key=key, max_bytes=self.max_bytes))
        return found

    def mark_done(self, keys: Sequence[str]) -> None:
        for key in keys:
            try:
                message = self.box.get_message(key)
            except KeyError:  # moved away by someone else meanwhile
                continue
            message.set_subdir("cur")
            message.add_flag("S")
            self.box[key] = message


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class ImapSource:
    """An IMAP folder: UNSEEN messages are pending (read with BODY.PEEK so nothing is flagged early); done ones
    get \\Seen, and move to `done_folder` when one is configured. Plain IMAP is allowed on loopback only."""

    def __init__(
        self,
        *,
        host: str,
        port: int,
        user: str,
        password: str,
        use_ssl: bool = True,
        folder: str = "INBOX",
        done_folder: str = "",
        max_bytes: int = DEFAULT_MAX_BYTES,
        timeout: float = 30.0,
    ) -> None:
        if not use_ssl and not _is_loopback(host):
            raise ImproperlyConfigured("REPORTS_IMAP_SSL=False is allowed only for a loopback REPORTS_IMAP_HOST")
        self.host, self.port, self.user, self.password = host, port, user, password
        self.use_ssl, self.folder, self.done_folder = use_ssl, folder, done_folder
        self.max_bytes, self.timeout = max_bytes, timeout
        self.label = f"imap:{user}@{host}:{port}/{folder}"

    def _connect(self) -> imaplib.IMAP4:
        client: imaplib.IMAP4
        if self.use_ssl:
            context = ssl.create_default_context()
            client = imaplib.IMAP4_SSL(self.host, self.port, ssl_context=context, timeout=self.timeout)
        else:
            client = imaplib.IMAP4(self.host, self.port, timeout=self.timeout)
        client.login(self.user, self.password)
        status, _data = client.select(_quote(self.folder))
        if status != "OK":
            client.logout()
            raise imaplib.IMAP4.error(f"cannot select {self.folder!r}")
        return client

    def fetch(self, *, limit: int) -> list[MailMessage]:
        client = self._connect()
        try:
            _status, data = client.uid("SEARCH", "UNSEEN")
            uids = [uid.decode() for uid in (data[0] or b"").split()][:limit]
            return [self._one(client, uid) for uid in uids]
        finally:
            _logout(client)

    def _one(self, client: imaplib.IMAP4, uid: str) -> MailMessage:
        _status, data = client.uid("FETCH", uid, "(BODY.PEEK[])")
        raw = b"".join(item[1] for item in data if isinstance(item, tuple))
        return message_parse(raw, key=uid, max_bytes=self.max_bytes)

    def mark_done(self, keys: Sequence[str]) -> None:
        if not keys:
            return
        client = self._connect()
        try:
            uid_set = ",".join(keys)
            client.uid("STORE", uid_set, "+FLAGS.SILENT", r"(\Seen)")
            if self.done_folder:
                status, _data = client.uid("COPY", uid_set, _quote(self.done_folder))
                if status == "OK":
                    client.uid("STORE", uid_set, "+FLAGS.SILENT", r"(\Deleted)")
                    client.expunge()
        finally:
            _logout(client)


def _quote(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _logout(client: imaplib.IMAP4) -> None:
    with contextlib.suppress(imaplib.IMAP4.error, OSError):
        client.logout()


def source_from_settings() -> MailSource | None:
    """The configured mailbox: IMAP when REPORTS_IMAP_HOST is set, else REPORTS_MAILDIR, else None."""
    max_bytes = int(getattr(settings, "REPORTS_MAIL_MAX_BYTES", DEFAULT_MAX_BYTES))
    host = str(getattr(settings, "REPORTS_IMAP_HOST", "") or "")
    if host:
        use_ssl = bool(getattr(settings, "REPORTS_IMAP_SSL", True))
        return ImapSource(
            host=host,
            port=int(getattr(settings, "REPORTS_IMAP_PORT", 0) or (993 if use_ssl else 143)),
            user=str(getattr(settings, "REPORTS_IMAP_USER", "")),
            password=str(getattr(settings, "REPORTS_IMAP_PASSWORD", "")),
            use_ssl=use_ssl,
            folder=str(getattr(settings, "REPORTS_IMAP_FOLDER", "") or "INBOX"),
            done_folder=str(getattr(settings, "REPORTS_IMAP_DONE_FOLDER", "") or ""),
            max_bytes=max_bytes,
        )
    path = str(getattr(settings, "REPORTS_MAILDIR", "") or "")
    if path:
        return MaildirSource(path, max_bytes=max_bytes)
    return None


def batch_size() -> int:
    return int(getattr(settings, "REPORTS_MAIL_BATCH", DEFAULT_BATCH))
