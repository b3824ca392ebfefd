"""Issue 16 part 5, R3.2, R7.4: hostile photos through the citizens' form (/phan-anh/gui/), which cleans them with
`ioc.common.images` (unit corpus: ioc/common/tests/test_images.py; the officer's evidence:
ioc/assignments/tests/test_bad_evidence_uploads.py). Each file is a 400 naming the reason (Vietnamese first) and
nothing is written: no report, no photo, no file in the default storage."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from ioc.citizen_reports.models import Report, ReportPhoto
from ioc.citizen_reports.tests.test_public_support import PublicPagesMixin, jpeg_bytes
from ioc.common.tests.hostile_files import TempMedia, corpus, media_files


class PublicFormBadPhotoTest(TempMedia, PublicPagesMixin, TestCase):
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
