"""R11, issue 23 item 8: the dossiers demo — a year in bulk (audited per agency), the last 14 days through the
intake service with nothing refused, a chronic bottleneck, canary contacts; idempotent."""

from __future__ import annotations

import io
import re
import tempfile
from typing import Any, ClassVar

from django.core.management import call_command
from django.db.models import Count
from django.test import TestCase, override_settings

from ioc.audit.models import AuditEntry
from ioc.common.privacy import blind_index
from ioc.common.testing import settle_deferred_constraints
from ioc.dossiers.demo import CANARY_PHONE
from ioc.dossiers.models import Dossier, DossierEvent, ServiceScore, Violation


def demo_load() -> dict[str, float]:
    out = io.StringIO()
    call_command("demo_load", "--profile", "hung-yen", "--no-units", "--only", "demo", "--only", "dossiers", stdout=out)
    line = re.search(r"^demo_load: ioc\.dossiers\.demo \(([\d.]+) s\) (.*)$", out.getvalue(), re.M)
    assert line is not None, out.getvalue()
    figures = {key: float(value) for key, value in re.findall(r"(\w+)=(\d+)", line.group(2))}
    return {**figures, "seconds": float(line.group(1))}


class DemoGenerateTest(TestCase):
    result: ClassVar[dict[str, float]]
    settings: ClassVar[Any]
    var: ClassVar[Any]

    @classmethod
    def setUpTestData(cls) -> None:
        cls.var = tempfile.TemporaryDirectory()
        cls.settings = override_settings(VAR_DIR=cls.var.name, MEDIA_ROOT=cls.var.name + "/media")
        cls.settings.enable()
        cls.result = demo_load()
        settle_deferred_constraints()

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        cls.settings.disable()
        cls.var.cleanup()

    def test_a_year_in_bulk_and_the_last_days_through_the_service(self):
        self.assertGreater(self.result["dossiers"], 1000)
        self.assertGreater(self.result["recent_events"], 100)
        self.assertEqual(self.result["refused"], 0)
        self.assertTrue(AuditEntry.objects.filter(action="dossier.bulk_load").exists())
        self.assertTrue(AuditEntry.objects.filter(action="dossier_event.receive").exists())
        self.assertTrue(Violation.objects.filter(state="open").exists())
        self.assertTrue(Dossier.objects.filter(status__in=["received", "processing", "supplement"]).exists())
        self.assertGreater(self.result["scores"], 12)  # Decision 766's values of the year's months
        self.assertTrue(ServiceScore.objects.filter(scope="agency", total__gt=0).exists())

    def test_a_chronic_bottleneck_and_canary_contacts(self):
        late = Violation.objects.filter(rule="step_late").values("step_code", "dossier__version__procedure__code")
        top = late.annotate(n=Count("pk")).order_by("-n").first()
        assert top is not None
        self.assertEqual((top["step_code"], top["dossier__version__procedure__code"]), ("tham-dinh", "DM.000001"))
        # Every contact is a canary number (0900000000–0900000999, by the dossier's serial): which serials the
        # year's draws keep depends on the day the demo runs, so any canary is looked for, not one number.
        canaries = [blind_index(CANARY_PHONE.format(n)) for n in range(1000)]
        self.assertTrue(Dossier.objects.filter(contact_index__in=canaries).exists())
        self.assertFalse(Dossier.objects.exclude(contact_index__in=canaries).exclude(contact_index="").exists())
        self.assertGreater(DossierEvent.objects.count(), 5 * 1000)

    def test_a_second_run_adds_nothing(self):
        before = Dossier.objects.count()
        self.assertEqual(demo_load()["dossiers"], 0)
        self.assertEqual(Dossier.objects.count(), before)
