"""R3.1: the citizens' phone form at /phan-anh/gui/ — the happy path and every kind of bad input it handles.

Decision (documented in forms.public.ReportForm): contact details are optional; when any is given, consent to
processing personal data is required (otherwise the form asks to tick it or clear the contact); sharing with the
handling agency is a separate optional consent.
"""

from __future__ import annotations

import io

import pillow_heif
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from django.urls import reverse
from PIL import Image

from ioc.citizen_reports.models import Report, ReporterContact, ReportPhoto
from ioc.citizen_reports.tests.test_public_support import (
    CANARY_EMAIL,
    CANARY_PHONE,
    COMMUNE_CODE,
    PublicPagesMixin,
    jpeg_upload,
    point_in,
)

URL = "/phan-anh/gui/"
pillow_heif.register_heif_opener()


class PublicFormPageTest(PublicPagesMixin, TestCase):
    def test_it_shows_the_phone_form_with_the_map_the_communes_and_active_categories(self):
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn('name="viewport"', html)
        self.assertIn("data-report-form", html)
        self.assertIn("/api/v1/geo/territory/boundaries/", html)
        self.assertIn("citizen_reports/report-form.js", html)
        self.assertNotIn("<script>", html)  # CSP: script-src 'self', no inline script
        self.assertIn(f'value="{COMMUNE_CODE}"', html)
        self.assertIn(f'value="{self.category.code}"', html)
        self.assertNotIn(f'value="{self.retired.code}"', html)
        self.assertIn('accept="image/*"', html)
        self.assertIn("multiple", html)

    def test_it_is_reachable_without_login_and_names_the_url(self):
        self.assertEqual(reverse("citizen_reports:public_report_create"), URL)


class PublicFormHappyPathTest(PublicPagesMixin, TestCase):
    def test_it_receives_a_report_with_a_photo_and_shows_the_tracking_code_and_private_link(self):
        data = self.form_data(
            name="Nguyễn Văn Canary",
            phone="0900 000 123",
            email=CANARY_EMAIL,
            consent_processing="on",
            consent_share_with_agency="on",
            photos=[jpeg_upload("IMG_0001.jpg")],
        )
        response = self.client.post(URL, data)
        self.assertEqual(response.status_code, 302, response.content.decode()[:2000])
        report = Report.objects.get()
        self.assertEqual(response["Location"], f"/phan-anh/gui/da-nhan/{report.tracking_code}/")
        self.assertEqual(report.channel, "web")
        self.assertEqual(report.unit.code, COMMUNE_CODE)
        self.assertFalse(report.needs_location)
        self.assertTrue(report.anonymous_to_public)
        self.assertEqual(report.address, "Trước cổng chợ")
        photo = ReportPhoto.objects.get(report=report)
        self.assertLessEqual(max(photo.width, photo.height), 1600)
        with photo.file.open("rb") as handle, Image.open(handle) as image:
            self.assertEqual(image.format, "JPEG")
            self.assertFalse(image.getexif())
        contact = ReporterContact.objects.get(report=report)
        self.assertTrue(contact.consent_processing and contact.consent_share_with_agency)
        self.assertNotIn(CANARY_PHONE, contact.phone_encrypted)
        self.assertNotIn("canary", contact.email_encrypted)

        receipt = self.client.get(response["Location"])
        self.assertEqual(receipt.status_code, 200)
        html = receipt.content.decode()
        self.assertIn(report.tracking_code, html)
        self.assertIn(f"/phan-anh/tra-cuu/{report.tracking_code}/?t=", html)
        self.assertEqual(receipt["Referrer-Policy"], "no-referrer")
        self.assertNotIn(CANARY_EMAIL, html)
        self.assertNotIn(CANARY_PHONE, html)

    def test_it_shows_no_private_link_on_another_browsers_receipt(self):
        self.client.post(URL, self.form_data())
        report = Report.objects.get()
        other = self.client_class().get(f"/phan-anh/gui/da-nhan/{report.tracking_code}/")
        self.assertEqual(other.status_code, 200)
        self.assertIn(report.tracking_code, other.content.decode())
        self.assertNotIn("?t=", other.content.decode())

    def test_it_accepts_a_heic_photo_the_browser_could_not_resize_and_re_encodes_it(self):
        buffer = io.BytesIO()
        Image.new("RGB", (3000, 2000), (200, 10, 10)).save(buffer, format="HEIF", quality=60)
        heic = SimpleUploadedFile("IMG_0002.HEIC", buffer.getvalue(), content_type="image/heic")
        response = self.client.post(URL, self.form_data(photos=[heic]))
        self.assertEqual(response.status_code, 302)
        photo = ReportPhoto.objects.get()
        self.assertEqual((photo.width, photo.height), (1600, 1067))
        self.assertTrue(photo.file.name.endswith(".jpg"))

    def test_it_answers_404_on_the_receipt_of_an_unknown_code(self):
        self.assertEqual(self.client.get("/phan-anh/gui/da-nhan/ZZZZZZZZZZ/").status_code, 404)

    def test_it_keeps_an_address_only_report_for_the_operator_to_place(self):
        response = self.client.post(URL, self.form_data(lat="", lon="", address="Thôn Đông, gần trạm bơm"))
        self.assertEqual(response.status_code, 302)
        report = Report.objects.get()
        self.assertTrue(report.needs_location)
        self.assertIsNone(report.unit)

    def test_it_keeps_the_chosen_commune_without_a_point(self):
        response = self.client.post(URL, self.form_data(lat="", lon="", unit=COMMUNE_CODE, address=""))
        self.assertEqual(response.status_code, 302)
        report = Report.objects.get()
        self.assertEqual(report.unit.code, COMMUNE_CODE)
        self.assertIsNone(report.lat)
        self.assertFalse(report.needs_location)

    def test_it_accepts_no_contact_at_all_without_consent(self):
        response = self.client.post(URL, self.form_data())
        self.assertEqual(response.status_code, 302)
        self.assertFalse(ReporterContact.objects.exists())


class PublicFormBadInputTest(PublicPagesMixin, TestCase):
    def assert_refused(self, data, field, fragment=""):
        response = self.client.post(URL, data)
        self.assertEqual(response.status_code, 400, f"{field}: expected a form error")
        errors = response.context["form"].errors
        self.assertIn(field, errors, errors)
        if fragment:
            self.assertIn(fragment, " ".join(errors[field]))
        self.assertIn(f'data-field-error="{field}"', response.content.decode())
        self.assertFalse(Report.objects.exists())
        self.assertFalse(ReportPhoto.objects.exists())
        return response

    def test_it_refuses_a_report_with_no_location_at_all(self):
        self.assert_refused(self.form_data(lat="", lon="", unit="", address=""), "lat", "vị trí")

    def test_it_refuses_a_point_outside_the_territory(self):
        lat, lon = point_in("00070")  # Phường Hoàn Kiếm, Hà Nội: loaded, not in the hung-yen territory
        self.assert_refused(self.form_data(lat=str(lat), lon=str(lon)), "lat", "ngoài địa bàn")

    def test_it_refuses_a_point_far_from_any_commune(self):
        self.assert_refused(self.form_data(lat="1.5", lon="100.0"), "lat")

    def test_it_refuses_half_a_point(self):
        self.assert_refused(self.form_data(lon=""), "lat")

    def test_it_refuses_coordinates_out_of_range(self):
        self.assert_refused(self.form_data(lat="95", lon="106"), "lat")

    def test_it_refuses_a_commune_outside_the_territory(self):
        self.assert_refused(self.form_data(lat="", lon="", unit="00070"), "unit")

    def test_it_refuses_an_unknown_category(self):
        self.assert_refused(self.form_data(category="khong-co"), "category", "Lĩnh vực")

    def test_it_refuses_a_retired_category(self):
        self.assert_refused(self.form_data(category=self.retired.code), "category")

    def test_it_refuses_a_missing_description(self):
        self.assert_refused(self.form_data(description="   "), "description")

    def test_it_refuses_a_description_of_4001_characters(self):
        self.assert_refused(self.form_data(description="a" * 4001), "description", "4000")

    def test_it_accepts_a_description_of_exactly_4000_characters(self):
        response = self.client.post(URL, self.form_data(description="a" * 4000))
        self.assertEqual(response.status_code, 302)

    def test_it_refuses_html_in_the_description(self):
        self.assert_refused(self.form_data(description='Xem <script>alert("x")</script>'), "description", "HTML")

    def test_it_refuses_an_unclosed_tag_and_accepts_comparisons(self):
        # Issue 8: the one rule of ioc.common.plaintext, as in the services and in agency work.
        self.assert_refused(self.form_data(description="Ổ gà <img src=x onerror=alert(1)"), "description", "HTML")
        response = self.client.post(URL, self.form_data(description="Mực nước a < b > c, ngập <30 cm"))
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Report.objects.get().description, "Mực nước a < b > c, ngập <30 cm")

    def test_it_refuses_html_in_the_address(self):
        self.assert_refused(self.form_data(address="<b>chợ</b>"), "address", "HTML")

    def test_it_refuses_six_photos(self):
        photos = [jpeg_upload(f"anh{i}.jpg", width=200, height=150) for i in range(6)]
        self.assert_refused(self.form_data(photos=photos), "photos", "5")

    def test_it_refuses_a_text_file_named_jpg(self):
        fake = SimpleUploadedFile("anh.jpg", b"day khong phai la anh\n" * 20, content_type="image/jpeg")
        self.assert_refused(self.form_data(photos=[fake]), "photos", "anh.jpg")

    def test_it_refuses_a_jpeg_with_a_zip_glued_after_it(self):
        polyglot = jpeg_upload().read() + b"PK\x03\x04" + b"\x00" * 64
        upload = SimpleUploadedFile("anh.jpg", polyglot, content_type="image/jpeg")
        self.assert_refused(self.form_data(photos=[upload]), "photos")

    def test_it_refuses_a_contact_without_consent_to_processing(self):
        self.assert_refused(self.form_data(phone=CANARY_PHONE), "consent_processing", "đồng ý")

    def test_it_refuses_an_invalid_phone_number(self):
        self.assert_refused(self.form_data(phone="12345", consent_processing="on"), "phone")

    def test_it_refuses_an_invalid_email(self):
        self.assert_refused(self.form_data(email="khong-phai-thu", consent_processing="on"), "email")

    def test_it_refuses_html_in_the_name(self):
        self.assert_refused(self.form_data(name="<i>An</i>", consent_processing="on"), "name")

    def test_it_refuses_another_http_method(self):
        response = self.client.put(URL)
        self.assertEqual(response.status_code, 405)


class PublicFormRateLimitTest(PublicPagesMixin, TestCase):
    @override_settings(RATE_LIMITS={"public.report.addr": (2, 600)})
    def test_it_limits_submissions_per_address_in_the_shared_cache(self):
        for _i in range(2):
            self.assertEqual(self.client.post(URL, self.form_data()).status_code, 302)
        response = self.client.post(URL, self.form_data())
        self.assertEqual(response.status_code, 429)
        self.assertGreaterEqual(int(response["Retry-After"]), 1)
        self.assertIn("Quá nhiều yêu cầu", response.content.decode())
        self.assertEqual(Report.objects.count(), 2)
        # Another address is not affected.
        other = self.client.post(URL, self.form_data(), REMOTE_ADDR="203.0.113.9")
        self.assertEqual(other.status_code, 302)
