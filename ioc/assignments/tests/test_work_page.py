"""A piece of work at /xu-ly/<id>/: timeline, accept, return, progress, resolve with photos, evidence (R3.3)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ioc.assignments.choices import AssignmentStatus
from ioc.assignments.models import Evidence
from ioc.assignments.tests.support import WorkCase, jpeg_bytes


class WorkPageTest(WorkCase):
    def setUp(self) -> None:
        super().setUp()
        self.work = self.forward()
        self.sign_in(self.client, self.officer_a)

    def url(self, name: str = "detail") -> str:
        return reverse(f"assignments:{name}", args=[self.work.pk])

    def status(self) -> str:
        self.work.refresh_from_db()
        return self.work.status

    def test_it_shows_the_work_with_its_timeline_and_actions(self):
        response = self.client.get(self.url())
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn("Ổ gà trên đường Nguyễn Văn Linh", html)
        self.assertIn("Kiểm tra và xử lý", html)
        self.assertIn('data-kind="forward"', html)
        self.assertIn(self.url("accept"), html)
        self.assertIn(self.url("return"), html)
        self.assertNotIn(self.url("resolve"), html)  # accept first

    def test_it_gives_agency_b_a_404_for_the_page_and_every_action(self):
        self.sign_in(self.client, self.officer_b)
        self.assertEqual(self.client.get(self.url()).status_code, 404)
        for name, data in (("accept", {}), ("return", {"reason": "x"}), ("progress", {"text": "x"})):
            self.assertEqual(self.client.post(self.url(name), data).status_code, 404)
        self.assertEqual(self.status(), AssignmentStatus.FORWARDED)

    def test_it_shows_the_ioc_the_work_without_agency_actions(self):
        self.sign_in(self.client, self.operator)
        response = self.client.get(self.url())
        self.assertEqual(response.status_code, 200)
        self.assertNotIn(self.url("accept"), response.content.decode())
        self.assertEqual(self.client.post(self.url("accept")).status_code, 403)
        self.assertEqual(self.status(), AssignmentStatus.FORWARDED)

    def test_it_accepts_and_records_progress(self):
        response = self.client.post(self.url("accept"))
        self.assertRedirects(response, self.url())
        self.assertEqual(self.status(), AssignmentStatus.ACCEPTED)
        response = self.client.post(self.url("progress"), {"text": "Đã cử đội khảo sát", "is_public": "on"})
        self.assertRedirects(response, self.url())
        self.assertEqual(self.status(), AssignmentStatus.IN_PROGRESS)
        self.assertIn("Đã cử đội khảo sát", self.client.get(self.url()).content.decode())

    def test_it_refuses_accepting_twice_with_a_message(self):
        self.client.post(self.url("accept"))
        response = self.client.post(self.url("accept"))
        self.assertEqual(response.status_code, 400)
        self.assertIn("Không thể chuyển", response.content.decode())

    def test_it_shows_vietnamese_errors_for_an_empty_reason_and_html(self):
        response = self.client.post(self.url("return"), {"reason": ""})
        self.assertEqual(response.status_code, 400)
        self.assertIn("Bắt buộc nhập nội dung", response.content.decode())
        response = self.client.post(self.url("return"), {"reason": "<img src=x onerror=alert(1)>"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("Không được chứa thẻ HTML", response.content.decode())
        self.assertEqual(self.status(), AssignmentStatus.FORWARDED)
        response = self.client.post(self.url("return"), {"reason": "Thuộc thẩm quyền UBND xã"})
        self.assertRedirects(response, self.url())
        self.assertEqual(self.status(), AssignmentStatus.RETURNED)

    def test_it_resolves_with_photos_and_serves_them_to_the_agency_only(self):
        self.handler.photo_required = True
        self.client.post(self.url("accept"))
        response = self.client.post(self.url("resolve"), {"resolution": "Đã vá xong"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("Cần ít nhất một ảnh minh chứng", response.content.decode())
        photos = [SimpleUploadedFile(f"../../etc/p{n}.jpg", jpeg_bytes(), "image/jpeg") for n in range(2)]
        response = self.client.post(self.url("resolve"), {"resolution": "Đã vá xong", "evidence": photos})
        self.assertRedirects(response, self.url())
        self.assertEqual(self.status(), AssignmentStatus.RESOLVED)
        evidence = Evidence.objects.filter(assignment=self.work).first()
        self.assertNotIn("etc", evidence.file.name)
        photo_url = reverse("assignments:evidence", args=[self.work.pk, evidence.pk])
        self.assertIn(photo_url, self.client.get(self.url()).content.decode())
        response = self.client.get(photo_url)
        self.assertEqual((response.status_code, response["Content-Type"]), (200, "image/jpeg"))
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(b"".join(response.streaming_content)[:2], b"\xff\xd8")
        self.sign_in(self.client, self.officer_b)
        self.assertEqual(self.client.get(photo_url).status_code, 404)

    def test_it_refuses_a_file_that_is_not_an_image(self):
        self.client.post(self.url("accept"))
        fake = SimpleUploadedFile("anh.jpg", b"<?php echo 1; ?>", "image/jpeg")
        response = self.client.post(self.url("resolve"), {"resolution": "Xong", "evidence": [fake]})
        self.assertEqual(response.status_code, 400)
        self.assertIn("anh.jpg: Tệp không phải ảnh", response.content.decode())
        self.assertEqual(self.status(), AssignmentStatus.ACCEPTED)
        self.assertFalse(Evidence.objects.exists())

    def test_it_escapes_text_on_the_page(self):
        self.work.subject_label = "<b>nhãn</b>"
        self.work.save(update_fields=["subject_label"])
        html = self.client.get(self.url()).content.decode()
        self.assertNotIn("<b>nhãn</b>", html)
        self.assertIn("&lt;b&gt;nhãn&lt;/b&gt;", html)
