"""R5.3: the durable sweep catches a step and a dossier late with no event, by due time; safe to run twice."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase

from ioc.accounts.testing import Personas
from ioc.dossiers.models import Dossier, Violation
from ioc.dossiers.services import dossier_event_receive, dossiers_sweep_due
from ioc.dossiers.tests.helpers import local, procedure_create, receipt


class SweepTests(Personas, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        procedure_create(cls.admin)

    def receive(self, row: dict[str, object], now: dt.datetime) -> None:
        dossier_event_receive(agency=self.agency_a, rows=[row], actor=self.system_user, now=now)

    def test_a_step_late_with_no_event_then_the_dossier(self):
        received = local("2026-02-13", 8)  # Friday before Tết; step 1 due 13:45 the same day, dossier 25/2 08:00
        self.receive(receipt("S-1", received), now=received)
        dossier = Dossier.objects.get(code="S-1")
        self.assertEqual(dossier.next_check_at, local("2026-02-13", 13, 45))
        self.assertEqual(dossiers_sweep_due(actor=self.system_account, now=local("2026-02-13", 13)), 0)
        self.assertEqual(dossiers_sweep_due(actor=self.system_account, now=local("2026-02-13", 14)), 1)
        self.assertTrue(Violation.objects.filter(dossier=dossier, rule="step_late", step_code="tiep-nhan").exists())
        dossier.refresh_from_db()
        self.assertEqual(dossier.next_check_at, local("2026-02-25", 8))  # Tết is skipped
        self.assertEqual(dossiers_sweep_due(actor=self.system_account, now=local("2026-02-24", 16)), 0)
        self.assertEqual(dossiers_sweep_due(actor=self.system_account, now=local("2026-02-25", 9)), 1)
        self.assertEqual(dossiers_sweep_due(actor=self.system_account, now=local("2026-02-25", 9)), 0)  # twice: safe
        rules = set(Violation.objects.filter(dossier=dossier).values_list("rule", flat=True))
        self.assertEqual(rules, {"step_late", "dossier_late", "late_without_apology"})
        dossier.refresh_from_db()
        self.assertTrue(dossier.is_late)
        self.assertIsNone(dossier.next_check_at)

    def test_a_leased_dossier_is_left_to_its_sweeper(self):
        from django.utils import timezone

        received = local("2026-03-02", 8)
        self.receive(receipt("S-2", received), now=received)
        Dossier.objects.filter(code="S-2").update(check_lease_until=timezone.now() + timezone.timedelta(minutes=5))
        self.assertEqual(dossiers_sweep_due(actor=self.system_account, now=local("2026-03-02", 14)), 0)
