"""Resolution with evidence: a photo when the handler requires it, stored privately under a random name (R3.3)."""

import hashlib

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage

from ioc.assignments import services
from ioc.assignments.choices import MAX_EVIDENCE_FILES, AssignmentStatus
from ioc.assignments.models import Evidence
from ioc.assignments.tests.support import WorkCase, photo


class EvidenceTest(WorkCase):
    def accepted(self, subject_id: str = "S-1"):
        work = self.forward(subject_id=subject_id)
        services.assignment_accept(assignment=work, actor=self.officer_a)
        return work

    def test_it_refuses_a_resolution_without_a_photo_when_the_handler_requires_one(self):
        self.handler.photo_required = True
        work = self.accepted()
        before = self.snapshot(work)
        with self.assertRaises(ValidationError) as caught:
            services.assignment_resolve(assignment=work, actor=self.officer_a, resolution="Đã vá ổ gà")
        self.assertIn("ảnh", caught.exception.message_dict["evidence"][0])
        self.assertEqual(self.snapshot(work), before)
        self.assertEqual(work.status, AssignmentStatus.ACCEPTED)

    def test_it_accepts_a_resolution_without_a_photo_when_the_handler_does_not_require_one(self):
        work = self.accepted()
        services.assignment_resolve(assignment=work, actor=self.officer_a, resolution="Đã vá ổ gà")
        self.assertEqual(work.status, AssignmentStatus.RESOLVED)

    def test_it_refuses_a_resolution_without_text(self):
        work = self.accepted()
        with self.assertRaises(ValidationError) as caught:
            services.assignment_resolve(assignment=work, actor=self.officer_a, resolution=" ", evidence=[photo()])
        self.assertIn("resolution", caught.exception.message_dict)
        self.assertFalse(Evidence.objects.exists())

    def test_it_stores_cleaned_photos_privately_under_random_names(self):
        self.handler.photo_required = True
        work = self.accepted()
        images = [photo("red"), photo("blue")]
        services.assignment_resolve(assignment=work, actor=self.officer_a, resolution="Đã vá", evidence=images)
        rows = list(Evidence.objects.filter(assignment=work).order_by("pk"))
        self.assertEqual(len(rows), 2)
        names = {row.file.name for row in rows}
        self.assertEqual(len(names), 2)
        for row, image in zip(rows, images, strict=True):
            self.assertTrue(row.file.name.startswith("evidence/"))
            self.assertRegex(row.file.name.rsplit("/", 1)[-1], r"^[0-9a-f]{32}\.jpg$")
            self.assertEqual(row.update.kind, "resolve")
            self.assertEqual(
                (row.sha256, row.content_type, row.uploaded_by), (image.sha256, "image/jpeg", self.officer_a)
            )
            with default_storage.open(row.file.name, "rb") as stored:
                self.assertEqual(hashlib.sha256(stored.read()).hexdigest(), image.sha256)

    def test_it_refuses_too_many_photos(self):
        work = self.accepted()
        with self.assertRaises(ValidationError) as caught:
            services.assignment_resolve(
                assignment=work, actor=self.officer_a, resolution="x", evidence=[photo()] * (MAX_EVIDENCE_FILES + 1)
            )
        self.assertIn("evidence", caught.exception.message_dict)
        self.assertFalse(Evidence.objects.exists())

    def test_it_refuses_raw_bytes_that_were_not_cleaned(self):
        work = self.accepted()
        with self.assertRaises(TypeError):
            services.assignment_resolve(assignment=work, actor=self.officer_a, resolution="x", evidence=[b"\xff\xd8"])
        self.assertEqual(work.status, AssignmentStatus.ACCEPTED)
