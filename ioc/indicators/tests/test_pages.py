"""R2.3–R2.6 pages: the sector dashboard (cards, statuses, warnings), the indicator page (definition, citation,
versions, forecast), the "what I owe" page with the value form (errors on their fields) and the data-call form."""

import datetime as dt

from django.test import TestCase
from django.utils import timezone

from ioc.accounts.testing import Personas
from ioc.indicators import services
from ioc.indicators.models import DataCall, Indicator, Value
from ioc.indicators.tests.support import catalogue, communes, spec, territory


class PagesTest(Personas, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        territory()
        cls.units = communes(3)
        catalogue(cls.leader, spec("revenue", citation="Mã 0501 (Hệ thống chỉ tiêu thống kê quốc gia)"))
        rows = [
            {"indicator": "revenue", "period": f"{y}{m:02d}", "unit": u.code, "value": 10 + m + i}
            for y in (2024, 2025)
            for m in range(1, 13)
            for i, u in enumerate(cls.units)
        ]
        services.values_import(actor=cls.officer_a, rows=rows)
        revenue = Indicator.objects.get(code="revenue")
        services.target_set(actor=cls.leader, indicator=revenue, unit_id=None, period="202512", value=500)

    def test_the_dashboard_shows_cards_statuses_chart_map_and_warnings(self):
        self.sign_in(self.client, self.leader)
        response = self.client.get("/chi-so/")
        self.assertEqual(response.status_code, 200)
        page = response.content.decode()
        self.assertIn('data-indicator="revenue" data-status="not_met"', page)
        self.assertIn("indicator-chart-data", page)
        self.assertIn("indicator-map-data", page)
        self.assertIn("data-forecast-method=", page)
        self.assertIn("data-warning=", page)

    def test_the_indicator_page_shows_definition_citation_and_versions(self):
        self.sign_in(self.client, self.officer_b)
        page = self.client.get("/chi-so/revenue/").content.decode()
        self.assertIn("Mã 0501", page)
        self.assertIn('data-revision="1"', page)
        self.assertEqual(self.client.get("/chi-so/nope/").status_code, 404)

    def test_an_officer_enters_a_value_and_bad_input_is_shown_on_its_field(self):
        self.sign_in(self.client, self.officer_a)
        self.assertEqual(self.client.get("/chi-so/phai-bao-cao/").status_code, 200)
        ok = {"indicator": "revenue", "period": "202601", "unit": self.units[0].code, "value": "5"}
        self.assertEqual(self.client.post("/chi-so/phai-bao-cao/nhap/", ok).status_code, 302)
        self.assertTrue(Value.objects.filter(period="202601", unit=self.units[0]).exists())
        bad = {**ok, "period": "2026Q1"}
        response = self.client.post("/chi-so/phai-bao-cao/nhap/", bad)
        self.assertEqual(response.status_code, 400)
        self.assertIn('data-field="period"', response.content.decode())
        self.assertEqual(self.client.get("/chi-so/phai-bao-cao/nhap/").status_code, 405)

    def test_the_operator_asks_an_agency_for_data_and_the_agency_sees_it(self):
        self.sign_in(self.client, self.operator)
        deadline = (timezone.localtime() + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
        form = {"indicator": "revenue", "period": "202602", "kind": "ad_hoc", "deadline_at": deadline, "note": ""}
        self.assertEqual(self.client.post("/chi-so/phai-bao-cao/yeu-cau/", form).status_code, 302)
        call = DataCall.objects.get()
        self.sign_in(self.client, self.officer_a)
        self.assertIn(f'data-call="{call.pk}"', self.client.get("/chi-so/phai-bao-cao/").content.decode())
        self.sign_in(self.client, self.officer_b)
        self.assertNotIn(f'data-call="{call.pk}"', self.client.get("/chi-so/phai-bao-cao/").content.decode())
        self.assertEqual(self.client.post("/chi-so/phai-bao-cao/yeu-cau/", form).status_code, 403)
