"""Issue 8: the information-system pages of the "Quản trị" section: systems, their service account and tokens,
issued and revoked only on a written request, a new token shown once; as the administrator and as refused roles."""

from django.core.exceptions import PermissionDenied
from django.test import TestCase
from django.urls import reverse

from ioc.accounts.models import AccountRequest, ApiToken, User
from ioc.accounts.testing import DOCUMENT, Personas
from ioc.agencies.models import InformationSystem
from ioc.agencies.services import information_system_create, information_system_update
from ioc.audit.models import AuditEntry
from ioc.common.testing import page_queries

LIST = reverse("accounts:systems")
NEW = reverse("accounts:system_create")


def _document(approver, **extra):
    fields = {
        "document_no": DOCUMENT["document_no"],
        "document_date": DOCUMENT["document_date"].isoformat(),
        "issuing_body": DOCUMENT["issuing_body"],
        "approver": approver.pk,
    }
    fields.update(extra)
    return fields


class SystemPagesTest(Personas, TestCase):
    def test_the_administrator_lists_systems_with_their_tokens(self):
        self.sign_in(self.client, self.admin)
        response = self.client.get(LIST)
        self.assertEqual(response.status_code, 200)
        token = ApiToken.objects.get(user=self.system_user)
        self.assertContains(response, self.system.name)
        self.assertContains(response, token.prefix)
        self.assertNotContains(response, self.system_token)

    def test_the_administrator_adds_and_renames_a_system(self):
        self.sign_in(self.client, self.admin)
        fields = {"agency": self.agency_b.pk, "code": "he-thong-moi", "name": "Hệ thống mới", "description": ""}
        response = self.client.post(NEW, fields)
        system = InformationSystem.objects.get(code="he-thong-moi")
        detail = reverse("accounts:system_detail", args=[system.pk])
        self.assertRedirects(response, detail)
        self.assertRedirects(self.client.post(detail, {"name": "Hệ thống đổi tên", "description": "x"}), detail)
        system.refresh_from_db()
        self.assertEqual(system.name, "Hệ thống đổi tên")
        for action in ("information_system.create", "information_system.update"):
            self.assertEqual(AuditEntry.objects.filter(action=action).get().actor, self.admin)

    def test_bad_systems_are_field_errors_and_nothing_is_written(self):
        self.sign_in(self.client, self.admin)
        before = (InformationSystem.objects.count(), AuditEntry.objects.count())
        cases = [
            ({"agency": 999999, "code": "x-1", "name": "X"}, "agency", "Cơ quan không tồn tại"),
            ({"agency": self.agency_a.pk, "code": self.system.code, "name": "X"}, "code", "Mã đã được dùng"),
            ({"agency": self.agency_a.pk, "code": "x-2", "name": ""}, "name", ""),
        ]
        for fields, field, reason in cases:
            with self.subTest(field=field):
                response = self.client.post(NEW, fields)
                self.assertEqual(response.status_code, 400)
                self.assertIn(field, response.context["form"].errors)
                self.assertContains(response, reason, status_code=400)
        self.assertEqual((InformationSystem.objects.count(), AuditEntry.objects.count()), before)

    def test_the_service_account_needs_a_written_request(self):
        system = information_system_create(actor=self.admin, agency=self.agency_a, code="ht-b", name="Hệ thống B")
        self.sign_in(self.client, self.admin)
        url = reverse("accounts:system_account", args=[system.pk])
        before = (User.objects.count(), AccountRequest.objects.count(), AuditEntry.objects.count())
        response = self.client.post(url, {"approver": self.admin.pk})
        self.assertEqual(response.status_code, 400)
        for field in ("document_no", "document_date", "issuing_body"):
            self.assertIn(field, response.context["form"].errors)
        self.assertEqual((User.objects.count(), AccountRequest.objects.count(), AuditEntry.objects.count()), before)
        self.assertRedirects(
            self.client.post(url, _document(self.admin)), reverse("accounts:system_detail", args=[system.pk])
        )
        system.refresh_from_db()
        self.assertTrue(system.service_user.is_service_account)
        self.assertEqual(AuditEntry.objects.filter(action="account.service_create").latest("pk").actor, self.admin)

    def test_a_token_is_issued_on_a_request_and_shown_once(self):
        self.sign_in(self.client, self.admin)
        url = reverse("accounts:system_token_issue", args=[self.system.pk])
        before = (ApiToken.objects.count(), AccountRequest.objects.count())
        response = self.client.post(url, {"scopes": "open311.submit", "expires_at": "2099-12-31"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("document_no", response.context["form"].errors)
        self.assertEqual((ApiToken.objects.count(), AccountRequest.objects.count()), before)
        response = self.client.post(url, _document(self.admin, scopes="open311.submit nope", expires_at="2099-12-31"))
        self.assertEqual(response.status_code, 400)
        self.assertIn("scopes", response.context["form"].errors)
        response = self.client.post(url, _document(self.admin, scopes="open311.submit", expires_at="2099-12-31"))
        self.assertEqual(response.status_code, 200)
        value = response.context["result"].token_value
        self.assertContains(response, value)
        self.assertIn("no-cache", response["Cache-Control"])
        detail = self.client.get(reverse("accounts:system_detail", args=[self.system.pk]))
        self.assertNotContains(detail, value)
        self.assertEqual(self.client.get("/api/v1/agencies/", HTTP_AUTHORIZATION=f"Bearer {value}").status_code, 200)
        self.assertEqual(AuditEntry.objects.filter(action="token.issue").latest("pk").actor, self.admin)

    def test_a_token_is_revoked_on_a_request_then_the_system_can_retire(self):
        token = ApiToken.objects.get(user=self.system_user)
        self.sign_in(self.client, self.admin)
        retire = reverse("accounts:system_retire", args=[self.system.pk])
        self.client.post(retire, {"is_active": "0"})
        self.system.refresh_from_db()
        self.assertTrue(self.system.is_active)
        url = reverse("accounts:system_token_revoke", args=[self.system.pk, token.pk])
        self.assertEqual(self.client.post(url, {"approver": self.admin.pk}).status_code, 400)
        token.refresh_from_db()
        self.assertIsNone(token.revoked_at)
        self.assertRedirects(
            self.client.post(url, _document(self.admin)), reverse("accounts:system_detail", args=[self.system.pk])
        )
        token.refresh_from_db()
        self.assertIsNotNone(token.revoked_at)
        self.assertEqual(AuditEntry.objects.filter(action="token.revoke").get().actor, self.admin)
        self.assertRedirects(self.client.post(retire, {"is_active": "0"}), LIST)
        self.system.refresh_from_db()
        self.assertFalse(self.system.is_active)
        self.assertContains(self.client.get(LIST), 'id="retired-systems"')

    def test_the_leader_and_an_officer_are_refused(self):
        token = ApiToken.objects.get(user=self.system_user)
        for person in (self.leader, self.officer_a):
            with self.subTest(person=person.username):
                self.sign_in(self.client, person)
                self.assertEqual(self.client.get(LIST).status_code, 403)
                url = reverse("accounts:system_token_issue", args=[self.system.pk])
                response = self.client.post(
                    url, _document(self.admin, scopes="open311.submit", expires_at="2099-12-31")
                )
                self.assertEqual(response.status_code, 403)
                revoke = reverse("accounts:system_token_revoke", args=[self.system.pk, token.pk])
                self.assertEqual(self.client.post(revoke, _document(self.admin)).status_code, 403)
        self.assertEqual(ApiToken.objects.filter(user=self.system_user, revoked_at__isnull=True).count(), 1)


class SystemUpdateServiceTest(Personas, TestCase):
    def test_it_refuses_a_leader_and_unknown_fields(self):
        with self.assertRaises(PermissionDenied):
            information_system_update(actor=self.leader, system=self.system, name="Không được")
        with self.assertRaisesMessage(Exception, "Không được sửa trường này"):
            information_system_update(actor=self.admin, system=self.system, agency=self.agency_b)
        self.system.refresh_from_db()
        self.assertEqual(self.system.name, "Hệ thống Thử nghiệm A")


class SystemListQueriesTest(Personas, TestCase):
    def test_the_list_query_count_does_not_grow_with_systems(self):
        self.sign_in(self.client, self.admin)
        page_queries(self.client, LIST)  # warm the per-process caches
        before = page_queries(self.client, LIST)
        for n in range(4):
            information_system_create(actor=self.admin, agency=self.agency_b, code=f"ht-n{n}", name=f"Hệ thống {n}")
        self.assertEqual(page_queries(self.client, LIST), before)
