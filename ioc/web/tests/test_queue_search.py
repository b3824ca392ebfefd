"""R7.1, R7.5 (issue 20): the operator's search box — reports, incidents, units and agencies by code and by text
without diacritics; a reporter's phone (operators only) through the blind index, each report found audited;
a leader's phone search is refused; bad input is a 400 naming `q`."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.test import TestCase

from ioc.audit.models import AuditEntry
from ioc.audit.services import PERSONAL_DATA_READ
from ioc.citizen_reports import selectors as report_selectors
from ioc.citizen_reports.tests.test_core_support import PHONE, CoreMixin, contact
from ioc.incidents import services as incident_services
from ioc.incidents.models import Incident
from ioc.web import search
from ioc.web.tests import people

URL = "/hang-doi/tim/"


class SearchTest(CoreMixin, TestCase):
    def setUp(self) -> None:
        self.found = self.receive(description="Ổ gà lớn gần hồ Gươm").report
        self.other = self.receive(description="Đèn đường không sáng", contact=contact(phone="0900000999")).report
        alert = incident_services.alert_raise(
            source="people",
            dedup_key="search-1",
            kind="fire",
            severity=4,
            title="Cháy nhà kho phường Hồng Châu",
            occurred_at=self.found.received_at,
            payload={},
            actor=self.operator,
        )
        self.incident = incident_services.alert_verify(alert=alert, actor=self.operator)

    def test_text_without_diacritics_finds_reports_incidents_units_and_agencies(self) -> None:
        results = search.search(user=self.operator, query="ho guom")
        self.assertEqual([h.code for h in results.groups["reports"]], [self.found.tracking_code])
        fire = search.search(user=self.operator, query="nha kho phuong hong chau")
        self.assertEqual([h.code for h in fire.groups["incidents"]], [self.incident.reference])
        self.assertEqual(
            search.search(user=self.operator, query=self.incident.reference).groups["incidents"][0].code,
            self.incident.reference,
        )
        agency = search.search(user=self.operator, query=self.agency_a.name.lower())
        self.assertIn(self.agency_a.code, [h.code for h in agency.groups["agencies"]])
        unit = self.found.unit
        assert unit is not None
        units = search.search(user=self.operator, query=unit.code).groups["units"]
        self.assertEqual(units[0].code, unit.code)
        self.assertFalse(AuditEntry.objects.filter(action=PERSONAL_DATA_READ).exists())

    def test_an_edited_incident_title_is_found_by_its_new_words_only(self) -> None:
        # The folded titles are kept per process by their text (issue 20 "Speed"): an edit is a new key.
        self.assertTrue(search.search(user=self.operator, query="hong chau").groups.get("incidents"))
        Incident.objects.filter(pk=self.incident.pk).update(title="Ngập đường Nguyễn Văn Linh")
        self.assertFalse(search.search(user=self.operator, query="nha kho").groups.get("incidents"))
        moved = search.search(user=self.operator, query="nguyen van linh").groups["incidents"]
        self.assertEqual([h.code for h in moved], [self.incident.reference])

    def test_a_phone_finds_the_reports_it_sent_and_each_read_is_audited(self) -> None:
        spaced = f"{PHONE[:4]} {PHONE[4:7]} {PHONE[7:]}"
        results = search.search(user=self.operator, query=spaced)
        self.assertTrue(results.by_phone)
        self.assertEqual([h.code for h in results.groups["reports"]], [self.found.tracking_code])
        entry = AuditEntry.objects.get(action=PERSONAL_DATA_READ)
        self.assertEqual((entry.actor_id, entry.object_id), (self.operator.pk, str(self.found.pk)))
        self.assertEqual(entry.changes["fields"], ["reporter_phone"])

    def test_the_page_for_an_operator_and_a_refused_leader(self) -> None:
        page = people.signed_in(self.operator).get(URL, {"q": "Ho Guom"})
        self.assertEqual(page.status_code, 200)
        self.assertIn(f'data-hit="{self.found.tracking_code}"', page.content.decode())
        refused = people.signed_in(self.leader).get(URL, {"q": PHONE})
        self.assertEqual(refused.status_code, 403)
        self.assertIn('data-error="q"', refused.content.decode())
        self.assertNotIn(self.found.tracking_code, refused.content.decode())
        self.assertFalse(AuditEntry.objects.filter(action=PERSONAL_DATA_READ).exists())
        with self.assertRaises(PermissionDenied):
            report_selectors.reports_by_reporter_phone(user=self.officer_a, phone=PHONE)
        self.assertEqual(people.signed_in(self.officer_a).get(URL, {"q": "ho guom"}).status_code, 403)

    def test_bad_input_is_a_400_naming_q(self) -> None:
        client = people.signed_in(self.operator)
        for params in ({"q": "x"}, {"q": "y" * 101}, {"q": ""}, {"q": "0000 0000 0000 000"}):
            with self.subTest(params=params):
                response = client.get(URL, params)
                self.assertEqual(response.status_code, 400)
                self.assertIn('data-error="q"', response.content.decode())
