"""R2.4: a commune's forecast on demand (the indicator page's `?unit=`), cached by indicator × unit × the time of
its last value (a new value makes a new forecast); R2.1: the English name is shown when English is active."""

from django.core.cache import cache
from django.test import TestCase

from ioc.accounts.testing import Personas
from ioc.indicators import selectors, services
from ioc.indicators.models import Indicator
from ioc.indicators.tests.support import catalogue, communes, spec, territory


class CommuneForecastTest(Personas, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        territory()
        cls.units = communes(2)
        catalogue(cls.leader, spec("revenue", name="Thu ngân sách", name_en="Budget revenue"))
        rows = [
            {
                "indicator": "revenue",
                "period": f"{y}{m:02d}",
                "unit": u.code,
                "value": 10 + 3 * (y - 2024) * 12 + m * (1 + i),
            }
            for y in (2024, 2025)
            for m in range(1, 13)
            for i, u in enumerate(cls.units)
        ]
        services.values_import(actor=cls.officer_a, rows=rows)
        cls.indicator = Indicator.objects.get(code="revenue")

    def test_a_communes_forecast_is_its_own_and_cached_until_a_new_value(self):
        a, b = self.units
        key = selectors.forecast_key(indicator=self.indicator, unit=a, horizon=12)
        self.assertIsNone(cache.get(key))
        first = selectors.indicator_forecast(indicator=self.indicator, unit=a)
        other = selectors.indicator_forecast(indicator=self.indicator, unit=b)
        whole = selectors.indicator_forecast(indicator=self.indicator)
        assert first is not None and other is not None and whole is not None
        self.assertEqual(first.periods[0], "202601")
        self.assertNotEqual(first.point, other.point)
        self.assertGreater(whole.point[0], first.point[0])
        self.assertEqual(cache.get(key), first)
        services.values_import(
            actor=self.officer_a, rows=[{"indicator": "revenue", "period": "202601", "unit": a.code, "value": 999}]
        )
        fresh_key = selectors.forecast_key(indicator=self.indicator, unit=a, horizon=12)
        self.assertNotEqual(fresh_key, key)
        self.assertEqual(selectors.indicator_forecast(indicator=self.indicator, unit=a).periods[0], "202602")
        self.assertIsNotNone(cache.get(fresh_key))

    def test_the_indicator_page_charts_a_chosen_commune(self):
        a = self.units[0]
        self.sign_in(self.client, self.leader)
        page = self.client.get(f"/chi-so/revenue/?unit={a.code}")
        self.assertContains(page, f"{a.name}</h2>")
        self.assertContains(page, "data-forecast-method=")
        self.assertIsNotNone(cache.get(selectors.forecast_key(indicator=self.indicator, unit=a, horizon=12)))
        unknown = self.client.get("/chi-so/revenue/?unit=nope")
        self.assertContains(unknown, "(toàn địa bàn)")

    def test_the_english_name_when_english_is_active(self):
        self.sign_in(self.client, self.leader)
        self.assertContains(self.client.get("/chi-so/revenue/"), "<title>Thu ngân sách")
        self.client.cookies["django_language"] = "en"
        english = self.client.get("/chi-so/revenue/", HTTP_ACCEPT_LANGUAGE="en")
        self.assertContains(english, "Budget revenue")
        self.assertNotContains(english, "Thu ngân sách")
