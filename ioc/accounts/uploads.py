"""Checks on the scan of an account request (R7.2): PDF, PNG or JPEG by content, under 10 MB, made safe to store.

The scan is downloaded and opened by the system administrator, so it is treated as hostile (issue 16 part 5):
- a PNG or JPEG is re-encoded from its pixels by `ioc.common.images.image_clean` (up to A4 at 300 dpi), which refuses
  polyglots, decompression bombs, corrupt images and a content that is not the format its name claims;
- a PDF is kept byte for byte, once it is whole (it ends with `%%EOF`, nothing glued after it) and carries no active
  content: no JavaScript, launch action, embedded file or rich media, looked for in the file and inside its
  Flate streams, with PDF's `#xx` name escapes decoded (`/J#61vaScript` is `/JavaScript`); an object stream under
  any other filter is refused as unreadable, a stream inflating past 64 MB as a bomb;
- the client's file name is never used: the stored file gets a random name with the content's extension.
"""

from __future__ import annotations

import re
import secrets
import zlib
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from ioc.common.images import image_clean

SCAN_MAX_BYTES = 10 * 1024 * 1024
# A4 at 300 dpi is 2,480 × 3,508 pixels: a scanned document keeps its legibility.
SCAN_MAX_SIDE = 3508
# Bounds on the PDF check: the decompressed streams (a "zip bomb" stream is refused, not inflated) and their count.
_PDF_INFLATE_MAX = 64 * 1024 * 1024
_PDF_STREAMS_MAX = 20_000
# Names whose object makes a reader run or open something on its own.
_PDF_ACTIVE = (b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile", b"/EmbeddedFiles", b"/RichMedia", b"/XFA")
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_ACTIVE_NAME = re.compile(rb"(?:" + b"|".join(re.escape(n) for n in _PDF_ACTIVE) + rb")(?![A-Za-z0-9])")
# "stream" not inside "endstream" (a match starting there would swallow the next real stream unread), then the end of
# line a lenient reader accepts (CR LF, LF or a lone CR).
_PDF_STREAM = re.compile(rb"(?<!end)stream(?:\r\n|\r|\n)(.*?)endstream", re.DOTALL)
_PDF_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[^\s/\[\]<>()]+)")
_PDF_DICTIONARY_WINDOW = 64 * 1024
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


def _read(file: IO[Any] | Any) -> bytes:
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    data = file.read(SCAN_MAX_BYTES + 1)
    file.seek(position)
    return data if isinstance(data, bytes) else bytes(data, "latin-1")


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def scan_clean(scan: Any) -> ContentFile[bytes]:
    """R7.2: the scan to store, under a random name; a `ValidationError` naming the reason when it is refused."""
    size = getattr(scan, "size", None)
    if size is None or size <= 0:
        raise _refuse(_("Tệp bản quét rỗng / The scan is empty"), "scan_empty")
    if size > SCAN_MAX_BYTES:
        raise _refuse(_("Tệp bản quét vượt quá 10 MB / The scan is larger than 10 MB"), "scan_too_large")
    data = _read(scan)
    content_type = scan_content_type(data[:16])
    if content_type is None:
        raise _refuse(
            _("Bản quét phải là tệp PDF, PNG hoặc JPEG / The scan must be a PDF, PNG or JPEG file"), "scan_type"
        )
    if content_type == "application/pdf":
        _check_pdf(data)
        return ContentFile(data, name=f"{secrets.token_hex(16)}.pdf")
    # The upload itself, so its name and declared type are checked against the content as for photos.
    return image_clean(scan, max_bytes=SCAN_MAX_BYTES, max_side=SCAN_MAX_SIDE).as_content_file()


def _check_pdf(data: bytes) -> None:
    if not data.rstrip(b"\r\n\t \x00").endswith(b"%%EOF"):
        raise _refuse(
            _(
                "Tệp PDF không trọn vẹn hoặc có dữ liệu lạ sau dấu kết thúc EOF / "
                "The PDF is truncated or has data after its EOF marker"
            ),
            "scan_pdf_end",
        )
    if _has_active_content(data):
        raise _refuse(
            _(
                "Tệp PDF chứa nội dung tự chạy (JavaScript, lệnh mở tệp, tệp đính kèm) / "
                "The PDF carries active content (JavaScript, a launch action, an embedded file)"
            ),
            "scan_pdf_active",
        )


def _has_active_content(data: bytes) -> bool:
    """Active names in the file or in any Flate-compressed stream (object streams hide dictionaries there)."""
    if _PDF_ACTIVE_NAME.search(_PDF_NAME_ESCAPE.sub(_unescape, data)):
        return True
    inflated = 0
    for count, match in enumerate(_PDF_STREAM.finditer(data)):
        if count >= _PDF_STREAMS_MAX:
            raise _refuse(_("Tệp PDF có quá nhiều luồng dữ liệu / The PDF has too many streams"), "scan_pdf_streams")
        dictionary = _dictionary_before(data, match.start())
        body, whole = _inflate(match.group(1), _PDF_INFLATE_MAX - inflated)
        if b"/ObjStm" in dictionary and not (whole and _only_flate(dictionary)):
            # An object stream this check cannot read whole (another filter, a filter chain, cut short) could
            # hide a dictionary: refused rather than passed unread.
            raise _refuse(
                _(
                    "Tệp PDF có luồng đối tượng không kiểm tra được / "
                    "The PDF has an object stream that cannot be checked"
                ),
                "scan_pdf_unreadable",
            )
        if body is None:
            continue  # not Flate (an image's DCT data, say): its bytes were searched above
        inflated += len(body)
        if _PDF_ACTIVE_NAME.search(_PDF_NAME_ESCAPE.sub(_unescape, body)):
            return True
    return False


def _only_flate(dictionary: bytes) -> bool:
    found = _PDF_FILTER.search(dictionary)
    return found is not None and found.group(1).strip(b"[] \r\n\t") == b"/FlateDecode"


def _dictionary_before(data: bytes, stream_at: int) -> bytes:
    """What precedes a stream since the previous stream or object ended (its object's dictionary, within 64 KB),
    with `#xx` name escapes decoded."""
    floor = max(0, stream_at - _PDF_DICTIONARY_WINDOW)
    start = max(data.rfind(b"endstream", floor, stream_at), data.rfind(b"endobj", floor, stream_at), floor)
    return _PDF_NAME_ESCAPE.sub(_unescape, data[start:stream_at])


def _unescape(match: re.Match[bytes]) -> bytes:
    return bytes([int(match.group(1), 16)])


def _inflate(body: bytes, budget: int) -> tuple[bytes | None, bool]:
    """A stream's inflated bytes (None when it is not zlib data) and whether the zlib data ended inside it; refused
    when it would exceed the budget."""
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(body, max(budget, 0) + 1)
    except zlib.error:
        return None, False
    if len(out) > budget or inflater.unconsumed_tail:
        raise _refuse(
            _("Tệp PDF có luồng nén quá lớn khi giải nén / The PDF has a stream too large when decompressed"),
            "scan_pdf_bomb",
        )
    return out, inflater.eof
