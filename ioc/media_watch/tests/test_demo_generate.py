"""R11, issue 22 item 7: the watch's demo — months of team-written items in audited bulk batches, two weeks through
the ingest service, a flood surging now that raises one hot-topic alert; idempotent; nothing fetched."""

from __future__ import annotations

import io
import re
import tempfile
from typing import Any

from django.core.management import call_command
from django.test import TestCase, override_settings

from ioc.audit.models import AuditEntry
from ioc.common.testing import settle_deferred_constraints
from ioc.incidents.models import Alert
from ioc.media_watch.demo import MARKER_ACTION
from ioc.media_watch.models import CollectorRun, Handling, Item, ItemTopic, Source


def demo_load() -> dict[str, Any]:
    out = io.StringIO()
    call_command(
        "demo_load", "--profile", "hung-yen", "--no-units", "--only", "demo", "--only", "media_watch", stdout=out
    )
    line = re.search(r"^demo_load: ioc\.media_watch\.demo \(([\d.]+) s\) (.*)$", out.getvalue(), re.M)
    assert line is not None, out.getvalue()
    figures = {key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", line.group(2))}
    return {**figures, "seconds": float(line.group(1))}


class DemoGenerateTest(TestCase):
    result: dict[str, Any]
    var: tempfile.TemporaryDirectory[str]
    override: override_settings

    @classmethod
    def setUpTestData(cls) -> None:
        cls.var = tempfile.TemporaryDirectory()
        cls.override = override_settings(VAR_DIR=cls.var.name, MEDIA_ROOT=cls.var.name + "/media")
        cls.override.enable()
        cls.result = demo_load()
        print(cls.result)
        settle_deferred_constraints()

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        cls.override.disable()
        cls.var.cleanup()

    def test_a_few_thousand_items_with_history_in_bulk_and_a_flood_surging(self):
        self.assertGreater(Item.objects.count(), 2500)
        self.assertGreater(self.result["history"], 2000)
        self.assertTrue(AuditEntry.objects.filter(action="media_item.history_load").exists())
        self.assertTrue(ItemTopic.objects.filter(topic__name="Ngập lụt, thiên tai").exists())
        alert = Alert.objects.get(source="media_watch", kind="media.hot_topic")
        self.assertIn("Ngập lụt", alert.title)
        self.assertFalse(Source.objects.filter(is_active=True).exists())  # demo sources are never fetched
        self.assertFalse(CollectorRun.objects.exists())

    def test_a_second_load_changes_nothing(self):
        before = Item.objects.count()
        self.assertEqual(demo_load().get("already_loaded"), 1)
        self.assertEqual(Item.objects.count(), before)
        self.assertEqual(AuditEntry.objects.filter(action=MARKER_ACTION).count(), 1)

    def test_negative_items_are_forwarded_and_two_in_three_answered(self):
        forwarded = Handling.objects.filter(kind=Handling.KIND_FORWARD)
        self.assertEqual((self.result["forwarded"], forwarded.count()), (12, 12))
        self.assertEqual(forwarded.filter(answered_at__isnull=False).count(), self.result["answered"])
        self.assertEqual(self.result["answered"], 8)
        self.assertFalse(forwarded.filter(item__sentiment__gte=0).exists())
