"""R10.4: monthly allowance sheets per paying agency — totals, a month not over refused, approval by the managing
body, the frozen approved sheet and its correction as a new version; nothing half-written."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase

from ioc.accounts.testing import Personas
from ioc.audit.models import AuditEntry
from ioc.operations import services
from ioc.operations.choices import Proration, SheetState, WorkPlace
from ioc.operations.models import AllowanceLine, AllowanceSheet
from ioc.operations.testing import allowance_rules_make, managing_body_make, staff_make

NOW = dt.datetime(2025, 8, 5, 9, 0, tzinfo=dt.UTC)
JULY = dt.date(2025, 7, 1)


class SheetCase(Personas, TestCase):
    proration = Proration.BY_DAYS

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        managing_body_make(actor=cls.system_account, agency=cls.agency_a)
        allowance_rules_make(actor=cls.system_account, leader=cls.leader, proration=cls.proration)
        early = dt.date(2025, 1, 1)
        staff_make(leader=cls.leader, agency=cls.agency_a, name="Nguyễn Văn An", start=early)
        staff_make(leader=cls.leader, agency=cls.agency_a, name="Trần Thị Bình", start=dt.date(2025, 7, 15))
        cls.mover = staff_make(leader=cls.leader, agency=cls.agency_b, name="Lê Văn Cường", start=early)
        services.staff_move(actor=cls.leader, staff=cls.mover, work_place=WorkPlace.ELSEWHERE, on=dt.date(2025, 7, 16))
        staff_make(leader=cls.leader, agency=cls.agency_b, name="Phạm Dũng", place=WorkPlace.ELSEWHERE, start=early)

    def prepare_all(self):
        sheets = services.allowance_sheets_prepare_month(actor=self.leader, month=JULY, now=NOW)
        return {s.paying_agency_id: s for s in sheets}


class ByDaysTest(SheetCase):
    def test_totals_per_paying_agency(self):
        sheets = self.prepare_all()
        # A: 1.000.000 + 1.000.000 × 17/31 (548.387); B: the mover 741.935 + 500.000 elsewhere all month
        self.assertEqual(sheets[self.agency_a.pk].total_vnd, 1_548_387)
        self.assertEqual(sheets[self.agency_b.pk].total_vnd, 1_241_935)
        mover = AllowanceLine.objects.get(staff=self.mover)
        self.assertEqual((mover.days_center, mover.days_elsewhere, mover.amount_vnd), (15, 16, 741_935))
        self.assertIn("Chia theo số ngày", sheets[self.agency_a.pk].rule_text)

    def test_a_month_not_over_is_refused_and_nothing_is_written(self):
        audits = AuditEntry.objects.count()
        with self.assertRaises(ValidationError) as caught:
            services.allowance_sheet_prepare(
                actor=self.leader, paying_agency=self.agency_a, month=dt.date(2025, 8, 1), now=NOW
            )
        self.assertIn("month", caught.exception.message_dict)
        self.assertFalse(AllowanceSheet.objects.exists())
        self.assertEqual(AuditEntry.objects.count(), audits)

    def test_approved_by_the_managing_body_then_frozen_and_corrected_as_a_new_version(self):
        sheet = self.prepare_all()[self.agency_a.pk]
        with self.assertRaises(PermissionDenied):
            services.allowance_sheet_approve(actor=self.leader, sheet=sheet)
        with self.assertRaises(PermissionDenied):
            services.allowance_sheet_approve(actor=self.officer_b, sheet=sheet)
        approved = services.allowance_sheet_approve(actor=self.officer_a, sheet=sheet)
        self.assertEqual(approved.state, SheetState.APPROVED)
        with self.assertRaises(ValidationError) as caught:
            services.allowance_sheet_recompute(actor=self.leader, sheet=approved)
        self.assertIn("state", caught.exception.message_dict)
        with self.assertRaises(ValidationError) as caught:
            services.allowance_sheet_prepare(actor=self.leader, paying_agency=self.agency_a, month=JULY, now=NOW)
        self.assertIn("reason", caught.exception.message_dict)
        self.assertEqual(AllowanceSheet.objects.filter(paying_agency=self.agency_a).count(), 1)
        correction = services.allowance_sheet_prepare(
            actor=self.leader, paying_agency=self.agency_a, month=JULY, reason="Bổ sung ngày công", now=NOW
        )
        self.assertEqual((correction.version, correction.state), (2, SheetState.DRAFT))
        services.allowance_sheet_approve(actor=self.officer_a, sheet=correction)
        approved.refresh_from_db()
        self.assertEqual(approved.state, SheetState.SUPERSEDED)
        self.assertTrue(AuditEntry.objects.filter(action="allowance_sheet.approve", actor=self.officer_a).exists())

    def test_a_draft_is_recomputed_in_place(self):
        sheet = self.prepare_all()[self.agency_a.pk]
        again = services.allowance_sheet_recompute(actor=self.leader, sheet=sheet)
        self.assertEqual((again.pk, again.version), (sheet.pk, 1))
        self.assertEqual(AllowanceLine.objects.filter(sheet=sheet).count(), 2)

    def test_only_the_leader_and_the_managing_body_prepare(self):
        with self.assertRaises(PermissionDenied):
            services.allowance_sheets_prepare_month(actor=self.operator, month=JULY, now=NOW)
        with self.assertRaises(PermissionDenied):
            services.allowance_sheets_prepare_month(actor=self.officer_b, month=JULY, now=NOW)


class NoProrationTest(SheetCase):
    proration = Proration.NONE

    def test_whole_months_at_the_place_held_longest(self):
        sheets = self.prepare_all()
        self.assertEqual(sheets[self.agency_a.pk].total_vnd, 2_000_000)  # the joiner of the 15th paid whole
        self.assertEqual(sheets[self.agency_b.pk].total_vnd, 1_000_000)  # the mover: 16 days elsewhere → 500.000
        self.assertIn("Không chia theo ngày", sheets[self.agency_a.pk].rule_text)
