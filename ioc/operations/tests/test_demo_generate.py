"""R10.2–R10.4, R11: the operations demo on Hưng Yên (24/7) — staff from the act, a year of allowance sheets
(approved by the managing body but the last), this month's roster covered and published, assets with a year of
maintenance and one overdue plan, a pending change and an approved future window; idempotent."""

from __future__ import annotations

import io
import re
import tempfile

from django.core.management import call_command
from django.test import TestCase, override_settings
from django.utils import timezone

from ioc.common.testing import settle_deferred_constraints
from ioc.operations import selectors
from ioc.operations.choices import ChangeState, RosterState, SheetState
from ioc.operations.models import AllowanceSheet, Change, MaintenanceRecord, Roster, Staff, Training


def demo_load() -> str:
    out = io.StringIO()
    call_command(
        "demo_load", "--profile", "hung-yen", "--no-units", "--only", "demo", "--only", "operations", stdout=out
    )
    return out.getvalue()


class DemoGenerateTest(TestCase):
    output: str
    var: tempfile.TemporaryDirectory[str]
    override: override_settings

    @classmethod
    def setUpTestData(cls) -> None:
        cls.var = tempfile.TemporaryDirectory()
        cls.override = override_settings(VAR_DIR=cls.var.name, MEDIA_ROOT=cls.var.name + "/media")
        cls.override.enable()
        cls.output = demo_load()
        settle_deferred_constraints()

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        cls.override.disable()
        cls.var.cleanup()

    def test_it_runs_the_center(self) -> None:
        line = re.search(r"^demo_load: ioc\.operations\.demo .*$", self.output, re.M)
        self.assertIsNotNone(line, self.output)
        self.assertGreater(Staff.objects.count(), 0)
        self.assertTrue(AllowanceSheet.objects.filter(state=SheetState.APPROVED).exists())
        self.assertTrue(AllowanceSheet.objects.filter(state=SheetState.DRAFT).exists())
        roster = Roster.objects.get()
        self.assertEqual((roster.state, roster.around_the_clock), (RosterState.PUBLISHED, True))
        self.assertGreater(MaintenanceRecord.objects.count(), 5)
        self.assertGreaterEqual(Training.objects.count(), Staff.objects.count())  # 000:7.3: everyone trained
        self.assertEqual(len(selectors.maintenance_overdue(on=timezone.localdate())), 1)
        self.assertEqual(
            sorted(Change.objects.values_list("state", flat=True)), [ChangeState.APPROVED, ChangeState.REQUESTED]
        )

    def test_it_is_idempotent(self) -> None:
        before = Staff.objects.count()
        demo_load()
        self.assertEqual(Staff.objects.count(), before)
