"""R11: the map draws the deployment territory's communes (GET /api/v1/geo/territory/boundaries/)."""

import datetime as dt

from django.test import TestCase, override_settings

from ioc.accounts.testing import system_actor
from ioc.geo.services import territory_set


@override_settings(IOC_PROFILE="loc-ninh")
class TerritoryBoundariesApiTest(TestCase):
    url = "/api/v1/geo/territory/boundaries/"

    def test_it_answers_404_before_a_territory_is_loaded(self):
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 404)
        self.assertIn("error", response.json())

    def test_it_draws_only_the_territorys_communes(self):
        territory_set(
            actor=system_actor(),
            profile="loc-ninh",
            name="Huyện Lộc Ninh",
            commune_codes=["25270"],
            former_ref="legacy:692",
            act_date=dt.date(2024, 8, 29),
        )
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(body["type"], "FeatureCollection")
        self.assertEqual([f["properties"]["code"] for f in body["features"]], ["25270"])
        self.assertIn("public", response["Cache-Control"])
