"""Issue 16 part 5, R3.2, R7.4: hostile photos through the two upload pages that take them — the citizens' form
(/phan-anh/gui/) and the officer's evidence (/xu-ly/<id>/ resolve) — both through `ioc.common.images`, whose
unit corpus is ioc/common/tests/test_images.py. Each file is a 400 naming the file and the reason (Vietnamese
first), and nothing is written: no report, photo, evidence, state change or file under MEDIA_ROOT.
"""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from django.urls import reverse
from PIL import Image

from ioc.assignments.choices import AssignmentStatus
from ioc.assignments.models import Assignment, Evidence
from ioc.assignments.tests.support import WorkCase
from ioc.citizen_reports.models import Report, ReportPhoto
from ioc.citizen_reports.tests.test_public_support import PublicPagesMixin, jpeg_bytes
from ioc.common.tests.test_images import png_declaring


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


class _TempMedia:
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


class PublicFormBadPhotoTest(_TempMedia, PublicPagesMixin, TestCase):
    def test_each_hostile_photo_is_a_400_naming_it_and_writes_nothing(self) -> None:
        for name, content, content_type, reason in corpus():
            with self.subTest(name=name[:40], reason=reason):
                before = (Report.objects.count(), ReportPhoto.objects.count(), media_files(self.media.name))
                photo = SimpleUploadedFile(name, content, content_type)
                response = self.client.post("/phan-anh/gui/", self.form_data(photos=[photo]))
                self.assertContains(response, reason, status_code=400)
                after = (Report.objects.count(), ReportPhoto.objects.count(), media_files(self.media.name))
                self.assertEqual(after, before)

    def test_a_good_photo_with_a_hostile_name_is_stored_under_a_random_name(self) -> None:
        for name in ("../../../etc/x.jpg", "anh\x00.php.jpg", "b" * 300 + ".jpg"):
            photo = SimpleUploadedFile(name, jpeg_bytes(320, 240), "image/jpeg")
            response = self.client.post("/phan-anh/gui/", self.form_data(photos=[photo]))
            self.assertEqual(response.status_code, 302, name[:40])
        stored = [p.name for p in media_files(self.media.name)]
        self.assertEqual(len(stored), 3)
        for file_name in stored:
            self.assertRegex(file_name, r"^[0-9a-f]{32}\.jpg$")


class EvidenceBadPhotoTest(_TempMedia, WorkCase):
    def test_each_hostile_evidence_is_a_400_naming_it_and_writes_nothing(self) -> None:
        work = self.forward()
        self.sign_in(self.client, self.officer_a)
        self.client.post(reverse("assignments:accept", args=[work.pk]))
        for name, content, content_type, reason in corpus():
            with self.subTest(name=name[:40], reason=reason):
                before = (Evidence.objects.count(), media_files(self.media.name))
                upload = SimpleUploadedFile(name, content, content_type)
                response = self.client.post(
                    reverse("assignments:resolve", args=[work.pk]), {"resolution": "Đã xong", "evidence": [upload]}
                )
                self.assertContains(response, reason, status_code=400)
                self.assertEqual((Evidence.objects.count(), media_files(self.media.name)), before)
                self.assertEqual(Assignment.objects.get(pk=work.pk).status, AssignmentStatus.ACCEPTED)
