"""R5.6, R11: the information-security demo on the hung-yen profile — demo assets never checked live, months of
history in bulk with outages and one defacement, events, one brute-force alert; idempotent."""

from __future__ import annotations

import io
import tempfile

from django.core.management import call_command
from django.test import TestCase, override_settings

from ioc.common.testing import settle_deferred_constraints
from ioc.cybersecurity import services
from ioc.cybersecurity.datasets import MALWARE_DATASET
from ioc.cybersecurity.demo import MALWARE_MONTHS, PREFIX
from ioc.cybersecurity.models import Asset, CheckResult, Exposure, SecurityEvent
from ioc.datahub.models import Record
from ioc.incidents.models import Alert


def demo_load() -> str:
    out = io.StringIO()
    call_command(
        "demo_load", "--profile", "hung-yen", "--no-units", "--only", "demo", "--only", "cybersecurity", stdout=out
    )
    return out.getvalue()


class DemoGenerateTest(TestCase):
    var: tempfile.TemporaryDirectory[str]
    override: override_settings

    @classmethod
    def setUpTestData(cls) -> None:
        cls.var = tempfile.TemporaryDirectory()
        cls.override = override_settings(VAR_DIR=cls.var.name, MEDIA_ROOT=cls.var.name + "/media")
        cls.override.enable()
        demo_load()
        settle_deferred_constraints()

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        cls.override.disable()
        cls.var.cleanup()

    def test_assets_history_and_events(self):
        assets = Asset.objects.filter(code__startswith=PREFIX)
        self.assertGreaterEqual(assets.count(), 6)
        self.assertFalse(assets.filter(is_demo=False).exists())
        self.assertEqual(services.checks_run_due(), 0)  # never checked live
        self.assertTrue(CheckResult.objects.filter(ok=False).exists())
        defaced = {
            r.asset_id for r in CheckResult.objects.filter(ok=True).exclude(problems=[]) if "defacement" in r.problems
        }
        self.assertEqual(len(defaced), 1)
        self.assertGreater(SecurityEvent.objects.count(), 1000)
        alert = Alert.objects.get(source="cybersecurity", kind="cyber.event")
        self.assertEqual(alert.dedup_key, "web01:ssh-brute-force")
        self.assertTrue(Alert.objects.filter(source="cybersecurity", kind="cyber.cert_expiry").exists())

    def test_malware_reports_and_a_forwarded_vulnerability(self):
        reports = Record.objects.filter(dataset__code=MALWARE_DATASET, is_current=True)
        agencies = reports.values("submission__agency").distinct().count()
        self.assertEqual(reports.count(), agencies * MALWARE_MONTHS)
        exposures = Exposure.objects.filter(vulnerability__code="CVE-2026-DEMO-0001")
        self.assertEqual(exposures.count(), 2)
        self.assertFalse(exposures.filter(assignment__isnull=True).exists())

    def test_a_second_run_adds_nothing(self):
        before = (Asset.objects.count(), CheckResult.objects.count(), SecurityEvent.objects.count())
        demo_load()
        self.assertEqual((Asset.objects.count(), CheckResult.objects.count(), SecurityEvent.objects.count()), before)
