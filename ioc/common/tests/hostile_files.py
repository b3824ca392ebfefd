"""Hostile uploads shared by the upload tests of issue 16 part 5 (citizen photos, officer evidence): a corpus
generated here, with the reason each must be refused for, and a temporary default storage to count files in."""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from pathlib import Path

from django.conf import settings
from django.test import override_settings
from PIL import Image

from ioc.common.tests.test_images import jpeg_bytes as _jpeg
from ioc.common.tests.test_images import png_declaring


def jpeg_bytes(width: int, height: int) -> bytes:
    return _jpeg(size=(width, height))


def _png(size: tuple[int, int] = (8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size).save(buffer, "PNG")
    return buffer.getvalue()


def _noisy_jpeg(width: int = 600, height: int = 400) -> bytes:
    """A photo that does not compress (random pixels): well over the 50 KB limit these tests set."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)).save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def _zip(name: str, text: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, text)
    return buffer.getvalue()


def corpus() -> list[tuple[str, bytes, str, str]]:
    """(file name, bytes, content type, the reason the page must name), generated here."""
    small = jpeg_bytes(320, 240)
    return [
        ("anh.jpg", b"<?php system($_GET['c']); ?>", "image/jpeg", "Not a JPEG, PNG, WebP or HEIC image"),
        ("anh.jpg", _png(), "image/jpeg", "does not match its declared format"),
        ("anh.jpg", small + _zip("shell.php", "<?php ?>"), "image/jpeg", "polyglot"),
        ("anh.png", _png() + b"<html><script>alert(1)</script></html>", "image/png", "polyglot"),
        ("bom.png", png_declaring(100_000, 100_000), "image/png", "too many pixels"),
        ("nua.jpg", small[: len(small) // 2], "image/jpeg", "corrupt"),
        ("lon.jpg", _noisy_jpeg(), "image/jpeg", "Image too large: at most 0.05 MB"),
        ("../../../etc/passwd.jpg", b"root:x:0:0:root:/root:/bin/bash\n", "image/jpeg", "Not a JPEG"),
        ("anh\x00.php.jpg", b"<?php ?>", "image/jpeg", "Not a JPEG"),
        ("a" * 300 + ".jpg", b"GIF89a" + b"\x00" * 32, "image/jpeg", "Not a JPEG"),
    ]


def media_files(root: str) -> list[Path]:
    return [p for p in Path(root).rglob("*") if p.is_file()]


class TempMedia:
    media: tempfile.TemporaryDirectory[str]
    media_override: override_settings

    @classmethod
    def setUpClass(cls) -> None:
        cls.media = tempfile.TemporaryDirectory()
        storage = {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": cls.media.name}}
        cls.media_override = override_settings(
            STORAGES={**settings.STORAGES, "default": storage},
            MEDIA_ROOT=cls.media.name,
            IOC_UPLOAD_MAX_BYTES=50 * 1024,
        )
        cls.media_override.enable()
        super().setUpClass()  # type: ignore[misc]

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()  # type: ignore[misc]
        cls.media_override.disable()
        cls.media.cleanup()
