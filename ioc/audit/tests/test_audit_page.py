"""R7.3: the operators' audit page /nhat-ky/: filters, pagination, chain status and who may see it."""

import datetime as dt

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from ioc.accounts.choices import Role
from ioc.accounts.models import User
from ioc.audit.models import AuditEntry
from ioc.audit.services import audit_record
from ioc.audit.tests.support import SealingMixin, login_verified, make_user

URL = "/nhat-ky/"


def entry(
    action: str = "thing.update",
    *,
    actor: User | None = None,
    object_type: str = "tests.thing",
    object_id: str = "1",
    at: dt.datetime | None = None,
    request_id: str = "",
) -> AuditEntry:
    created = audit_record(actor=actor, action=action, object_type=object_type, object_id=object_id)
    updates: dict[str, object] = {"request_id": request_id} if request_id else {}
    if at is not None:
        updates["created_at"] = at
    if updates:
        AuditEntry.objects.filter(pk=created.pk).update(**updates)
    return created


class AuditPageTest(SealingMixin, TestCase):
    def setUp(self):
        super().setUp()
        self.operator = make_user("van.hanh", Role.IOC_OPERATOR)
        login_verified(self.client, self.operator)

    def listed(self, **params: str) -> list[str]:
        response = self.client.get(URL, params)
        self.assertEqual(response.status_code, 200)
        return [e.object_id for e in response.context["page"].object_list]

    def test_it_lists_entries_newest_first_with_their_details(self):
        entry("account.lock", actor=self.operator, object_id="7")
        entry("account.unlock", actor=self.operator, object_id="8")
        response = self.client.get(URL)
        self.assertContains(response, "account.unlock")
        self.assertContains(response, "van.hanh")
        self.assertEqual(self.listed(), ["8", "7"])

    def test_it_filters_by_actor_action_object_and_request_id(self):
        other = make_user("lanh.dao", Role.IOC_LEADER)
        entry(
            "account.lock", actor=self.operator, object_type="accounts.user", object_id="1", request_id="req-aaaa1111"
        )
        entry("account.unlock", actor=other, object_type="accounts.user", object_id="2")
        entry("agency.update", actor=other, object_type="agencies.agency", object_id="3")
        self.assertEqual(self.listed(actor="van"), ["1"])
        self.assertEqual(self.listed(actor=str(other.pk)), ["3", "2"])
        self.assertEqual(self.listed(action="account."), ["2", "1"])
        self.assertEqual(self.listed(action="agency.update"), ["3"])
        self.assertEqual(self.listed(object_type="accounts.user", object_id="2"), ["2"])
        self.assertEqual(self.listed(request_id="req-aaaa1111"), ["1"])
        self.assertEqual(self.listed(actor="lanh", action="account."), ["2"])

    def test_it_filters_by_calendar_days_in_vietnam(self):
        entry(object_id="late-utc", at=dt.datetime(2025, 7, 1, 17, 30, tzinfo=dt.UTC))  # 2 July 00:30 in Hà Nội
        entry(object_id="early", at=dt.datetime(2025, 7, 1, 1, 0, tzinfo=dt.UTC))
        self.assertEqual(self.listed(date_from="2025-07-02"), ["late-utc"])
        self.assertEqual(self.listed(date_to="2025-07-01"), ["early"])
        self.assertEqual(self.listed(date_from="01/07/2025", date_to="02/07/2025"), ["early", "late-utc"])

    def test_it_answers_400_naming_the_field_of_a_bad_filter(self):
        response = self.client.get(URL, {"date_from": "2025-07-02", "date_to": "2025-07-01"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("date_to", response.context["form"].errors)
        self.assertContains(response, "Ngày kết thúc", status_code=400)
        response = self.client.get(URL, {"date_from": "2025-13-45", "object_id": "x" * 65})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(set(response.context["form"].errors), {"date_from", "object_id"})

    def test_it_pages_by_50_and_keeps_the_filters(self):
        for i in range(55):
            entry(object_id=str(i))
        entry("other.thing", object_id="x")
        response = self.client.get(URL, {"action": "thing."})
        self.assertEqual(len(response.context["page"].object_list), 50)
        self.assertContains(response, "?action=thing.&amp;page=2")
        response = self.client.get(URL, {"action": "thing.", "page": "2"})
        self.assertEqual(len(response.context["page"].object_list), 5)

    def test_it_shows_the_chain_status(self):
        self.record(3)
        self.seal()
        self.record(2)
        response = self.client.get(URL)
        self.assertEqual((response.context["status"].last_position, response.context["status"].unsealed), (3, 2))
        self.assertContains(response, '<div class="h3 mb-0" id="chain-last-position">3</div>', html=True)
        self.assertContains(response, '<div class="h3 mb-0" id="chain-unsealed">2</div>', html=True)

    def test_it_keeps_its_query_count_whatever_the_number_of_rows(self):
        self.client.get(URL)  # warm per-process caches of the shell
        entry(actor=self.operator)
        with CaptureQueriesContext(connection) as few:
            self.client.get(URL)
        for i in range(70):
            entry(actor=self.operator, object_id=str(i))
        with self.assertNumQueries(len(few.captured_queries)):
            self.client.get(URL)


class AuditPageAccessTest(TestCase):
    def test_it_refuses_an_agency_officer(self):
        officer = make_user("can.bo", Role.AGENCY_OFFICER)
        login_verified(self.client, officer)
        self.assertEqual(self.client.get(URL).status_code, 403)

    def test_it_sends_an_anonymous_visitor_to_sign_in(self):
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 302)
        self.assertIn("/tai-khoan/", response["Location"])

    def test_it_lets_a_leader_and_an_administrator_in(self):
        for name, role in (("lanh.dao", Role.IOC_LEADER), ("quan.tri", Role.SYSTEM_ADMIN)):
            login_verified(self.client, make_user(name, role))
            self.assertEqual(self.client.get(URL).status_code, 200, role)
