"""R2.4 at scale: `territory_forecasts` forecasts many indicators' territory series at once (vectorised per period
type and length) with the same figures `indicator_forecast` gives one by one, and leaves them in its cache."""

from unittest import mock

from django.core.cache import cache
from django.test import TestCase

from ioc.accounts.testing import Personas
from ioc.indicators import analysis, selectors, services
from ioc.indicators.models import Indicator
from ioc.indicators.tests.support import catalogue, spec, territory


class TerritoryForecastsTest(Personas, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        territory()
        catalogue(
            cls.leader,
            spec("flat", levels=["territory"]),
            spec("trend", levels=["territory"]),
            spec("quarterly", levels=["territory"], period_type="quarter"),
            spec("short", levels=["territory"]),
            spec("empty", levels=["territory"]),
        )
        rows = [
            {"indicator": code, "period": f"{y}{m:02d}", "unit": "territory", "value": value(y, m)}
            for code, value in (("flat", lambda y, m: 50 + (m % 3)), ("trend", lambda y, m: 10 * (y - 2023) * 12 + m))
            for y in (2023, 2024, 2025)
            for m in range(1, 13)
        ]
        rows += [
            {"indicator": "short", "period": f"2025{m:02d}", "unit": "territory", "value": m} for m in range(4, 13)
        ]
        rows += [
            {"indicator": "quarterly", "period": f"{y}Q{q}", "unit": "territory", "value": 100 + q * 10 + y - 2022}
            for y in (2022, 2023, 2024, 2025)
            for q in (1, 2, 3, 4)
        ]
        services.values_import(actor=cls.leader, rows=rows)

    def test_the_same_forecasts_as_one_by_one_and_cached(self):
        indicators = list(Indicator.objects.order_by("code"))
        views = selectors.territory_forecasts(indicators=indicators)
        self.assertEqual(set(views), {i.pk for i in indicators if i.code != "empty"})
        with mock.patch.object(analysis, "forecast", side_effect=AssertionError("computed again")):
            for indicator in indicators:
                self.assertEqual(selectors.indicator_forecast(indicator=indicator), views.get(indicator.pk))
        cache.clear()
        for indicator in indicators:
            self.assertEqual(selectors.indicator_forecast(indicator=indicator), views.get(indicator.pk), indicator.code)
        trend = views[Indicator.objects.get(code="trend").pk]
        self.assertEqual(trend.periods[:2], ["202601", "202602"])
        self.assertEqual(
            views[Indicator.objects.get(code="quarterly").pk].periods, ["2026Q1", "2026Q2", "2026Q3", "2026Q4"]
        )
