"""GET /api/v1/geo/lookup/?lat=&lon= → the 2025 commune; bad input → 400 naming the field (R6.1)."""

from django.test import TestCase

from ioc.geo.tests.test_point_lookup import OFFSHORE_NEAR, SEA

URL = "/api/v1/geo/lookup/"


class PointLookupApiTest(TestCase):
    def test_it_answers_the_commune_of_a_point(self):
        response = self.client.get(URL, {"lat": "21.0287", "lon": "105.8523"})
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(body["unit"]["ref"], "00070")
        self.assertEqual(body["unit"]["parent"], "01")
        self.assertTrue(body["inside"])
        self.assertEqual(body["grid_cell"], "2102:10585")
        self.assertIn("public", response["Cache-Control"])

    def test_it_answers_the_nearest_commune_within_1_km(self):
        body = self.client.get(URL, {"lat": str(OFFSHORE_NEAR[0]), "lon": str(OFFSHORE_NEAR[1])}).json()
        self.assertEqual(body["unit"]["ref"], "13066")
        self.assertFalse(body["inside"])

    def test_it_refuses_a_point_outside_the_country(self):
        response = self.client.get(URL, {"lat": str(SEA[0]), "lon": str(SEA[1])})
        self.assertEqual(response.status_code, 400)
        fields = response.json()["error"]["fields"]
        self.assertIn("ngoài lãnh thổ", fields["lat"][0])
        self.assertIn("lon", fields)

    def test_it_names_the_missing_field(self):
        response = self.client.get(URL, {"lat": "21.0"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(list(response.json()["error"]["fields"]), ["lon"])

    def test_it_names_a_non_numeric_field(self):
        for params, field in [({"lat": "abc", "lon": "105"}, "lat"), ({"lat": "21", "lon": "nan"}, "lon")]:
            with self.subTest(params=params):
                response = self.client.get(URL, params)
                self.assertEqual(response.status_code, 400)
                self.assertEqual(list(response.json()["error"]["fields"]), [field])

    def test_it_names_an_out_of_range_field(self):
        response = self.client.get(URL, {"lat": "21", "lon": "190"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("[-180, 180]", response.json()["error"]["fields"]["lon"][0])
