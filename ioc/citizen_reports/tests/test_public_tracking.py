"""R3.4: citizens follow a report by its tracking code; the private link lets the reporter rate or reopen it."""

from __future__ import annotations

from django.test import TestCase

from ioc.citizen_reports import services
from ioc.citizen_reports.choices import ReportStatus
from ioc.citizen_reports.models import Report, ReportEvent
from ioc.citizen_reports.tests.test_public_support import CANARY_EMAIL, CANARY_PHONE, PublicPagesMixin


class TrackingLookupTest(PublicPagesMixin, TestCase):
    def test_it_shows_the_lookup_form(self):
        response = self.client.get("/phan-anh/tra-cuu/")
        self.assertEqual(response.status_code, 200)
        self.assertIn('name="code"', response.content.decode())

    def test_it_goes_to_the_reports_page_whatever_the_case_and_spaces(self):
        code = self.receive().report.tracking_code
        typed = f" {code[:5].lower()} {code[5:]} "
        response = self.client.get("/phan-anh/tra-cuu/", {"code": typed})
        self.assertRedirects(response, f"/phan-anh/tra-cuu/{code}/")

    def test_it_refuses_a_malformed_code(self):
        response = self.client.get("/phan-anh/tra-cuu/", {"code": "<script>"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("code", response.context["form"].errors)

    def test_it_answers_404_for_an_unknown_code(self):
        response = self.client.get("/phan-anh/tra-cuu/ZZZZZZZZZZ/")
        self.assertEqual(response.status_code, 404)


class TrackingPageTest(PublicPagesMixin, TestCase):
    def test_it_shows_status_and_timeline_without_personal_data(self):
        received = self.receive(description="Gọi tôi 0912 345 678 hoặc an.nguyen@example.vn nhé")
        code = received.report.tracking_code
        response = self.client.get(f"/phan-anh/tra-cuu/{code}/")
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn(code, html)
        self.assertIn("Đã tiếp nhận", html)  # the Vietnamese state label
        self.assertIn(self.category.name, html)
        for secret in (CANARY_EMAIL, CANARY_PHONE, "Nguyễn Văn Canary", "0912 345 678", "an.nguyen@example.vn"):
            self.assertNotIn(secret, html)
        self.assertIn("09** *** *78", html)
        self.assertEqual(response["Cache-Control"], "no-store")
        self.assertEqual(response["Referrer-Policy"], "no-referrer")
        self.assertNotIn("rating-form", html)

    def test_it_shows_agency_deadline_result_and_public_photos_once_published(self):
        received = self.receive()
        report = self.publish(received.report, result="Đã vá, liên hệ 0987 654 321 nếu cần.")
        response = self.client.get(f"/phan-anh/tra-cuu/{report.tracking_code}/")
        html = response.content.decode()
        self.assertIn("Đã công khai kết quả", html)
        self.assertIn(self.agency_a.name, html)
        self.assertIn("Đã vá", html)
        self.assertNotIn("0987 654 321", html)
        for photo in report.photos.filter(is_public=True):
            self.assertIn(f"/phan-anh/anh/{photo.pk}/", html)
        self.assertIn("Đã chuyển cơ quan xử lý", html)

    def test_it_points_a_duplicate_to_the_report_it_follows(self):
        original = self.receive().report
        duplicate = self.receive(description="Cùng ổ gà").report
        services.report_mark_duplicate(report=duplicate, original=original, actor=self.operator)
        html = self.client.get(f"/phan-anh/tra-cuu/{duplicate.tracking_code}/").content.decode()
        self.assertIn("Trùng phản ánh khác", html)
        self.assertIn(f"/phan-anh/tra-cuu/{original.tracking_code}/", html)

    def test_it_does_not_offer_rating_without_a_token(self):
        report = self.publish(self.receive().report)
        html = self.client.get(f"/phan-anh/tra-cuu/{report.tracking_code}/").content.decode()
        self.assertNotIn('id="rating-form"', html)
        self.assertNotIn('id="reopen-form"', html)

    def test_it_offers_rating_and_reopening_with_the_private_token(self):
        received = self.receive()
        report = self.publish(received.report)
        html = self.client.get(f"/phan-anh/tra-cuu/{report.tracking_code}/", {"t": received.private_token}).content
        self.assertIn(b'id="rating-form"', html)
        self.assertIn(b'id="reopen-form"', html)

    def test_it_says_plainly_that_a_wrong_token_is_not_valid(self):
        report = self.publish(self.receive().report)
        html = self.client.get(f"/phan-anh/tra-cuu/{report.tracking_code}/", {"t": "sai-token"}).content.decode()
        self.assertIn("data-token-error", html)
        self.assertNotIn('id="rating-form"', html)


class RatingAndReopeningTest(PublicPagesMixin, TestCase):
    def setUp(self):
        super().setUp()
        self.received = self.receive()
        self.report = self.publish(self.received.report)
        self.base = f"/phan-anh/tra-cuu/{self.report.tracking_code}/"

    def test_it_records_a_rating_with_the_private_token(self):
        response = self.client.post(
            self.base + "danh-gia/", {"t": self.received.private_token, "rating": "4", "comment": "Nhanh"}
        )
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(self.base + "?t="))
        self.report.refresh_from_db()
        self.assertEqual((self.report.rating, self.report.rating_comment), (4, "Nhanh"))
        page = self.client.get(response["Location"]).content.decode()
        self.assertIn("Cảm ơn bạn đã đánh giá", page)

    def test_it_refuses_a_rating_with_a_wrong_token_and_writes_nothing(self):
        events = ReportEvent.objects.filter(report=self.report).count()
        response = self.client.post(self.base + "danh-gia/", {"t": "khong-dung", "rating": "1", "comment": "x"})
        self.assertEqual(response.status_code, 403)
        self.assertIn("data-token-error", response.content.decode())
        self.report.refresh_from_db()
        self.assertIsNone(self.report.rating)
        self.assertEqual(ReportEvent.objects.filter(report=self.report).count(), events)

    def test_it_refuses_a_rating_out_of_range(self):
        response = self.client.post(self.base + "danh-gia/", {"t": self.received.private_token, "rating": "6"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("rating", response.context["rating_form"].errors)
        self.report.refresh_from_db()
        self.assertIsNone(self.report.rating)

    def test_it_refuses_a_rating_without_the_token_field(self):
        response = self.client.post(self.base + "danh-gia/", {"rating": "5"})
        self.assertEqual(response.status_code, 400)
        self.report.refresh_from_db()
        self.assertIsNone(self.report.rating)

    def test_it_reopens_with_the_private_token_and_a_reason(self):
        response = self.client.post(
            self.base + "mo-lai/", {"t": self.received.private_token, "reason": "Ổ gà lại xuất hiện"}
        )
        self.assertEqual(response.status_code, 302)
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, ReportStatus.IN_PROGRESS)
        self.assertEqual(self.report.reopen_count, 1)

    def test_it_refuses_to_reopen_with_a_wrong_token_and_writes_nothing(self):
        response = self.client.post(self.base + "mo-lai/", {"t": "khong-dung", "reason": "Chưa xong"})
        self.assertEqual(response.status_code, 403)
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, ReportStatus.PUBLISHED)
        self.assertEqual(self.report.reopen_count, 0)

    def test_it_refuses_to_reopen_without_a_reason(self):
        response = self.client.post(self.base + "mo-lai/", {"t": self.received.private_token, "reason": " "})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(Report.objects.get(pk=self.report.pk).status, ReportStatus.PUBLISHED)

    def test_it_refuses_a_token_of_another_report(self):
        other = self.receive()
        response = self.client.post(self.base + "danh-gia/", {"t": other.private_token, "rating": "5"})
        self.assertEqual(response.status_code, 403)
        self.report.refresh_from_db()
        self.assertIsNone(self.report.rating)

    def test_it_refuses_rating_before_publication(self):
        fresh = self.receive()
        url = f"/phan-anh/tra-cuu/{fresh.report.tracking_code}/danh-gia/"
        response = self.client.post(url, {"t": fresh.private_token, "rating": "5"})
        self.assertEqual(response.status_code, 400)
        fresh.report.refresh_from_db()
        self.assertIsNone(fresh.report.rating)
