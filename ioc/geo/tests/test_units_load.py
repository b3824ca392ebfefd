"""Loading the reference data: idempotent, audited per batch, limited on request, whole country (R6.1)."""

import time

from django.core.management import CommandError, call_command
from django.test import TestCase

from ioc.accounts.testing import system_actor
from ioc.audit.models import AuditEntry
from ioc.geo import index, selectors
from ioc.geo.models import AdminUnit, Succession
from ioc.geo.services import units_load
from ioc.geo.testing import SUBSET


class SubsetLoadTest(TestCase):
    def test_it_changes_nothing_when_run_again(self):
        before = AuditEntry.objects.count()
        result = units_load(actor=system_actor(), **SUBSET)
        self.assertEqual((result["units_created"], result["units_updated"]), (0, 0))
        self.assertEqual(result["successions_created"], 0)
        self.assertEqual(AuditEntry.objects.count(), before)

    def test_it_repairs_a_changed_unit_and_audits_the_batch(self):
        AdminUnit.objects.filter(hierarchy="2025", code="00070").update(name="X", name_folded="x")
        result = units_load(actor=system_actor(), **SUBSET)
        self.assertEqual(result["units_updated"], 1)
        self.assertEqual(selectors.unit_get(ref="00070").name, "Hoàn Kiếm")
        entry = AuditEntry.objects.filter(action="geo.units_load").order_by("-id")[0]
        self.assertEqual((entry.row_count, entry.changes["operation"]), (1, "update"))
        self.assertEqual(len(entry.digest), 64)

    def test_it_loads_legacy_units_behind_the_loaded_communes(self):
        legacy = AdminUnit.objects.filter(hierarchy="legacy")
        self.assertEqual(
            set(legacy.filter(level="province").values_list("code", flat=True)), {"01", "33", "34", "70", "75"}
        )
        self.assertFalse(legacy.exclude(valid_to="2025-06-30").exists())
        self.assertTrue(all(u.path.count("/") == 2 for u in legacy.filter(level="commune")))
        self.assertFalse(Succession.objects.exclude(new__hierarchy="2025").exists())

    def test_it_refuses_unknown_codes(self):
        with self.assertRaises(ValueError):
            units_load(actor=system_actor(), provinces=["99"])
        with self.assertRaises(ValueError):
            units_load(actor=system_actor(), provinces=["33"], communes=["00070"])  # 00070 is in province 01

    def test_it_fails_the_command_on_a_bad_province(self):
        with self.assertRaises(CommandError):
            call_command("geo_load", "--provinces", "99")


class NationalLoadTest(TestCase):
    def setUp(self):
        self.addCleanup(index.invalidate)  # the rollback removes the national data; drop the index built on it

    def test_it_loads_the_whole_country(self):
        started = time.perf_counter()
        result = units_load(actor=system_actor())
        seconds = time.perf_counter() - started
        print(f"\nnational units_load: {seconds:.2f} s ({result})")
        current = AdminUnit.objects.filter(hierarchy="2025")
        legacy = AdminUnit.objects.filter(hierarchy="legacy")
        self.assertEqual(current.filter(level="province").count(), 34)
        self.assertEqual(current.filter(level="commune").count(), 3321)
        self.assertEqual(legacy.filter(level="province").count(), 63)
        self.assertEqual(legacy.filter(level="district").count(), 696)
        self.assertEqual(legacy.filter(level="commune").count(), 10035)
        # 10,648 rows in the file, 12 of whose old codes were absorbed before the legacy list was taken
        self.assertEqual(Succession.objects.count(), 10636)
        self.assertFalse(current.filter(geometry="").exists())
        self.assertEqual(selectors.unit_at_point(lat=21.0287, lon=105.8523).code, "00070")
