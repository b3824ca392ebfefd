"""R11, R2.5: the indicators' demo generator loads the ready sets the act calls for (all when it names none), 36
months of history at territory and commune level, and targets some met and some missed; idempotent."""

import datetime as dt
import random
import time
from types import SimpleNamespace

from django.test import TestCase
from django.utils import timezone

from ioc.accounts.testing import Personas
from ioc.indicators import demo
from ioc.indicators.models import Indicator, IndicatorWarning, Value
from ioc.indicators.readysets import READY
from ioc.indicators.tests.support import territory

# The generator reads only the profile's key (communes and agencies come from the database).
PROFILE = SimpleNamespace(key="hung-yen")


class DemoTest(Personas, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        territory()

    def test_history_targets_and_statuses(self):
        started = time.perf_counter()
        until = timezone.make_aware(dt.datetime(2025, 11, 15, 9, 0))
        result = demo.generate(profile=PROFILE, rng=random.Random(7), until=until)
        self.assertLess(time.perf_counter() - started, 60)
        self.assertGreater(result["values_history"], 0)
        self.assertEqual(Indicator.objects.count(), len(READY))  # the test act names no monitored domain: all sets
        self.assertTrue(all(i.citation == "đề xuất" for i in Indicator.objects.all()))
        revenue = Indicator.objects.get(code="thu_ngan_sach")
        periods = set(Value.objects.filter(indicator=revenue, unit__isnull=True).values_list("period", flat=True))
        self.assertEqual(len(periods), 36)
        self.assertIn("202510", periods)
        self.assertTrue(Value.objects.filter(indicator=revenue, unit__isnull=False).exists())
        self.assertTrue(Value.objects.filter(indicator__code="ty_le_giai_ngan", computed=True).exists())
        statuses = set(Value.objects.exclude(status="").values_list("status", flat=True))
        self.assertTrue({"met", "not_met"} <= statuses, statuses)
        self.assertTrue(IndicatorWarning.objects.exists())
        again = demo.generate(profile=PROFILE, rng=random.Random(7), until=until)
        self.assertEqual(again, {"already_loaded": 1})
