"""R2.3: the sector dashboard's query count does not grow with the number of indicators (locked)."""

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from ioc.accounts.testing import Personas
from ioc.indicators import services
from ioc.indicators.tests.support import catalogue, communes, spec, territory

QUERIES = 18  # session, user, roles, scope, catalogue, cards, targets, series, forecast, map, warnings


class DashboardQueriesTest(Personas, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        territory()
        cls.unit = communes(1)[0]
        catalogue(cls.leader, *[spec(f"ind{k}") for k in range(8)])

    def load(self, count):
        rows = [
            {"indicator": f"ind{k}", "period": f"2025{m:02d}", "unit": self.unit.code, "value": 5 + m}
            for k in range(count) for m in range(1, 13)
        ]  # fmt: skip
        services.values_import(actor=self.operator, rows=rows)

    def queries(self):
        self.sign_in(self.client, self.leader)
        self.client.get("/chi-so/")  # warm the forecast cache and the session
        with CaptureQueriesContext(connection) as ctx:
            self.assertEqual(self.client.get("/chi-so/").status_code, 200)
        return len(ctx.captured_queries)

    def test_the_query_count_is_locked(self):
        self.load(2)
        few = self.queries()
        self.load(8)
        self.assertEqual(self.queries(), few)
        self.assertEqual(few, QUERIES)
