"""Checks on the scan of an account request (R7.2): PDF, PNG or JPEG by content, under 10 MB."""

from __future__ import annotations

from typing import IO, Any

from django.utils.translation import gettext as _

SCAN_MAX_BYTES = 10 * 1024 * 1024
# Magic numbers: the content decides, never the file name or the browser's content type.
_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)


def scan_content_type(head: bytes) -> str | None:
    """The content type a file's first bytes prove, or None."""
    for signature, content_type in _SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def _head(file: IO[Any] | Any, length: int = 16) -> bytes:
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(length)
    file.seek(position)
    return head if isinstance(head, bytes) else bytes(head, "latin-1")


def scan_errors(scan: Any) -> list[str]:
    """Reasons a scan is refused (empty when it is acceptable)."""
    size = getattr(scan, "size", None)
    if size is None or size <= 0:
        return [_("Tệp bản quét rỗng / The scan is empty")]
    if size > SCAN_MAX_BYTES:
        return [_("Tệp bản quét vượt quá 10 MB / The scan is larger than 10 MB")]
    if scan_content_type(_head(scan)) is None:
        return [_("Bản quét phải là tệp PDF, PNG hoặc JPEG / The scan must be a PDF, PNG or JPEG file")]
    return []
