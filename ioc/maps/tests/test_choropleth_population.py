"""R6.1 choropleth: an indicator's commune values for the map; R6.2: the selection's population appears only when
the catalogue has a population indicator with commune values."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase

from ioc.geo.models import AdminUnit
from ioc.geo.testing import HUNG_YEN_COMMUNES
from ioc.indicators import services as indicator_services
from ioc.indicators.testing import SAMPLE_CODE, sample_catalogue
from ioc.maps.tests.support import MapWorld, point_in


class ChoroplethTest(MapWorld, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.communes = list(AdminUnit.objects.filter(hierarchy="2025", code__in=HUNG_YEN_COMMUNES[:3]))
        sample_catalogue(actor=cls.system_account, agency=cls.agency_a, communes=cls.communes)

    def test_it_answers_the_latest_commune_values_and_the_page_offers_the_indicator(self):
        self.sign_in(self.client, self.leader)
        data = self.client.get(f"/api/v1/maps/choropleth/?indicator={SAMPLE_CODE}").json()
        self.assertEqual(data["period"], "202512")
        self.assertEqual({v["code"] for v in data["values"]}, {u.code for u in self.communes})
        self.assertEqual(sorted(v["value"] for v in data["values"]), [32, 35, 38])
        self.assertIn(f'<option value="{SAMPLE_CODE}">', self.client.get("/ban-do/").content.decode())

    def test_an_unknown_indicator_is_a_400(self):
        self.sign_in(self.client, self.leader)
        response = self.client.get("/api/v1/maps/choropleth/?indicator=khong_co")
        self.assertEqual(response.status_code, 400)
        self.assertIn("indicator", response.json()["error"]["fields"])

    def test_no_population_indicator_no_population(self):
        self.sign_in(self.client, self.operator)
        answer = self.client.post(
            "/api/v1/maps/selection/", {"unit": HUNG_YEN_COMMUNES[0]}, content_type="application/json"
        ).json()
        self.assertNotIn("population", answer)

    def test_a_population_indicator_gives_the_selection_its_population(self):
        indicator_services.catalog_version_approve(
            actor=self.system_account, decision_no="02/QĐ-IOC-DS", decision_date=dt.date(2025, 2, 1),
            signer="Chủ tịch UBND",
            add=[
                indicator_services.IndicatorSpec(
                    code="dan_so", name="Dân số trung bình", name_en="Average population", unit_label="người",
                    sector="kinh-te", period_type="year", levels=["territory", "commune"],
                    definition="Dân số trung bình trong năm.", agency=self.agency_a.code, citation="0201",
                )
            ],
        )  # fmt: skip
        rows = [{"indicator": "dan_so", "period": "2025", "unit": u.code, "value": 10_000.0} for u in self.communes]
        indicator_services.values_import(actor=self.system_account, rows=rows)
        self.sign_in(self.client, self.operator)
        answer = self.client.post(
            "/api/v1/maps/selection/", {"unit": self.communes[0].code}, content_type="application/json"
        ).json()
        self.assertEqual(
            answer["population"], {"indicator": "dan_so", "period": "2025", "value": 10_000, "estimate": False}
        )
        lat, lon = point_in(self.communes[0].code)
        small = self.client.post(
            "/api/v1/maps/selection/", {"point": [lat, lon], "radius_m": 100}, content_type="application/json"
        ).json()
        self.assertTrue(small["population"]["estimate"])
        self.assertLess(small["population"]["value"], 10_000)
