"""Issue 16 part 5, R3.3, R7.4: hostile evidence photos at the officer's resolve action (/xu-ly/<id>/): each a
400 naming the file and the reason, no evidence, no file, no state change (corpus: ioc/common/tests/hostile_files.py;
the citizens' form: ioc/citizen_reports/tests/test_bad_photo_uploads.py)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ioc.assignments.choices import AssignmentStatus
from ioc.assignments.models import Assignment, Evidence
from ioc.assignments.tests.support import WorkCase
from ioc.common.tests.hostile_files import TempMedia, corpus, media_files


class EvidenceBadPhotoTest(TempMedia, WorkCase):
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
