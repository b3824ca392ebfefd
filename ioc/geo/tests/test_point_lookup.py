"""Point → 2025 commune: deepest containing polygon, else the nearest within 1 km, else outside (R6.1)."""

import json

from django.test import TestCase

from ioc.geo import index, selectors
from ioc.geo.models import AdminUnit

# 519 m off the coast of Xã Hưng Phú (13066, Hưng Yên): in no commune, 13066 is the nearest (checked nationally).
OFFSHORE_NEAR = (20.3156, 106.6207)
# Gulf of Tonkin, west of Hainan: far from any land.
SEA = (19.0, 108.0)


class PointLookupTest(TestCase):
    def test_it_finds_hoan_kiem_for_the_lake(self):
        unit = selectors.unit_at_point(lat=21.0287, lon=105.8523)
        self.assertEqual((unit.code, unit.full_name), ("00070", "Phường Hoàn Kiếm"))

    def test_it_reports_a_point_inside(self):
        match = selectors.point_locate(lat=21.0287, lon=105.8523)
        self.assertTrue(match.inside)
        self.assertEqual(match.distance_m, 0.0)

    def test_it_refuses_a_point_in_the_sea(self):
        with self.assertRaises(selectors.PointOutsideError) as caught:
            selectors.unit_at_point(lat=SEA[0], lon=SEA[1])
        self.assertIsInstance(caught.exception, ValueError)
        self.assertIn("ngoài lãnh thổ", str(caught.exception))
        self.assertIn("outside Vietnam", str(caught.exception))

    def test_it_takes_the_nearest_commune_within_1_km(self):
        match = selectors.point_locate(lat=OFFSHORE_NEAR[0], lon=OFFSHORE_NEAR[1])
        self.assertEqual(match.unit.code, "13066")
        self.assertFalse(match.inside)
        self.assertGreater(match.distance_m, 300)
        self.assertLess(match.distance_m, 1000)

    def test_it_refuses_a_point_just_beyond_1_km(self):
        # 0.01° farther out to sea (≈1.5 km from the coast)
        with self.assertRaises(selectors.PointOutsideError):
            selectors.unit_at_point(lat=OFFSHORE_NEAR[0] - 0.004, lon=OFFSHORE_NEAR[1] + 0.01)

    def test_it_rejects_impossible_coordinates(self):
        for lat, lon, field in [(91, 105, "lat"), (21, 181, "lon"), (float("nan"), 105, "lat")]:
            with self.subTest(lat=lat, lon=lon), self.assertRaises(selectors.GeoInputError) as caught:
                selectors.unit_at_point(lat=lat, lon=lon)
            self.assertEqual(caught.exception.field, field)


def _square(lon: float, lat: float, size: float) -> str:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


class DeepestPolygonTest(TestCase):
    """Simplified neighbours overlap a little; the point goes to the polygon it lies deepest inside."""

    def setUp(self):
        province = AdminUnit.objects.create(
            hierarchy="2025", code="98", name="T", full_name="Tỉnh T", level="province", path="98"
        )
        for code, lon in (("99001", 100.0), ("99002", 100.09)):
            AdminUnit.objects.create(
                hierarchy="2025",
                code=code,
                name=code,
                full_name=code,
                level="commune",
                parent=province,
                path=f"98/{code}",
                geometry=_square(lon, 0.0, 0.1),
            )
        index.invalidate()
        self.addCleanup(index.invalidate)

    def test_it_picks_the_polygon_the_point_is_deepest_in(self):
        # Overlap strip is lon 100.09–100.10; 100.092 is 0.008° inside 99001's edge and 0.002° inside 99002's.
        self.assertEqual(selectors.unit_at_point(lat=0.05, lon=100.092).code, "99001")
        self.assertEqual(selectors.unit_at_point(lat=0.05, lon=100.098).code, "99002")

    def test_it_sees_units_loaded_after_the_index_was_built(self):
        self.assertEqual(selectors.unit_at_point(lat=0.05, lon=100.05).code, "99001")
