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


@override_settings(IOC_PROFILE="loc-ninh")
class TerritoryMapFirstScreenTest(TestCase):
    """Issue 20 "Speed": the territory's box for a map that fits at once, the communes kept per process until the
    territory changes, and the answer compressed with a (weak) ETag that still revalidates to 304."""

    url = "/api/v1/geo/territory/boundaries/"

    def territory(self, codes):
        territory_set(
            actor=system_actor(), profile="loc-ninh", name="Huyện Lộc Ninh", commune_codes=codes,
            act_date=dt.date(2024, 8, 29),
        )  # fmt: skip

    def test_the_box_spans_the_communes_bounding_boxes(self):
        from ioc.geo.models import AdminUnit
        from ioc.geo.selectors import territory_bounds

        self.assertIsNone(territory_bounds(profile="loc-ninh"))
        self.territory(["00070", "25270"])
        units = AdminUnit.objects.filter(hierarchy="2025", code__in=["00070", "25270"])
        expected = (
            min(u.min_lon for u in units), min(u.min_lat for u in units),
            max(u.max_lon for u in units), max(u.max_lat for u in units),
        )  # fmt: skip
        self.assertEqual(territory_bounds(profile="loc-ninh"), expected)

    def test_a_changed_territory_is_drawn_at_once(self):
        self.territory(["25270"])
        self.assertEqual(len(self.client.get(self.url).json()["features"]), 1)
        with self.assertNumQueries(1):  # the territory row; the communes come from the process's copy
            self.client.get(self.url)
        self.territory(["00070", "25270"])
        codes = [f["properties"]["code"] for f in self.client.get(self.url).json()["features"]]
        self.assertEqual(codes, ["00070", "25270"])

    def test_it_is_compressed_and_revalidates_with_its_etag(self):
        import gzip
        import json

        self.territory(["25270"])
        plain = self.client.get(self.url)
        packed = self.client.get(self.url, HTTP_ACCEPT_ENCODING="gzip")
        self.assertNotIn("Content-Encoding", plain)
        self.assertEqual(packed["Content-Encoding"], "gzip")
        self.assertIn("Accept-Encoding", packed["Vary"])
        self.assertEqual(json.loads(gzip.decompress(packed.content)), plain.json())
        # One commune's outline is about a kilobyte, which gzip shrinks by only about half: the check is that it
        # shrinks, not by how much (the real territory's ratio is in docs/benchmarks.md).
        self.assertLess(len(packed.content), len(plain.content))
        again = self.client.get(self.url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=packed["ETag"])
        self.assertEqual(again.status_code, 304)
