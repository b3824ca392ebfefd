"""Public, cacheable GETs of administrative units under /api/v1/geo/ (R6.1)."""

from django.test import TestCase

BASE = "/api/v1/geo/units/"


class UnitsApiTest(TestCase):
    def test_it_answers_a_2025_unit_by_bare_code(self):
        response = self.client.get(f"{BASE}25270/")
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual((body["ref"], body["full_name"], body["hierarchy"]), ("25270", "Phường Lộc Ninh", "2025"))
        self.assertEqual(body["parent"], "75")
        self.assertEqual(len(body["bbox"]), 4)

    def test_it_answers_a_legacy_unit(self):
        body = self.client.get(f"{BASE}legacy:25270/").json()
        self.assertEqual((body["ref"], body["full_name"]), ("legacy:25270", "Thị trấn Lộc Ninh"))
        self.assertEqual((body["parent"], body["valid_to"], body["bbox"]), ("legacy:692", "2025-06-30", None))

    def test_it_answers_404_for_an_unknown_code(self):
        response = self.client.get(f"{BASE}99999/")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response.json()["error"]["code"], "not_found")
        self.assertIn("99999", response.json()["error"]["message"])

    def test_it_answers_400_for_a_malformed_ref(self):
        response = self.client.get(f"{BASE}abc/")
        self.assertEqual(response.status_code, 400)
        self.assertIn("ref", response.json()["error"]["fields"])

    def test_it_lists_units_with_filters(self):
        response = self.client.get(BASE, {"level": "province"})
        self.assertEqual([u["ref"] for u in response.json()["results"]], ["01", "33", "75"])
        body = self.client.get(BASE, {"hierarchy": "legacy", "level": "province"}).json()
        self.assertEqual(body["count"], 5)  # Hà Nội, Hưng Yên, Thái Bình, Bình Phước, Đồng Nai
        body = self.client.get(BASE, {"q": "loc ninh", "hierarchy": "legacy"}).json()
        self.assertIn("legacy:25270", [u["ref"] for u in body["results"]])

    def test_it_paginates_the_list(self):
        body = self.client.get(BASE, {"parent": "33", "page_size": "5"}).json()
        self.assertEqual(body["count"], 20)
        self.assertEqual(len(body["results"]), 5)
        self.assertIsNotNone(body["next"])

    def test_it_names_a_bad_filter(self):
        for params, field in [
            ({"level": "village"}, "level"),
            ({"hierarchy": "1990"}, "hierarchy"),
            ({"parent": "x"}, "parent"),
            ({"parent": "99999"}, "parent"),
        ]:
            with self.subTest(params=params):
                response = self.client.get(BASE, params)
                self.assertEqual(response.status_code, 400)
                self.assertIn(field, response.json()["error"]["fields"])

    def test_it_lists_children(self):
        body = self.client.get(f"{BASE}33/children/").json()
        self.assertEqual(len(body), 20)
        self.assertTrue(all(u["parent"] == "33" for u in body))

    def test_it_serves_a_boundary_as_a_geojson_feature(self):
        body = self.client.get(f"{BASE}00070/boundary/").json()
        self.assertEqual((body["type"], body["id"]), ("Feature", "00070"))
        self.assertEqual(body["geometry"]["type"], "MultiPolygon")
        self.assertEqual(body["properties"]["full_name"], "Phường Hoàn Kiếm")

    def test_it_answers_404_for_a_unit_without_boundary(self):
        response = self.client.get(f"{BASE}legacy:25270/boundary/")
        self.assertEqual(response.status_code, 404)

    def test_it_serves_children_boundaries_as_a_feature_collection(self):
        body = self.client.get(f"{BASE}33/children/boundaries/").json()
        self.assertEqual(body["type"], "FeatureCollection")
        self.assertEqual(len(body["features"]), 20)

    def test_it_serves_predecessors_and_successors(self):
        body = self.client.get(f"{BASE}25270/predecessors/").json()
        self.assertIn(
            {"ref": "legacy:25270", "kind": "full"}, [{"ref": r["unit"]["ref"], "kind": r["kind"]} for r in body]
        )
        body = self.client.get(f"{BASE}legacy:25270/successors/").json()
        self.assertEqual([r["unit"]["ref"] for r in body], ["25270"])

    def test_it_is_cacheable_with_an_etag(self):
        response = self.client.get(f"{BASE}00070/")
        self.assertIn("max-age=86400", response["Cache-Control"])
        self.assertIn("public", response["Cache-Control"])
        again = self.client.get(f"{BASE}00070/", HTTP_IF_NONE_MATCH=response["ETag"])
        self.assertEqual(again.status_code, 304)

    def test_it_lists_in_a_fixed_number_of_queries(self):
        with self.assertNumQueries(2):  # count + page
            self.client.get(BASE, {"hierarchy": "legacy", "page_size": "500"})
        with self.assertNumQueries(2):  # the unit + its children
            self.client.get(f"{BASE}33/children/boundaries/")
        with self.assertNumQueries(2):  # the unit + its predecessors with their units
            self.client.get(f"{BASE}25270/predecessors/")

    def test_it_ignores_a_bad_token_on_public_data(self):
        response = self.client.get(f"{BASE}00070/", HTTP_AUTHORIZATION="Bearer nonsense")
        self.assertEqual(response.status_code, 200)
