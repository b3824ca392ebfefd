"""Issue 16 part 5, R4.5: hostile photos on an incident's timeline (the "Ghi chú, ảnh" action): each a 400 naming
the file and the reason, no timeline line, no file stored (corpus: ioc/common/tests/hostile_files.py, shared with
the citizens' photos and the officers' evidence)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from ioc.common.tests.hostile_files import TempMedia, corpus, jpeg_bytes, media_files
from ioc.incidents.models import IncidentEvent
from ioc.incidents.tests.support import IncidentsMixin


class TimelineBadPhotoTest(TempMedia, IncidentsMixin, TestCase):
    def test_each_hostile_photo_is_a_400_naming_it_and_writes_nothing(self) -> None:
        incident, _parts = self.forwarded([self.agency_a])
        url = reverse("incidents:incident_action", kwargs={"pk": incident.pk, "action": "note"})
        self.sign_in(self.client, self.officer_a)
        for name, content, content_type, reason in corpus():
            with self.subTest(name=name[:40], reason=reason):
                before = (IncidentEvent.objects.filter(kind="note").count(), media_files(self.media.name))
                upload = SimpleUploadedFile(name, content, content_type)
                response = self.client.post(url, {"text": "Ảnh hiện trường", "photo": upload})
                self.assertContains(response, reason, status_code=400)
                self.assertEqual(
                    (IncidentEvent.objects.filter(kind="note").count(), media_files(self.media.name)), before
                )
        # The same form takes a real photo: the refusals above are the content's, not the form's.
        good = SimpleUploadedFile("anh.jpg", jpeg_bytes(320, 240), "image/jpeg")
        self.assertEqual(self.client.post(url, {"text": "Ảnh hiện trường", "photo": good}).status_code, 302)
        self.assertEqual(len(media_files(self.media.name)), 1)
