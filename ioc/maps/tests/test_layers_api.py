"""R6.1: GET /api/v1/maps/layers/<layer>/?bbox=&zoom= — points in view in the user's scope; beyond 2,000 points
the server clusters per zoom and grid cell and never sends more than 5,000 features; bad input is a 400."""

from __future__ import annotations

from unittest import mock

from django.test import SimpleTestCase, TestCase

from ioc.maps import layers
from ioc.maps.tests.support import OTHER_COMMUNE, MapWorld, point_in
from ioc.maps.tests.support import layer_url as url


class LayersTest(MapWorld, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.open_reports = [cls.report() for _i in range(3)]
        cls.held = cls.forward(cls.report(code=OTHER_COMMUNE))

    def get(self, user, address):
        self.sign_in(self.client, user)
        return self.client.get(address)

    def test_it_answers_the_points_in_view_as_geojson(self):
        data = self.get(self.operator, url()).json()
        self.assertEqual(data["type"], "FeatureCollection")
        self.assertFalse(data["clustered"])
        self.assertEqual(data["total"], 4)
        feature = next(f for f in data["features"] if f["id"] == self.held.pk)
        lat, lon = point_in(OTHER_COMMUNE)
        self.assertEqual(feature["geometry"], {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]})
        self.assertEqual(feature["properties"]["status"], "forwarded")
        self.assertEqual(feature["properties"]["category"], "map-road")

    def test_each_persona_sees_its_scope(self):
        self.assertEqual(self.get(self.leader, url()).json()["total"], 4)
        self.assertEqual([f["id"] for f in self.get(self.officer_a, url()).json()["features"]], [self.held.pk])
        self.assertEqual(self.get(self.officer_b, url()).json()["features"], [])
        self.assertEqual(self.get(self.citizen, url()).status_code, 403)

    def test_every_layer_of_the_registry_answers(self):
        for code in layers.LAYERS:
            response = self.get(self.operator, url(code))
            self.assertEqual(response.status_code, 200, code)
            self.assertEqual(response.json()["layer"], code)

    def test_a_camera_carries_its_snapshot_and_stream_links_to_signed_in_users_only(self):
        """R5.2, issue 20: the popup's links come from the feature; an anonymous viewer gets neither URL."""
        from ioc.agencies.choices import Sensitivity
        from ioc.sensors.selectors import cameras_features
        from ioc.sensors.services import camera_create

        lat, lon = point_in()
        camera_create(
            actor=self.operator, code="cam-map", agency=self.agency_a, name="Ngã tư chợ", lat=lat, lon=lon,
            sensitivity=Sensitivity.PUBLIC, stream_url="rtsp://cam.example.invalid/7",
            snapshot_url="https://cam.example.invalid/7.jpg",
        )  # fmt: skip
        data = self.get(self.operator, url("cameras")).json()
        props = next(f["properties"] for f in data["features"] if f["properties"]["code"] == "cam-map")
        self.assertEqual(props["snapshot_url"], "https://cam.example.invalid/7.jpg")
        self.assertEqual(props["stream_url"], "rtsp://cam.example.invalid/7")
        box = (lat - 0.01, lon - 0.01, lat + 0.01, lon + 0.01)
        public = cameras_features(user=None, bbox=box)
        self.assertEqual([(c["code"], c["snapshot_url"], c["stream_url"]) for c in public], [("cam-map", None, None)])
        self.assertEqual(self.get(self.citizen, url("cameras")).status_code, 403)

    def test_beyond_the_point_cap_it_clusters_and_counts_every_point(self):
        with mock.patch.object(layers, "POINTS_MAX", 2):
            data = self.get(self.operator, url(zoom=9)).json()
        self.assertTrue(data["clustered"])
        self.assertTrue(data["complete"])
        self.assertEqual(sum(f["properties"]["count"] for f in data["features"]), 4)
        self.assertEqual(data["total"], 4)
        self.assertTrue(all(f["properties"]["cluster"] for f in data["features"]))
        self.assertEqual(len(data["features"]), 2)  # two communes far apart: two clusters at zoom 9

    def test_a_layer_without_cell_counts_clusters_its_points(self):
        with mock.patch.object(layers, "POINTS_MAX", 1):
            data = self.get(self.operator, url("citizen_reports_points", zoom=9)).json()
        self.assertEqual(sum(f["properties"]["count"] for f in data["features"]), 4)

    def test_bad_input_is_a_400_naming_the_field(self):
        for address, field in (
            (url(bbox="1,2,3"), "bbox"),
            (url(bbox="107,21,105,20"), "bbox"),
            (url(bbox="0,-95,1,1"), "bbox"),
            (url(bbox="a,b,c,d"), "bbox"),
            (url(zoom=40), "zoom"),
            (url(zoom="x"), "zoom"),
        ):
            response = self.get(self.operator, address)
            self.assertEqual(response.status_code, 400, address)
            self.assertIn(field, response.json()["error"]["fields"], address)
        self.assertEqual(self.get(self.operator, url("nothing")).status_code, 404)

    def setUp(self):
        super().setUp()
        points = layers.Layer("citizen_reports_points", "test", layers.LAYERS["citizen_reports"].features)
        patcher = mock.patch.dict(layers.LAYERS, {"citizen_reports_points": points})
        patcher.start()
        self.addCleanup(patcher.stop)


class ClusterCapTest(SimpleTestCase):
    def test_it_never_answers_more_than_5000_clusters(self):
        cells = {f"{2000 + i // 150}:{10500 + i % 150}": 1 for i in range(20_000)}
        features = layers._clusters(layers._from_cells(cells), zoom=18)
        self.assertLessEqual(len(features), layers.FEATURES_MAX)
        self.assertEqual(sum(f["properties"]["count"] for f in features), 20_000)

    def test_the_block_grows_as_the_map_zooms_out(self):
        self.assertEqual(layers.block_size(16), 1)
        self.assertGreater(layers.block_size(8), layers.block_size(11))
