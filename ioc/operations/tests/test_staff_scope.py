"""R10.4: staff in the user's scope (agency B's officer refused agency A's staff), personal data for the IOC leader
and the managing body only, the .xlsx export escaping formula-like cells, the yearly estimate."""

import datetime as dt
import io

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import TestCase
from python_calamine import CalamineWorkbook

from ioc.accounts.testing import Personas
from ioc.agencies.models import AgencyActRole
from ioc.audit.models import AuditEntry
from ioc.audit.services import PERSONAL_DATA_READ
from ioc.operations import selectors, services
from ioc.operations.exports import sheet_xlsx
from ioc.operations.models import Staff
from ioc.operations.testing import allowance_rules_make, managing_body_make, staff_make

NOW = dt.datetime(2025, 8, 5, 9, 0, tzinfo=dt.UTC)


class StaffScopeTest(Personas, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        managing_body_make(actor=cls.system_account, agency=cls.agency_b)
        allowance_rules_make(actor=cls.system_account, leader=cls.leader)
        cls.staff_a = staff_make(
            leader=cls.leader, agency=cls.agency_a, name="=HYPERLINK(1)", start=dt.date(2025, 1, 1), phone="0900000001"
        )

    def test_an_officer_of_another_agency_is_refused_unless_managing_body(self):
        # agency B is the managing body here: its officer sees A's staff; an officer of A sees its own
        self.assertEqual(selectors.staff_get_for(user=self.officer_b, pk=self.staff_a.pk), self.staff_a)
        self.assertTrue(selectors.sees_personal_data(user=self.officer_b))
        self.assertFalse(selectors.sees_personal_data(user=self.officer_a))
        self.assertFalse(selectors.sees_personal_data(user=self.operator))
        self.assertTrue(selectors.sees_personal_data(user=self.leader))

    def test_personal_data_is_encrypted_at_rest_and_each_read_is_audited(self):
        stored = Staff.objects.get(pk=self.staff_a.pk)
        self.assertTrue(stored.phone_encrypted.startswith("v1:"))
        self.assertNotIn("0900000001", stored.phone_encrypted)
        data = selectors.staff_personal_data(user=self.leader, staff=stored)
        self.assertEqual(data.phone, "0900000001")
        reads = AuditEntry.objects.filter(action=PERSONAL_DATA_READ, object_id=str(stored.pk))
        self.assertEqual(list(reads.values_list("changes__fields", flat=True)), [["staff_phone"]])
        selectors.staff_personal_data(user=self.officer_b, staff=stored)  # the managing body: a second read
        self.assertEqual(reads.count(), 2)

    def test_agency_b_officer_is_refused_agency_a_staff_and_personal_data(self):
        AgencyActRole.objects.filter(agency=self.agency_b).delete()  # B is an ordinary agency now
        with self.assertRaises(Http404):
            selectors.staff_get_for(user=self.officer_b, pk=self.staff_a.pk)
        self.assertIsNone(selectors.staff_personal_data(user=self.officer_b, staff=self.staff_a))
        self.assertIsNone(selectors.staff_personal_data(user=self.officer_a, staff=self.staff_a))  # own agency
        self.assertIsNone(selectors.staff_personal_data(user=self.operator, staff=self.staff_a))
        self.assertFalse(AuditEntry.objects.filter(action=PERSONAL_DATA_READ).exists())
        self.sign_in(self.client, self.officer_b)
        self.assertEqual(self.client.get(f"/van-hanh/nhan-su/{self.staff_a.pk}/").status_code, 404)
        self.sign_in(self.client, self.officer_a)
        page = self.client.get(f"/van-hanh/nhan-su/{self.staff_a.pk}/")
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, "0900000001")

    def test_the_page_shows_personal_data_to_the_leader_and_records_the_read(self):
        self.sign_in(self.client, self.leader)
        self.assertNotContains(self.client.get("/van-hanh/nhan-su/"), "0900000001")  # the list reads none
        self.assertFalse(AuditEntry.objects.filter(action=PERSONAL_DATA_READ).exists())
        self.assertContains(self.client.get(f"/van-hanh/nhan-su/{self.staff_a.pk}/"), "0900000001")
        self.assertEqual(AuditEntry.objects.filter(action=PERSONAL_DATA_READ).count(), 1)

    def test_a_bad_email_is_refused_and_nothing_is_written(self):
        with self.assertRaises(ValidationError) as caught:
            staff_make(leader=self.leader, agency=self.agency_a, name="Y", start=dt.date(2025, 1, 1), email="x@")
        self.assertIn("email", caught.exception.message_dict)
        self.assertEqual(Staff.objects.count(), 1)

    def test_a_plain_agency_officer_sees_only_own_agency(self):
        other = staff_make(leader=self.leader, agency=self.agency_b, name="Người B", start=dt.date(2025, 1, 1))
        self.assertEqual(list(selectors.staff_list(user=self.officer_a)), [self.staff_a])
        with self.assertRaises(Http404):
            selectors.staff_get_for(user=self.officer_a, pk=other.pk)

    def test_an_operator_cannot_add_staff_and_nothing_is_written(self):
        with self.assertRaises(PermissionDenied):
            staff_make(leader=self.operator, agency=self.agency_a, name="X", start=dt.date(2025, 1, 1))
        with self.assertRaises(ValidationError) as caught:
            staff_make(leader=self.leader, agency=self.agency_a, name="  ", start=dt.date(2025, 1, 1))
        self.assertIn("full_name", caught.exception.message_dict)
        self.assertEqual(Staff.objects.count(), 1)

    def test_the_export_escapes_formula_like_cells(self):
        sheet = services.allowance_sheet_prepare(
            actor=self.leader, paying_agency=self.agency_a, month=dt.date(2025, 7, 1), now=NOW
        )
        data = sheet_xlsx(sheet, list(selectors.sheet_lines(sheet=sheet)))
        rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
        cells = [str(cell) for row in rows for cell in row]
        self.assertIn("'=HYPERLINK(1)", cells)
        self.assertIn(1_000_000, [cell for row in rows for cell in row])

    def test_the_yearly_estimate(self):
        rows = selectors.allowance_estimate(user=self.leader, year=2025)
        self.assertEqual([(r.agency, r.total) for r in rows], [(self.agency_a, 12_000_000)])
        self.assertEqual(selectors.allowance_estimate(user=self.officer_a, year=2025)[0].total, 12_000_000)
