"""R7.2: the system administrator records a written request and applies one change from the account pages."""

import shutil
import tempfile
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from django.urls import reverse

from ioc.accounts.choices import RequestStatus, Role
from ioc.accounts.models import AccountRequest, ApiToken, User
from ioc.accounts.testing import Personas

NEW = reverse("accounts:request_new")
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def document(**extra: Any) -> dict[str, Any]:
    return {
        "document_no": "15/CV-SNV",
        "document_date": "2025-08-01",
        "issuing_body": "Sở Nội vụ",
        **extra,
    }


class AccountPagesTest(Personas, TestCase):
    media: str
    storage: Any

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.media = tempfile.mkdtemp(prefix="ioc-scans-")
        cls.storage = override_settings(
            STORAGES={
                "default": {
                    "BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": cls.media},
                },
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            }
        )
        cls.storage.enable()

    @classmethod
    def tearDownClass(cls):
        cls.storage.disable()
        shutil.rmtree(cls.media, ignore_errors=True)
        super().tearDownClass()

    def setUp(self):
        self.sign_in(self.client, self.admin)

    def post(self, **data: Any) -> Any:
        return self.client.post(NEW, document(approver=self.admin.pk, **data))

    def test_it_lists_users_with_their_roles(self):
        page = self.client.get(reverse("accounts:users"))
        self.assertContains(page, self.officer_a.username)
        self.assertContains(page, "Cán bộ cơ quan, đơn vị")
        self.assertContains(page, self.system_user.username)

    def test_it_creates_an_account_on_a_recorded_request(self):
        response = self.post(
            kind="create",
            username="can-bo-moi",
            full_name="Cán Bộ Mới",
            email="moi@canary.invalid",
            password="Mật-Khẩu-Mới-2025",
            agency=self.agency_a.pk,
        )
        self.assertEqual(response.status_code, 200, response.content.decode()[:2000])
        user = User.objects.get(username="can-bo-moi")
        self.assertEqual(user.agency, self.agency_a)
        request = AccountRequest.objects.get(subject=user)
        self.assertEqual(
            (request.document_no, request.status, request.requested_by),
            ("15/CV-SNV", RequestStatus.APPLIED, self.admin),
        )
        self.assertNotIn("password", request.payload)
        self.assertContains(self.client.get(reverse("accounts:requests")), "15/CV-SNV")

    def test_it_grants_a_role_with_a_unit(self):
        response = self.post(kind="grant_role", user=self.citizen.pk, role=Role.PROVINCE_LEADER, unit_code="33")
        self.assertEqual(response.status_code, 200, response.content.decode()[:2000])
        assignment = self.citizen.role_assignments.get(role=Role.PROVINCE_LEADER)
        self.assertEqual(assignment.unit and assignment.unit.code, "33")

    def test_it_names_the_field_of_a_refused_change_and_writes_nothing(self):
        before = AccountRequest.objects.count()
        response = self.post(kind="grant_role", user=self.citizen.pk, role=Role.AGENCY_OFFICER)
        self.assertEqual(response.status_code, 400)
        self.assertIn("agency", response.context["form"].errors)
        response = self.post(kind="lock")
        self.assertIn("user", response.context["form"].errors)
        response = self.post(kind="grant_role", user=self.citizen.pk, role=Role.IOC_OPERATOR, unit_code="99999")
        self.assertIn("unit_code", response.context["form"].errors)
        self.assertEqual(AccountRequest.objects.count(), before)

    def test_it_requires_the_document(self):
        response = self.client.post(NEW, {"kind": "lock", "user": self.citizen.pk, "approver": self.admin.pk})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            {"document_no", "document_date", "issuing_body"} & set(response.context["form"].errors),
            {"document_no", "document_date", "issuing_body"},
        )
        self.citizen.refresh_from_db()
        self.assertTrue(self.citizen.is_active)

    def test_it_refuses_an_approver_without_the_right_role(self):
        response = self.client.post(NEW, document(kind="lock", user=self.citizen.pk, approver=self.officer_a.pk))
        self.assertIn("approver", response.context["form"].errors)

    def test_it_stores_a_pdf_scan_privately_and_serves_it_to_the_administrator(self):
        scan = SimpleUploadedFile("cong-van.pdf", PDF, content_type="application/pdf")
        response = self.post(kind="lock", user=self.citizen.pk, scan=scan)
        self.assertEqual(response.status_code, 200, response.content.decode()[:2000])
        request = AccountRequest.objects.get(subject=self.citizen, kind="lock")
        self.assertTrue(str(request.scan.name).startswith("account_requests/"))
        download: Any = self.client.get(reverse("accounts:request_scan", args=[request.pk]))
        self.assertEqual(download["Content-Type"], "application/pdf")
        self.assertEqual(b"".join(download.streaming_content), PDF)
        self.client.logout()
        self.sign_in(self.client, self.operator)
        self.assertEqual(self.client.get(reverse("accounts:request_scan", args=[request.pk])).status_code, 403)

    def test_it_refuses_a_scan_that_is_not_pdf_png_or_jpeg_by_content(self):
        fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 this is not a pdf", content_type="application/pdf")
        response = self.post(kind="lock", user=self.citizen.pk, scan=fake)
        self.assertEqual(response.status_code, 400)
        self.assertIn("scan", response.context["form"].errors)
        self.citizen.refresh_from_db()
        self.assertTrue(self.citizen.is_active)

    def test_it_refuses_a_scan_over_ten_megabytes(self):
        big = SimpleUploadedFile("big.png", b"\x89PNG\r\n\x1a\n" + b"0" * (10 * 1024 * 1024), content_type="image/png")
        response = self.post(kind="lock", user=self.citizen.pk, scan=big)
        self.assertEqual(response.status_code, 400)
        self.assertIn("10 MB", str(response.context["form"].errors["scan"]))

    def test_it_shows_a_new_token_once(self):
        response = self.post(
            kind="issue_token", user=self.system_user.pk, scopes="sta.write, incidents.alerts", expires_at="2099-01-01"
        )
        self.assertEqual(response.status_code, 200, response.content.decode()[:2000])
        value = response.context["result"].token_value
        self.assertContains(response, value)
        token = ApiToken.objects.get(prefix=value.split("_")[1])
        self.assertEqual(token.scopes, ["sta.write", "incidents.alerts"])
        self.assertNotIn(value, str(AccountRequest.objects.get(pk=token.issued_by_id).payload))
        self.assertNotContains(self.client.get(reverse("accounts:users")), value)

    def test_it_refuses_an_unknown_scope(self):
        response = self.post(kind="issue_token", user=self.system_user.pk, scopes="everything", expires_at="2099-01-01")
        self.assertIn("scopes", response.context["form"].errors)

    def test_it_is_for_system_administrators_only(self):
        self.client.logout()
        self.sign_in(self.client, self.leader)
        for name in ("accounts:users", "accounts:requests", "accounts:request_new"):
            self.assertEqual(self.client.get(reverse(name)).status_code, 403)

    def test_it_asks_an_administrator_for_the_second_factor_first(self):
        self.client.logout()
        self.sign_in(self.client, self.admin, verified=False)
        response = self.client.get(reverse("accounts:users"))
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("accounts:second_factor")))
