"""`Area` helpers and filtering points in an area (DESIGN "Contracts")."""

import json
from typing import Any

import shapely
from django.test import SimpleTestCase, TestCase
from pyproj import Geod

from ioc.geo import selectors
from ioc.geo.models import AdminUnit

GEOD = Geod(ellps="WGS84")


class CircleAreaTest(SimpleTestCase):
    def test_it_builds_a_geodesic_circle(self):
        area = selectors.area_from_circle(21.0287, 105.8523, 2000)
        for lon, lat in list(area.geometry.exterior.coords)[:-1]:
            self.assertAlmostEqual(GEOD.inv(105.8523, 21.0287, lon, lat)[2], 2000, delta=0.01)
        self.assertLess(area.bbox.min_lat, 21.0287 - 0.017)
        self.assertGreater(area.bbox.max_lon, 105.8523 + 0.018)
        self.assertIsNone(area.unit)

    def test_it_refuses_a_bad_radius(self):
        for radius in (0, -5, float("inf"), 10_000_000):
            with self.subTest(radius=radius), self.assertRaises(selectors.GeoInputError) as caught:
                selectors.area_from_circle(21.0, 105.0, radius)
            self.assertEqual(caught.exception.field, "radius_m")


class GeoJsonAreaTest(SimpleTestCase):
    square = {"type": "Polygon", "coordinates": [[[105, 21], [106, 21], [106, 22], [105, 22], [105, 21]]]}

    def test_it_accepts_a_polygon_a_feature_and_a_collection(self):
        feature = {"type": "Feature", "properties": {}, "geometry": self.square}
        for obj in (self.square, feature, {"type": "FeatureCollection", "features": [feature]}, json.dumps(feature)):
            area = selectors.area_from_geojson(obj)
            self.assertEqual(tuple(area.bbox), (21, 105, 22, 106))

    def test_it_explains_bad_geojson(self):
        cases: list[tuple[Any, str]]
        bow_tie = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
        cases = [
            ("{not json", "geojson"),
            ([1, 2], "type"),
            ({"type": "Point", "coordinates": [105, 21]}, "type"),
            ({"type": "Polygon", "coordinates": "x"}, "coordinates"),
            (bow_tie, "coordinates"),
            ({"type": "Polygon", "coordinates": [[[0, 0], [200, 0], [200, 1], [0, 0]]]}, "coordinates"),
            ({"type": "FeatureCollection", "features": []}, "features"),
            ({"type": "Feature", "geometry": None}, "geometry"),
        ]
        for obj, field in cases:
            with self.subTest(obj=obj), self.assertRaises(selectors.GeoInputError) as caught:
                selectors.area_from_geojson(obj)
            self.assertEqual(caught.exception.field, field)


class UnitAreaTest(TestCase):
    def test_it_makes_an_area_of_a_unit_with_a_boundary(self):
        unit = selectors.unit_get(ref="00070", with_geometry=True)
        area = selectors.area_from_unit(unit)
        self.assertEqual(area.unit, unit)
        self.assertTrue(area.geometry.contains(shapely.Point(105.8523, 21.0287)))

    def test_it_refuses_a_unit_without_boundary(self):
        with self.assertRaises(selectors.NoBoundaryError):
            selectors.area_from_unit(selectors.unit_get(ref="legacy:25270", with_geometry=True))


class GridCellTest(SimpleTestCase):
    def test_it_floors_to_hundredths_of_a_degree(self):
        self.assertEqual(selectors.grid_cell(21.0287, 105.8523), "2102:10585")
        self.assertEqual(selectors.grid_cell(21.03, 105.85), "2103:10585")  # no float rounding down
        self.assertEqual(selectors.grid_cell(-0.001, 0.0), "-1:0")
        self.assertEqual(tuple(selectors.grid_cell_bbox("2102:10585")), (21.02, 105.85, 21.03, 105.86))


class FilterPointsInAreaTest(TestCase):
    """Unit centre points (lat/lon columns) stand in for any table with a point."""

    def test_it_keeps_exactly_the_points_in_a_circle(self):
        centre = (20.6634, 106.068)  # Phố Hiến
        area = selectors.area_from_circle(*centre, 12_000)
        qs = AdminUnit.objects.filter(hierarchy="2025", level="commune")
        expected = {u.pk for u in qs if GEOD.inv(centre[1], centre[0], u.lon, u.lat)[2] <= 12_000}
        self.assertGreater(len(expected), 2)
        self.assertLess(len(expected), qs.count())
        self.assertEqual(set(selectors.point_ids_in_area(qs, area)), expected)
        self.assertEqual(set(selectors.filter_points_in_area(qs, area).values_list("pk", flat=True)), expected)

    def test_it_filters_by_a_unit_boundary(self):
        area = selectors.area_from_unit(selectors.unit_get(ref="33", with_geometry=True))
        qs = AdminUnit.objects.filter(level="commune")
        inside = set(selectors.filter_points_in_area(qs, area).values_list("code", flat=True))
        self.assertIn("11953", inside)
        self.assertIn("13225", inside)  # former Thái Bình
        self.assertNotIn("00070", inside)
        self.assertNotIn("25270", inside)
