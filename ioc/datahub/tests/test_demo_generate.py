"""R11, issue 10 item 10: the data hub's demo — eight datasets of the profile's agencies (five map layers, one
with a paused connector), a year of submissions in audited bulk batches (some rejected), the last 14 days through
the ingest service, idempotent, within budget."""

from __future__ import annotations

from django.test import TestCase

from ioc.audit.models import AuditEntry
from ioc.common.testing import DemoLoadTestCase, demo_load
from ioc.datahub import selectors
from ioc.datahub.demo import MARKER_ACTION, SPECS
from ioc.datahub.models import Dataset, Record, Submission
from ioc.geo.models import Territory


class DemoGenerateTest(DemoLoadTestCase, TestCase):
    demo_only = ("datahub",)
    demo_module = "ioc.datahub.demo"

    def test_it_publishes_the_datasets_owned_by_the_profiles_agencies(self) -> None:
        self.assertEqual(set(Dataset.objects.values_list("code", flat=True)), {s.code for s in SPECS})
        self.assertEqual(Dataset.objects.get(code="co-so-y-te").owner.code, "so-y-te")
        self.assertEqual(Dataset.objects.get(code="thu-ngan-sach").owner.code, "so-tai-chinh")

    def test_a_year_of_history_in_audited_batches_with_rejections(self) -> None:
        self.assertGreaterEqual(self.result["submissions_history"], 20)
        self.assertEqual(AuditEntry.objects.filter(action="submission.load_bulk").count(), len(SPECS))
        rejected = Submission.objects.filter(status="rejected")
        self.assertGreaterEqual(rejected.count(), 3)
        self.assertTrue(all(s.errors for s in rejected))
        communes = Territory.objects.get(profile="hung-yen").communes.count()
        revenue = Record.objects.filter(dataset__code="thu-ngan-sach", is_current=True)
        self.assertEqual(revenue.count(), communes * 12)

    def test_the_last_days_went_through_the_service_a_correction_kept_its_history(self) -> None:
        self.assertEqual(
            AuditEntry.objects.filter(action="submission.ingest").count(), self.result["submissions_recent"]
        )
        old = Record.objects.filter(dataset__code="co-so-y-te", is_current=False)
        self.assertEqual(old.count(), 3)
        tcvn3 = Submission.objects.get(dataset__code="co-so-y-te", file_name="tram-y-te.csv")
        self.assertIn("TCVN3", tcvn3.errors[0]["reason"])

    def test_its_point_datasets_are_map_layers(self) -> None:
        from ioc.accounts.models import User

        leader = User.objects.filter(role_assignments__role="ioc_leader").first()
        territory = Territory.objects.get(profile="hung-yen")
        features = selectors.datahub_features(user=leader, bbox=(-90, -180, 90, 180), limit=5000)
        layers = {f["layer"] for f in features}
        self.assertEqual(layers, {"hospital", "school", "environment", "tourist_site", "power", "water"})
        self.assertGreaterEqual(len([f for f in features if f["layer"] == "school"]), 2 * territory.communes.count())

    def test_the_water_plants_have_a_paused_pull_connector(self) -> None:
        from ioc.datahub.models import Connector

        connector = Connector.objects.get(dataset__code="nha-may-nuoc")
        self.assertFalse(connector.is_active)
        self.assertTrue(connector.url.startswith("https://") and ".invalid/" in connector.url)

    def test_it_is_idempotent(self) -> None:
        before = Submission.objects.count()
        self.assertEqual(demo_load(*self.demo_only, module=self.demo_module)[1]["already_loaded"], 1)
        self.assertEqual(Submission.objects.count(), before)
        self.assertEqual(AuditEntry.objects.filter(action=MARKER_ACTION).count(), 1)

    def test_obligations_are_set_and_some_are_missing_and_some_answered(self) -> None:
        from ioc.accounts.selectors import system_account

        self.assertEqual(self.result["obligations"], len(SPECS) + 3)
        board = selectors.compliance_board(user=system_account(), days=90)
        counts = {state: sum(row.counts.get(state, 0) for row in board) for state in ("on_time", "late", "missing")}
        self.assertGreater(counts["missing"], 0)
        self.assertGreater(counts["on_time"] + counts["late"], 0)
