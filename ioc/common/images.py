"""Uploaded photos, made safe (R3.1, R7.5; issue 3 "Bad input").

`image_clean()` accepts JPEG, PNG, WebP and HEIC/HEIF, refuses anything else with a clear
`ValidationError` (Vietnamese first, English second, a `code`), and returns a `CleanImage`: the photo
re-encoded from its pixels (JPEG quality 85, or PNG when it has transparency), turned upright, converted
to sRGB, at most `max_side` pixels on its long side and with no metadata at all (EXIF, GPS, XMP, ICC,
comments). What is refused, and why:

- empty files and files over `max_bytes` (settings.IOC_UPLOAD_MAX_BYTES, 10 MB by default), before decoding;
- content that is not one of the four formats (sniffed from the bytes, never from the name);
- content that is not the format its name or declared content type claims ("photo.png" holding a JPEG);
- decompression bombs: more than `max_pixels` (settings.IOC_UPLOAD_MAX_PIXELS, 40 MP by default), or
  Pillow's own DecompressionBombWarning/Error;
- polyglots: bytes after the image's end (JPEG EOI, PNG IEND, the RIFF size of WebP, the last HEIF box),
  e.g. a ZIP archive glued to a JPEG;
- files Pillow cannot verify and fully decode (truncated, corrupt).

The client's file name is never used for storage: `CleanImage.random_name()` gives a random one.
"""

from __future__ import annotations

import hashlib
import io
import math
import secrets
import warnings
from dataclasses import dataclass
from typing import IO, Any

import pillow_heif
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageCms, ImageOps

pillow_heif.register_heif_opener()

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_PIXELS = 40_000_000
JPEG_QUALITY = 85

# Sniffed family -> the Pillow format names allowed to decode it.
_PIL_FORMATS = {"jpeg": ("JPEG", "MPO"), "png": ("PNG",), "webp": ("WEBP",), "heif": ("HEIF",)}
_EXTENSIONS = {
    "jpg": "jpeg",
    "jpeg": "jpeg",
    "jpe": "jpeg",
    "jfif": "jpeg",
    "png": "png",
    "webp": "webp",
    "heic": "heif",
    "heif": "heif",
    "hif": "heif",
}
_CONTENT_TYPES = {
    "image/jpeg": "jpeg",
    "image/jpg": "jpeg",
    "image/pjpeg": "jpeg",
    "image/png": "png",
    "image/webp": "webp",
    "image/heic": "heif",
    "image/heif": "heif",
    "image/heic-sequence": "heif",
    "image/heif-sequence": "heif",
}
_HEIF_BRANDS = frozenset({b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1"})
_AVIF_BRANDS = frozenset({b"avif", b"avis"})
# Other image types a client may declare: declaring one of them for JPEG/PNG/WebP/HEIC content is a mismatch.
_OTHER_IMAGE_TYPES = frozenset(
    {"image/gif", "image/bmp", "image/tiff", "image/svg+xml", "image/avif", "image/x-icon", "image/vnd.microsoft.icon"}
)
_MPO_MAX_FRAMES = 8


@dataclass(frozen=True)
class CleanImage:
    """A re-encoded, metadata-free photo ready to store (never under the client's file name)."""

    content: bytes
    content_type: str
    extension: str
    width: int
    height: int
    sha256: str

    def random_name(self) -> str:
        """A random storage name with the right extension (the upload's name is never used)."""
        return f"{secrets.token_hex(16)}.{self.extension}"

    def as_content_file(self) -> ContentFile[bytes]:
        """The bytes as a Django file under a random name, for `FileField.save()` or a model field."""
        return ContentFile(self.content, name=self.random_name())


def _refuse(message: Any, code: str, **params: Any) -> ValidationError:
    return ValidationError(message, code=code, params=params or None)


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def image_clean(
    upload: UploadedFile[bytes] | bytes,
    *,
    filename: str = "",
    max_bytes: int | None = None,
    max_side: int = 1600,
    max_pixels: int | None = None,
) -> CleanImage:
    """R3.1: validate an uploaded photo and re-encode it (see the module docstring for every refusal)."""
    limit = max_bytes if max_bytes is not None else _setting("IOC_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)
    pixels = max_pixels if max_pixels is not None else _setting("IOC_UPLOAD_MAX_PIXELS", DEFAULT_MAX_PIXELS)
    claimed_type = ""
    if isinstance(upload, bytes | bytearray):
        data = bytes(upload)
    else:
        filename = filename or (upload.name or "")
        claimed_type = (getattr(upload, "content_type", "") or "").split(";")[0].strip().lower()
        data = _read_limited(upload, limit)
    if not data:
        raise _refuse(_("Tệp ảnh rỗng / The image file is empty"), "image_empty")
    if len(data) > limit:
        raise _too_large(limit)
    family = sniff_format(data)
    if family is None:
        raise _refuse(
            _("Tệp không phải ảnh JPEG, PNG, WebP hoặc HEIC / Not a JPEG, PNG, WebP or HEIC image"), "image_not_image"
        )
    _check_claims(family, filename, claimed_type)
    end = image_end(family, data)
    if end is None:
        raise _corrupt()
    image = _decode(data, family, pixels, max_side)
    if data[end:].strip(b"\x00") and not (family == "jpeg" and _mpo_trailer_ok(data, end)):
        raise _refuse(
            _("Ảnh có dữ liệu lạ sau phần ảnh (tệp ghép) / Unexpected data after the image (polyglot file)"),
            "image_trailing_data",
        )
    return _encode(image)


def _read_limited(upload: UploadedFile[bytes], limit: int) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise _too_large(limit)
    upload.seek(0)
    stream: IO[bytes] = upload  # type: ignore[assignment]
    data = stream.read(limit + 1)
    return data if isinstance(data, bytes) else bytes(data)


def _too_large(limit: int) -> ValidationError:
    value = limit / (1024 * 1024)
    return _refuse(
        _("Ảnh quá lớn: tối đa %(mb)s MB / Image too large: at most %(mb)s MB"),
        "image_too_large",
        mb=f"{value:g}" if value >= 1 else f"{value:.2f}",
    )


def _corrupt() -> ValidationError:
    return _refuse(_("Ảnh bị hỏng hoặc không đọc được / The image is corrupt or unreadable"), "image_corrupt")


def sniff_format(data: bytes) -> str | None:
    """The image family from the first bytes ("jpeg", "png", "webp", "heif"), or None."""
    if data[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[4:8] == b"ftyp":
        size = int.from_bytes(data[:4], "big")
        major = data[8:12]
        brands = {major} | {data[i : i + 4] for i in range(16, min(size, len(data), 64), 4)}
        if major not in _AVIF_BRANDS and brands & _HEIF_BRANDS:
            return "heif"
    return None


def _check_claims(family: str, filename: str, content_type: str) -> None:
    """Refuse content whose name or declared type claims another image format."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    extension = base.rsplit(".", 1)[-1].lower() if "." in base else ""
    claims = []
    if extension in _EXTENSIONS:
        claims.append(_EXTENSIONS[extension])
    if content_type in _CONTENT_TYPES:
        claims.append(_CONTENT_TYPES[content_type])
    elif content_type in _OTHER_IMAGE_TYPES:
        claims.append(content_type)
    if any(claim != family for claim in claims):
        raise _refuse(
            _("Nội dung tệp không khớp định dạng đã khai báo / The file content does not match its declared format"),
            "image_format_mismatch",
        )


def image_end(family: str, data: bytes) -> int | None:
    """Offset just past the image's last byte by the format's own structure; None when malformed."""
    try:
        if family == "jpeg":
            return _jpeg_end(data)
        if family == "png":
            return _png_end(data)
        if family == "webp":
            size = int.from_bytes(data[4:8], "little")
            end = 8 + size + (size & 1)
            return end if len(data) >= 8 + size else None
        return _isobmff_end(data)
    except (IndexError, ValueError):
        return None


def _jpeg_end(data: bytes) -> int | None:
    """Walk the JPEG markers (and entropy-coded scans) to the EOI marker."""
    pos = 2
    length = len(data)
    while pos < length:
        if data[pos] != 0xFF:
            return None
        while pos < length and data[pos] == 0xFF:  # fill bytes
            pos += 1
        if pos >= length:
            return None
        marker = data[pos]
        pos += 1
        if marker == 0xD9:
            return pos
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            continue
        seg = int.from_bytes(data[pos : pos + 2], "big")
        if seg < 2 or pos + seg > length:
            return None
        pos += seg
        if marker == 0xDA:
            pos = _scan_end(data, pos)
    return None


def _scan_end(data: bytes, pos: int) -> int:
    """The offset of the next real marker after entropy-coded data (skips FF00 stuffing and RSTn)."""
    while True:
        pos = data.find(b"\xff", pos)
        if pos < 0 or pos + 1 >= len(data):
            return len(data) + 1
        following = data[pos + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
            pos += 1 if following == 0xFF else 2
            continue
        return pos


def _png_end(data: bytes) -> int | None:
    pos = 8
    while pos + 12 <= len(data):
        size = int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8]
        pos += 12 + size
        if kind == b"IEND":
            return pos if pos <= len(data) else None
    return None


def _isobmff_end(data: bytes) -> int | None:
    """Walk the top-level boxes of a HEIF file; a box running past the end or a non-ASCII type fails."""
    pos = 0
    length = len(data)
    while pos < length:
        if pos + 8 > length:
            return None
        size = int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8]
        if not all(0x20 <= b < 0x7F for b in kind):
            return None
        if size == 1:
            size = int.from_bytes(data[pos + 8 : pos + 16], "big")
        elif size == 0:
            size = length - pos
        if size < 8 or pos + size > length:
            return None
        pos += size
    return pos


def _mpo_trailer_ok(data: bytes, end: int) -> bool:
    """A multi-picture JPEG (MPO: gain maps, depth maps) may carry more JPEGs after the first EOI, but
    only those its MP index declares, each a whole JPEG; anything else after the image is a polyglot."""
    try:
        with Image.open(io.BytesIO(data), formats=("JPEG", "MPO")) as probe:
            if probe.format != "MPO":
                return False
            entries = list(getattr(probe, "mpinfo", {}).get(0xB002, []))
    except Exception:  # any doubt is a refusal by the caller
        return False
    header = data.find(b"MPF\x00", 0, end)
    if header < 0 or not 1 < len(entries) <= _MPO_MAX_FRAMES:
        return False
    base = header + 4
    pos = end
    for entry in sorted(entries[1:], key=lambda e: int(e["DataOffset"])):
        start, size = int(entry["DataOffset"]) + base, int(entry["Size"])
        if start < pos or data[pos:start].strip(b"\x00") or data[start : start + 3] != b"\xff\xd8\xff":
            return False
        if _jpeg_end(data[start : start + size]) != size:
            return False
        pos = start + size
    return not data[pos:].strip(b"\x00")


def _decode(data: bytes, family: str, max_pixels: int, max_side: int) -> Image.Image:
    """verify(), then reopen and fully decode, turn upright, convert to sRGB RGB/RGBA, downsize.
    Bombs and every decoder failure become refusals (never a 500)."""
    formats = _PIL_FORMATS[family]
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=formats) as probe:
                _check_pixels(probe.size, max_pixels)
                probe.verify()
            image: Image.Image = Image.open(io.BytesIO(data), formats=formats)
            _check_pixels(image.size, max_pixels)
            if family == "jpeg":  # decode at the smallest DCT scale still at least the target size
                ratio = max_side / max(image.size)
                if ratio < 1:
                    image.draft("RGB", (math.ceil(image.width * ratio), math.ceil(image.height * ratio)))
            image.load()
            ImageOps.exif_transpose(image, in_place=True)
            alpha = _has_alpha(image)
            image = _to_srgb(image)
            if image.mode.startswith("I;16") or image.mode in ("I", "F"):
                image = image.point(lambda value: value / 256).convert("L")
            if image.mode != ("RGBA" if alpha else "RGB"):
                image = image.convert("RGBA" if alpha else "RGB")
            image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
        except ValidationError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _bomb(max_pixels) from None
        except Exception:  # Pillow and libheif raise many types on crafted input; all are a refusal
            raise _corrupt() from None
    return image


def _check_pixels(size: tuple[int, int], max_pixels: int) -> None:
    width, height = size
    if width <= 0 or height <= 0:
        raise _corrupt()
    if width * height > max_pixels:
        raise _bomb(max_pixels)


def _bomb(max_pixels: int) -> ValidationError:
    return _refuse(
        _("Ảnh quá nhiều điểm ảnh: tối đa %(mp)s triệu / Image has too many pixels: at most %(mp)s megapixels"),
        "image_too_many_pixels",
        mp=f"{max_pixels / 1_000_000:g}",
    )


def _has_alpha(image: Image.Image) -> bool:
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        return True
    return image.mode == "P" and "transparency" in image.info


def _to_srgb(image: Image.Image) -> Image.Image:
    """Convert an image carrying an ICC profile to sRGB (the profile itself is never written out)."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        target = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
        out_mode = "RGBA" if image.mode == "RGBA" else "RGB"
        converted = ImageCms.profileToProfile(image, source, target, outputMode=out_mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image
    return converted if converted is not None else image


def _encode(image: Image.Image) -> CleanImage:
    """Re-encode from pixels only (no EXIF, XMP, ICC, text chunks): JPEG q85, or PNG with transparency."""
    image.info = {}
    buffer = io.BytesIO()
    if image.mode == "RGBA":
        image.save(buffer, format="PNG")
        content_type, extension = "image/png", "png"
    else:
        image.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True)
        content_type, extension = "image/jpeg", "jpg"
    content = buffer.getvalue()
    return CleanImage(
        content=content,
        content_type=content_type,
        extension=extension,
        width=image.width,
        height=image.height,
        sha256=hashlib.sha256(content).hexdigest(),
    )
