"""R7.3: GET /api/v1/audit/entries/ with the page's filters, for the same roles."""

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from ioc.accounts.choices import Role
from ioc.audit.services import audit_record
from ioc.audit.tests.support import SealingMixin, login_verified, make_user

URL = "/api/v1/audit/entries/"


class AuditApiTest(SealingMixin, TestCase):
    def setUp(self):
        super().setUp()
        self.leader = make_user("lanh.dao", Role.IOC_LEADER)
        login_verified(self.client, self.leader)

    def test_it_lists_entries_with_their_chain_fields(self):
        audit_record(actor=self.leader, action="account.lock", object_type="accounts.user", object_id="9")
        self.seal()
        audit_record(actor=None, action="thing.create", changes={"a": 1})
        body = self.client.get(URL).json()
        self.assertEqual(body["count"], 2)
        newest, oldest = body["results"]
        self.assertEqual(
            (newest["action"], newest["position"], newest["link"], newest["actor"]), ("thing.create", None, "", None)
        )
        self.assertEqual((oldest["actor"], oldest["actor_label"], oldest["position"]), (self.leader.pk, "lanh.dao", 1))
        self.assertRegex(oldest["link"], r"^[0-9a-f]{64}$")
        self.assertEqual(newest["changes"], {"a": 1})

    def test_it_applies_the_filters(self):
        audit_record(actor=self.leader, action="account.lock", object_type="accounts.user", object_id="1")
        audit_record(actor=None, action="report.rate", object_type="agencies.agency", object_id="2")  # a citizen
        self.assertEqual(
            [r["object_id"] for r in self.client.get(URL, {"action": "account."}).json()["results"]], ["1"]
        )
        self.assertEqual([r["object_id"] for r in self.client.get(URL, {"actor": "ẩn danh"}).json()["results"]], ["2"])
        params = {"object_type": "agencies.agency", "object_id": "2", "date_from": "2000-01-01"}
        self.assertEqual(self.client.get(URL, params).json()["count"], 1)

    def test_it_answers_400_in_the_shared_error_body_naming_the_field(self):
        response = self.client.get(URL, {"date_from": "hôm qua"})
        self.assertEqual(response.status_code, 400)
        body = response.json()
        self.assertEqual(body["error"]["code"], "invalid")
        self.assertIn("date_from", body["error"]["fields"])
        response = self.client.get(URL, {"date_from": "2025-07-02", "date_to": "2025-07-01"})
        self.assertIn("date_to", response.json()["error"]["fields"])

    def test_it_pages_by_50(self):
        for i in range(51):
            audit_record(actor=None, action="thing.update", object_id=str(i))
        body = self.client.get(URL).json()
        self.assertEqual((body["count"], len(body["results"])), (51, 50))
        self.assertIn("page=2", body["next"])

    def test_it_keeps_its_query_count_whatever_the_number_of_rows(self):
        audit_record(actor=self.leader, action="thing.update")
        self.client.get(URL)
        with CaptureQueriesContext(connection) as few:
            self.client.get(URL)
        for i in range(60):
            audit_record(actor=self.leader, action="thing.update", object_id=str(i))
        with self.assertNumQueries(len(few.captured_queries)):
            self.client.get(URL)


class AuditApiAccessTest(TestCase):
    def test_it_refuses_an_agency_officer_with_403(self):
        login_verified(self.client, make_user("can.bo", Role.AGENCY_OFFICER))
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 403)
        self.assertIn("request_id", response.json())
        self.assertTrue(response.json()["error"]["message"])

    def test_it_refuses_an_anonymous_caller_with_401(self):
        self.assertEqual(self.client.get(URL).status_code, 401)

    def test_it_lets_an_operator_and_an_administrator_in(self):
        for name, role in (("van.hanh", Role.IOC_OPERATOR), ("quan.tri", Role.SYSTEM_ADMIN)):
            login_verified(self.client, make_user(name, role))
            self.assertEqual(self.client.get(URL).status_code, 200, role)
