"""POST requests: a report through Open311 (api_key, location, attributes, media), and every refusal in the
spec's error format with nothing written."""

import datetime as dt

from django.test import TestCase
from django.utils import timezone

from ioc.accounts import services as account_services
from ioc.accounts.choices import RequestKind
from ioc.accounts.models import ApiToken
from ioc.accounts.testing import DOCUMENT, system_actor
from ioc.audit.models import AuditEntry
from ioc.citizen_reports import services
from ioc.citizen_reports.models import Report, ReporterContact, ReportPhoto
from ioc.citizen_reports.privacy import decrypt
from ioc.citizen_reports.tests.test_open311_support import (
    CANARY_EMAIL,
    CANARY_PHONE,
    DESCRIPTION,
    OUTSIDE_COMMUNE,
    Open311Mixin,
    errors_of,
    jpeg,
    parse_json,
    parse_xml,
    point_in,
    xml_requests,
)


class PostRequestTest(Open311Mixin, TestCase):
    def test_it_receives_a_report_and_answers_a_json_array_of_one(self):
        response = self.post_request("json", account_id="app-user-42")
        body = parse_json(response)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(body), 1)
        answer = body[0]
        self.assertEqual(set(answer), {"service_request_id", "service_notice", "account_id"})
        self.assertIsInstance(answer["service_request_id"], str)
        self.assertEqual(answer["account_id"], "app-user-42")
        report = Report.objects.get(tracking_code=answer["service_request_id"])
        self.assertIn(report.tracking_code, answer["service_notice"])
        self.assertEqual(report.channel, "open311")
        self.assertEqual(report.category, self.road)
        self.assertEqual(report.description, DESCRIPTION)
        self.assertEqual(report.source_system, self.system)
        self.assertEqual(report.created_by, self.system_user)
        self.assertEqual(report.unit.code, "11953")
        self.assertTrue(AuditEntry.objects.filter(action="report.receive", object_id=str(report.pk)).exists())
        self.assertIsNotNone(ApiToken.objects.get(user=self.system_user, label="persona").last_used_at)

    def test_it_answers_in_xml(self):
        response = self.post_request("xml")
        [answer] = xml_requests(parse_xml(response))
        self.assertEqual(set(answer), {"service_request_id", "service_notice", "account_id"})
        self.assertTrue(Report.objects.filter(tracking_code=answer["service_request_id"]).exists())
        self.assertIsNone(answer["account_id"])

    def test_it_keeps_the_contact_encrypted_with_consent(self):
        code = self.created_code(self.post_request(**{"attribute[consent_share]": "true"}))
        contact = ReporterContact.objects.get(report__tracking_code=code)
        self.assertEqual(decrypt(contact.email_encrypted), CANARY_EMAIL)
        self.assertEqual(decrypt(contact.phone_encrypted), CANARY_PHONE)
        self.assertEqual(decrypt(contact.name_encrypted), "Thị Lan Canarysurname")
        self.assertNotIn(CANARY_EMAIL, contact.email_encrypted)
        self.assertTrue(contact.consent_processing)
        self.assertTrue(contact.consent_share_with_agency)

    def test_it_drops_the_contact_without_consent_to_processing(self):
        code = self.created_code(self.post_request(**{"attribute[consent_processing]": "false"}))
        self.assertFalse(ReporterContact.objects.filter(report__tracking_code=code).exists())

    def test_it_applies_the_anonymous_attribute(self):
        default = self.created_code(self.post_request())
        public = self.created_code(self.post_request(**{"attribute[anonymous]": "false"}))
        self.assertTrue(Report.objects.get(tracking_code=default).anonymous_to_public)
        self.assertFalse(Report.objects.get(tracking_code=public).anonymous_to_public)

    def test_it_accepts_an_address_only_report(self):
        code = self.created_code(self.post_request(lat=None, long=None, address_string="Số 5 phố Chợ, thôn Đông"))
        report = Report.objects.get(tracking_code=code)
        self.assertEqual(report.address, "Số 5 phố Chợ, thôn Đông")
        self.assertTrue(report.needs_location)

    def test_it_takes_address_id_as_a_commune_code(self):
        code = self.created_code(self.post_request(lat=None, long=None, address_id="11977"))
        report = Report.objects.get(tracking_code=code)
        self.assertEqual(report.unit.code, "11977")
        self.assertFalse(report.needs_location)

    def test_it_takes_the_api_key_from_the_query_string_too(self):
        data = self.fields()
        key = data.pop("api_key")
        response = self.client.post(f"/open311/v2/requests.json?api_key={key}", data)
        self.assertEqual(response.status_code, 200, response.content)


class PostMediaTest(Open311Mixin, TestCase):
    def test_it_stores_a_multipart_media_photo_reencoded_without_metadata(self):
        from PIL import Image

        exif = Image.Exif()
        exif[0x010F] = "CanaryCam"
        gps = exif.get_ifd(0x8825)
        gps[1], gps[2] = "N", (20.0, 39.0, 30.0)
        from django.core.files.uploadedfile import SimpleUploadedFile

        upload = SimpleUploadedFile("../../etc/passwd.jpg", jpeg(size=(3200, 2400), exif=exif), "image/jpeg")
        code = self.created_code(self.post_request(multipart=True, media=upload))
        [photo] = ReportPhoto.objects.filter(report__tracking_code=code)
        self.assertEqual((photo.width, photo.height), (1600, 1200))
        self.assertNotIn("passwd", photo.file.name)
        self.assertNotIn("..", photo.file.name)
        with photo.file.open("rb") as stored:
            content = stored.read()
        self.assertNotIn(b"CanaryCam", content)
        self.assertEqual(dict(Image.open(photo.file.path).getexif()), {})
        self.assertFalse(photo.is_public)

    def test_it_refuses_a_media_file_that_is_not_an_image(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        for fmt in ("json", "xml"):
            upload = SimpleUploadedFile("photo.jpg", b"#!/bin/sh\necho pwned\n", "image/jpeg")
            response = self.post_request(fmt, multipart=True, media=upload)
            self.assertEqual(response.status_code, 400)
            [(code, description)] = errors_of(response, fmt)
            self.assertEqual(code, 400)
            self.assertTrue(description.startswith("media: "), description)
            self.assertIn("Not a JPEG", description)
        self.assertFalse(Report.objects.exists())

    def test_it_refuses_a_polyglot_media_file(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        upload = SimpleUploadedFile("p.jpg", jpeg() + b"PK\x03\x04" + b"\x00" * 40, "image/jpeg")
        response = self.post_request(multipart=True, media=upload)
        self.assertEqual(response.status_code, 400)
        self.assertIn("polyglot", errors_of(response, "json")[0][1])

    def test_it_refuses_more_than_five_photos(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        uploads = [SimpleUploadedFile(f"{i}.jpg", jpeg(), "image/jpeg") for i in range(6)]
        response = self.post_request(multipart=True, media=uploads)
        self.assertEqual(response.status_code, 400)
        self.assertIn("media", errors_of(response, "json")[0][1])
        self.assertFalse(Report.objects.exists())


class PostKeyRefusalTest(Open311Mixin, TestCase):
    def token(self, *, scopes: list[str]) -> tuple[ApiToken, str]:
        request = account_services.account_request_record(
            kind=RequestKind.ISSUE_TOKEN,
            **DOCUMENT,
            approver=self.admin,
            requested_by=self.admin,
            subject=self.system_user,
        )
        return account_services.token_issue(
            account_request=request,
            actor=self.admin,
            user=self.system_user,
            scopes=scopes,
            expires_at=timezone.now() + dt.timedelta(days=30),
        )

    def assert_forbidden(self, fmt: str, **overrides) -> str:
        response = self.post_request(fmt, **overrides)
        self.assertEqual(response.status_code, 403, response.content)
        [(code, description)] = errors_of(response, fmt)
        self.assertEqual(code, 403)
        self.assertTrue(description.startswith("api_key: "), description)
        self.assertFalse(Report.objects.exists())
        return description

    def test_it_refuses_a_missing_key(self):
        for fmt in ("json", "xml"):
            self.assertIn("required", self.assert_forbidden(fmt, api_key=None))
            self.assertIn("required", self.assert_forbidden(fmt, api_key=""))

    def test_it_refuses_a_malformed_or_unknown_key(self):
        self.assertIn("Malformed", self.assert_forbidden("json", api_key="not-a-token"))
        prefix, _, secret = self.system_token.rpartition("_")
        self.assertIn("Invalid", self.assert_forbidden("xml", api_key=f"{prefix}_{'x' * len(secret)}"))

    def test_it_refuses_an_expired_key(self):
        token, value = self.token(scopes=["open311.submit"])
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
        self.assertIn("expired", self.assert_forbidden("json", api_key=value))

    def test_it_refuses_a_revoked_key(self):
        token, value = self.token(scopes=["open311.submit"])
        request = account_services.account_request_record(
            kind=RequestKind.REVOKE_TOKEN,
            **DOCUMENT,
            approver=self.admin,
            requested_by=self.admin,
            subject=self.system_user,
        )
        account_services.token_revoke(account_request=request, actor=self.admin, token=token)
        self.assertIn("revoked", self.assert_forbidden("xml", api_key=value))

    def test_it_refuses_a_key_without_the_open311_scope(self):
        _token, value = self.token(scopes=["sta.write"])
        self.assertIn("open311.submit", self.assert_forbidden("json", api_key=value))

    def test_it_accepts_a_fresh_key_with_the_scope(self):
        _token, value = self.token(scopes=["open311.submit"])
        self.assertEqual(self.post_request(api_key=value).status_code, 200)


class PostBadInputTest(Open311Mixin, TestCase):
    def assert_refused(self, status: int, argument: str, **overrides) -> str:
        written = (Report.objects.count(), AuditEntry.objects.count())
        for fmt in ("json", "xml"):
            response = self.post_request(fmt, **overrides)
            self.assertEqual(response.status_code, status, response.content.decode())
            errors = errors_of(response, fmt)
            self.assertTrue(errors)
            self.assertEqual({code for code, _ in errors}, {status})
            self.assertIn(argument, {d.split(":", 1)[0] for _, d in errors}, errors)
        self.assertEqual((Report.objects.count(), AuditEntry.objects.count()), written, "nothing half-written")
        return errors[0][1]

    def test_it_refuses_a_missing_service_code(self):
        self.assert_refused(400, "service_code", service_code=None)

    def test_it_answers_404_for_an_unknown_or_inactive_service_code(self):
        self.assert_refused(404, "service_code", service_code="khong-co")
        self.assert_refused(404, "service_code", service_code=self.closed_category.code)

    def test_a_category_switched_off_is_refused_at_once(self):
        self.assertIn(self.post_request("json").status_code, (200, 201))  # the category is now kept per process
        services.category_update(category=self.road, actor=system_actor(), is_active=False)
        self.assert_refused(404, "service_code", service_code=self.road.code)

    def test_it_refuses_a_request_without_any_location(self):
        message = self.assert_refused(400, "lat", lat=None, long=None)
        self.assertIn("address_string", message)

    def test_it_refuses_lat_without_long(self):
        self.assert_refused(400, "long", long=None)
        self.assert_refused(400, "lat", lat="")

    def test_it_refuses_a_point_outside_the_territory(self):
        lat, lon = point_in(OUTSIDE_COMMUNE)
        message = self.assert_refused(400, "long", lat=str(lat), long=str(lon))
        self.assertIn("outside the territory", message)

    def test_it_refuses_coordinates_that_are_not_numbers(self):
        self.assert_refused(400, "lat", lat="hai mươi", long="106")

    def test_it_refuses_a_commune_outside_the_territory(self):
        self.assert_refused(400, "address_id", lat=None, long=None, address_id=OUTSIDE_COMMUNE)

    def test_it_refuses_a_description_over_4000_characters(self):
        message = self.assert_refused(400, "description", description="ổ" * 4001)
        self.assertIn("4000", message)

    def test_it_refuses_html_in_the_description(self):
        self.assert_refused(400, "description", description='Ổ gà <img src=x onerror="alert(1)">')

    def test_it_refuses_an_empty_description(self):
        self.assert_refused(400, "description", description="")

    def test_it_refuses_a_bad_email_and_phone(self):
        self.assert_refused(400, "email", email="not-an-email")
        self.assert_refused(400, "phone", phone="12ab")

    def test_it_refuses_an_unknown_attribute_and_a_value_outside_the_list(self):
        self.assert_refused(400, "attribute[color]", **{"attribute[color]": "red"})
        self.assert_refused(400, "attribute[anonymous]", **{"attribute[anonymous]": "maybe"})

    def test_it_refuses_a_body_that_is_not_a_form(self):
        response = self.client.post(
            "/open311/v2/requests.json", b'{"service_code": "x"}', content_type="application/json"
        )
        self.assertEqual(response.status_code, 403)  # no form, so no api_key

    def test_it_reads_utf8_vietnamese_from_a_form_body(self):
        code = self.created_code(self.post_request("xml", description="Cây đổ chắn ngang đường ĐT.376"), "xml")
        self.assertEqual(Report.objects.get(tracking_code=code).description, "Cây đổ chắn ngang đường ĐT.376")
