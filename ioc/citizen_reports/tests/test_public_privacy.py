"""R3.4, R7.5: no reporter contact or name in any public page or public JSON; contacts typed into descriptions,
notes and results are masked. The canaries (`@canary.invalid`, `0900000…`, tests/canaries.py) are hunted in every
response; every PUBLIC pattern of the registry is walked by ioc/web/tests/test_canary_crawl.py."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase
from django.utils import timezone

from ioc.citizen_reports import services
from ioc.citizen_reports.models import ReportPhoto
from ioc.citizen_reports.tests.canaries import canary_leaks
from ioc.citizen_reports.tests.test_public_support import CANARY_EMAIL, CANARY_PHONE, PublicPagesMixin
from ioc.scenarios import services as warning_services


class PublicPrivacyTest(PublicPagesMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        typed = f"Liên hệ tôi {CANARY_PHONE} hoặc {CANARY_EMAIL}, số nhà 12."
        cls.named = cls.receive(description=typed, anonymous_to_public=False)
        cls.published = cls.publish(cls.named.report, result=f"Đã gọi lại {CANARY_PHONE} để xác nhận.")
        cls.anonymous = cls.receive(description=f"Ẩn danh {CANARY_PHONE}")
        cls.pending = cls.receive(description="Đang chờ, gọi 090 000 0456 nhé").report
        now = timezone.now()
        draft = warning_services.WarningDraft(
            event="Ngập lụt",
            category="Met",
            urgency="Expected",
            certainty="Likely",
            severity=3,
            headline_vi="Cảnh báo ngập",
            description_vi="Nước dâng.",
            instruction_vi="Tránh vùng trũng.",
            area_desc="Ven sông",
            onset=now,
            expires=now + dt.timedelta(hours=6),
            unit_codes=[cls.published.unit.code] if cls.published.unit else [],
        )
        cls.warning = warning_services.warning_publish(actor=cls.operator, draft=draft)

    def public_urls(self):
        code = self.published.tracking_code
        urls = [
            "/",  # the public portal: the latest published reports
            "/cong-dan/",
            "/phan-anh/gui/",
            "/phan-anh/tra-cuu/",
            f"/phan-anh/tra-cuu/{code}/",
            f"/phan-anh/tra-cuu/{code}/?t={self.named.private_token}",
            f"/phan-anh/tra-cuu/{self.pending.tracking_code}/",
            f"/phan-anh/tra-cuu/{self.anonymous.report.tracking_code}/",
            f"/phan-anh/gui/da-nhan/{code}/",
            "/phan-anh/cong-khai/",
            f"/phan-anh/cong-khai/?category={self.category.code}",
            "/phan-anh/ban-do/",
            "/phan-anh/ban-do/du-lieu.geojson",
            # Public warnings (issue 15): the list, one warning, its CAP document, the Atom index.
            "/canh-bao-cong-dong/",
            f"/canh-bao-cong-dong/{self.warning.identifier}/",
            f"/canh-bao-cong-dong/{self.warning.identifier}/cap.xml",
            "/canh-bao-cong-dong/atom.xml",
            # the digital map's public page and layers (issue 20 part 6)
            "/ban-do/cong-khai/",
            "/api/v1/maps/public/layers/citizen_reports/?bbox=102,8,110,24&zoom=10",
            "/api/v1/maps/public/layers/sensors/?bbox=102,8,110,24&zoom=10",
        ]
        return urls

    def test_it_shows_no_canary_in_any_public_page_or_json(self):
        for url in self.public_urls():
            response = self.client.get(url)
            self.assertIn(response.status_code, (200, 302), url)
            self.assertEqual(canary_leaks(response.content), [], url)

    def test_it_masks_a_phone_typed_into_the_description_and_result(self):
        page = self.client.get(f"/phan-anh/tra-cuu/{self.published.tracking_code}/").content.decode()
        self.assertIn("09******23", page)  # 0900000123: first two and last two digits kept
        self.assertIn("n***@***", page)
        listing = self.client.get("/phan-anh/cong-khai/").content.decode()
        self.assertIn("Liên hệ tôi 09******23", listing)
        self.assertIn("Đã gọi lại 09******23", listing)

    def test_it_never_serves_a_photo_of_a_report_that_is_not_published(self):
        photo = ReportPhoto.objects.filter(report=self.pending).first()
        services.photo_set_public(photo=photo, actor=self.operator, is_public=True)
        self.assertEqual(self.client.get(f"/phan-anh/anh/{photo.pk}/").status_code, 404)
