"""R2.1, R2.3: aggregation up the hierarchy, formulas, statuses at the boundaries, warnings once per indicator ×
unit × period across recomputations, and the "will miss the annual target" warning."""

from django.test import TestCase

from ioc.accounts.testing import Personas
from ioc.geo.models import AdminUnit
from ioc.incidents.models import Alert
from ioc.indicators import services
from ioc.indicators.models import IndicatorWarning, Value
from ioc.indicators.status import status_of
from ioc.indicators.tests.support import catalogue, communes, spec, territory
from ioc.notifications.models import Outbox


class RecomputeTest(Personas, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        territory()
        cls.units = communes(3)
        catalogue(
            cls.leader,
            spec("revenue"),
            spec("score", aggregation="mean"),
            spec("population"),
            spec("rate", aggregation="weighted_mean", weight_code="population"),
            spec("per_capita", source="formula", formula="revenue * 1000 / population", allow_negative=True),
        )

    def put(self, code, values, period="202501"):
        rows = [
            {"indicator": code, "period": period, "unit": u.code, "value": v}
            for u, v in zip(self.units, values, strict=False)
        ]
        summary = services.values_import(actor=self.officer_a, rows=rows)
        self.assertEqual(summary["status"], "accepted", summary)

    def territory_value(self, code, period="202501"):
        return Value.objects.get(indicator__code=code, unit__isnull=True, period=period)

    def test_sum_mean_and_weighted_mean_up_the_hierarchy(self):
        self.put("revenue", [10, 20, 30])
        self.put("score", [1, 2, 6])
        self.put("population", [100, 100, 200])
        self.put("rate", [10, 20, 40])
        self.assertEqual(self.territory_value("revenue").value, 60)
        self.assertTrue(self.territory_value("revenue").computed)
        self.assertEqual(self.territory_value("score").value, 3)
        self.assertAlmostEqual(self.territory_value("rate").value, (1000 + 2000 + 8000) / 400)
        self.put("revenue", [10, 20, 0])
        self.assertEqual(self.territory_value("revenue").value, 30)

    def test_formulas_follow_their_inputs_at_every_level(self):
        self.put("revenue", [10, 20, 30])
        self.put("population", [100, 100, 200])
        per_capita = Value.objects.get(indicator__code="per_capita", unit=self.units[2], period="202501")
        self.assertEqual(per_capita.value, 150)
        self.assertEqual(self.territory_value("per_capita").value, 60 * 1000 / 400)

    def test_a_reported_territory_value_is_not_overwritten(self):
        services.values_import(
            actor=self.officer_a, rows=[{"indicator": "revenue", "period": "202501", "unit": "territory", "value": 99}]
        )
        self.put("revenue", [1, 2, 3])
        self.assertEqual(self.territory_value("revenue").value, 99)

    def test_statuses_at_the_boundaries(self):
        kw = {"direction": "higher", "target": 100.0, "tolerance": 0.05}
        self.assertEqual(status_of(value=100, **kw), "met")
        self.assertEqual(status_of(value=95, **kw), "at_risk")
        self.assertEqual(status_of(value=94.99, **kw), "not_met")
        low = {"direction": "lower", "target": 10.0, "tolerance": 0.1}
        self.assertEqual(status_of(value=10, **low), "met")
        self.assertEqual(status_of(value=11, **low), "at_risk")
        self.assertEqual(status_of(value=11.01, **low), "not_met")
        band = {"direction": "range", "target": None, "range_low": 2.0, "range_high": 4.0, "tolerance": 0.25}
        self.assertEqual(status_of(value=4, **band), "met")
        self.assertEqual(status_of(value=4.5, **band), "at_risk")
        self.assertEqual(status_of(value=1.4, **band), "not_met")
        self.assertEqual(status_of(value=1, direction="higher", target=None), "")

    def test_one_warning_and_one_message_per_indicator_unit_period(self):
        revenue = self.territory_value_indicator()
        services.target_set(actor=self.leader, indicator=revenue, unit_id=None, period="202501", value=100)
        self.put("revenue", [10, 20, 30])
        warning = IndicatorWarning.objects.get(indicator=revenue, unit__isnull=True, period="202501")
        self.assertEqual((warning.kind, warning.value, warning.target), ("not_met", 60, 100))
        self.assertEqual(self.territory_value("revenue").status, "not_met")
        sent = Outbox.objects.filter(dedup_key=warning.dedup_key)
        recipients = set(sent.values_list("recipient_user", flat=True))
        self.assertEqual(recipients, {self.leader.pk, self.officer_a.pk})
        count = sent.count()
        self.put("revenue", [10, 20, 31])  # recomputed, still not met
        self.put("revenue", [10, 20, 32])
        self.assertEqual(IndicatorWarning.objects.filter(indicator=revenue).count(), 1)
        self.assertEqual(Outbox.objects.filter(dedup_key__startswith="indicator:").count(), count)
        self.put("revenue", [40, 40, 16])  # 96: at risk, no new warning
        self.assertEqual(self.territory_value("revenue").status, "at_risk")
        self.assertEqual(IndicatorWarning.objects.filter(indicator=revenue).count(), 1)
        # R4.1: the territory-wide warning is one alert in the IOC's inbox, keyed by the warning
        alert = Alert.objects.get(source="indicators")
        self.assertEqual(
            (alert.kind, alert.dedup_key, alert.state), ("indicator.target_miss", warning.dedup_key, "new")
        )
        self.assertIn("revenue", alert.title)

    def test_a_communes_warning_stays_off_the_inbox(self):
        from ioc.indicators.services.warnings import warning_raise

        revenue = self.territory_value_indicator()
        unit = AdminUnit.objects.filter(hierarchy="2025", level="commune").first()
        assert unit is not None
        warning_raise(indicator=revenue, unit_id=unit.pk, period="202501", kind="not_met", value=1, target=2)
        self.assertTrue(IndicatorWarning.objects.filter(unit=unit).exists())
        self.assertFalse(Alert.objects.filter(source="indicators").exists())

    def territory_value_indicator(self):
        from ioc.indicators.models import Indicator

        return Indicator.objects.get(code="revenue")

    def test_likely_to_miss_the_annual_target(self):
        revenue = self.territory_value_indicator()
        rows = [
            {"indicator": "revenue", "period": f"{y}{m:02d}", "unit": "territory", "value": 80 + m}
            for y in (2023, 2024)
            for m in range(1, 13)
        ] + [
            {"indicator": "revenue", "period": f"2025{m:02d}", "unit": "territory", "value": 80 + m} for m in (1, 2, 3)
        ]
        services.values_import(actor=self.officer_a, rows=rows)
        services.target_set(actor=self.leader, indicator=revenue, unit_id=None, period="2025", value=1500)
        warning = IndicatorWarning.objects.get(indicator=revenue, period="2025")
        self.assertEqual(warning.kind, "likely_miss")
        self.assertAlmostEqual(warning.value, sum(80 + m for m in range(1, 13)), delta=15)
        self.assertTrue(Outbox.objects.filter(dedup_key=warning.dedup_key).exists())
        services.target_set(actor=self.leader, indicator=revenue, unit_id=None, period="2025", value=1000)
        services.target_set(actor=self.leader, indicator=revenue, unit_id=None, period="2025", value=1500)
        self.assertEqual(IndicatorWarning.objects.filter(indicator=revenue).count(), 1)

    def test_a_target_for_a_retired_indicator_or_outside_the_levels_is_refused(self):
        from django.core.exceptions import ValidationError

        from ioc.indicators.models import Target
        from ioc.indicators.tests.support import DECISION

        revenue = self.territory_value_indicator()
        with self.assertRaises(ValidationError) as caught:
            services.target_set(actor=self.leader, indicator=revenue, unit_id=None, period="2025W3", value=1)
        self.assertIn("period", caught.exception.message_dict)
        with self.assertRaises(ValidationError) as caught:
            services.target_set(actor=self.leader, indicator=revenue, unit_id=None, period="2025", value=-1)
        self.assertIn("value", caught.exception.message_dict)
        services.catalog_version_approve(actor=self.leader, retire=["score"], **DECISION)
        score = revenue.__class__.objects.get(code="score")
        with self.assertRaises(ValidationError) as caught:
            services.target_set(actor=self.leader, indicator=score, unit_id=None, period="2025", value=1)
        self.assertIn("indicator", caught.exception.message_dict)
        self.assertFalse(Target.objects.exists())


class LastAndNoneAggregationTest(Personas, TestCase):
    """R2.1: `last` (a stock: summed over the communes of a period, its last period stands for the year, as DHIS2's
    "last value" aggregation) and `none` (never aggregated: the territory value is only what is reported)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        territory()
        cls.units = communes(3)
        catalogue(cls.leader, spec("beds", aggregation="last"), spec("rank", aggregation="none"))

    def put(self, code, values, period="202501"):
        rows = [
            {"indicator": code, "period": period, "unit": u.code, "value": v}
            for u, v in zip(self.units, values, strict=True)
        ]
        summary = services.values_import(actor=self.officer_a, rows=rows)
        self.assertEqual(summary["status"], "accepted", summary)

    def test_last_sums_the_communes_of_each_period(self):
        self.put("beds", [10, 20, 30], period="202501")
        self.put("beds", [11, 20, 30], period="202502")
        territory_values = dict(
            Value.objects.filter(indicator__code="beds", unit__isnull=True).values_list("period", "value")
        )
        self.assertEqual(territory_values, {"202501": 60, "202502": 61})
        self.assertTrue(Value.objects.get(indicator__code="beds", unit__isnull=True, period="202502").computed)

    def test_last_judges_the_year_by_its_last_period_not_its_total(self):
        from ioc.indicators.models import Indicator

        beds = Indicator.objects.get(code="beds")
        for month in range(1, 13):
            self.put("beds", [100, 100, 100 - month * 5], period=f"2025{month:02d}")  # December: 240
        services.target_set(actor=self.leader, indicator=beds, unit_id=None, period="2025", value=300)
        warning = IndicatorWarning.objects.get(indicator=beds, unit__isnull=True, period="2025")
        # December's 240 against 300, where the year's total (3,210) would pass
        self.assertEqual((warning.kind, warning.value, warning.target), ("not_met", 240, 300))
        services.target_set(actor=self.leader, indicator=beds, unit_id=None, period="2025", value=240)
        self.assertEqual(IndicatorWarning.objects.filter(indicator=beds).count(), 1)  # met now: nothing new

    def test_none_computes_no_territory_value(self):
        self.put("rank", [1, 2, 3])
        self.assertFalse(Value.objects.filter(indicator__code="rank", unit__isnull=True).exists())
        self.assertEqual(Value.objects.filter(indicator__code="rank", computed=True).count(), 0)

    def test_none_keeps_the_reported_territory_value_when_communes_change(self):
        services.values_import(
            actor=self.officer_a, rows=[{"indicator": "rank", "period": "202501", "unit": "territory", "value": 7}]
        )
        self.put("rank", [1, 2, 3])
        self.put("rank", [4, 5, 6])
        territory_value = Value.objects.get(indicator__code="rank", unit__isnull=True, period="202501")
        self.assertEqual((territory_value.value, territory_value.computed), (7, False))
