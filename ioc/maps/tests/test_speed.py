"""Issue 20 "Speed": the map's counts and members name the box's grid cells so the covering index
`reports_cell_cover_idx` answers them without reading the table; the answers stay what the geometry says."""

from __future__ import annotations

from unittest import mock

import shapely
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from pyproj import Geod

from ioc.citizen_reports.models import Report
from ioc.citizen_reports.selectors import citizen_reports_counts_in_area
from ioc.citizen_reports.selectors.maps import (
    citizen_reports_cell_counts,
    citizen_reports_features,
    citizen_reports_points,
)
from ioc.geo.selectors import (
    CELLS_FILTER_MAX,
    BBox,
    area_from_circle,
    area_from_geojson,
    area_ring,
    bbox_cells,
    grid_cell,
)
from ioc.maps.tests.support import OTHER_COMMUNE, MapWorld, point_in

GEOD = Geod(ellps="WGS84")  # the ellipsoid of ioc.geo.index, for distances the tests check


class BoxCellsTest(TestCase):
    def test_the_cells_a_box_touches_in_order_edges_included(self):
        box = BBox(21.0, 105.85, 21.0150, 105.8650)
        self.assertEqual(bbox_cells(box), ["2100:10585", "2100:10586", "2101:10585", "2101:10586"])
        self.assertEqual(bbox_cells(BBox(21.0, 105.85, 21.01, 105.85)), ["2100:10585", "2101:10585"])

    def test_a_box_with_more_cells_than_the_limit_is_not_named(self):
        self.assertIsNone(bbox_cells(BBox(10.0, 100.0, 12.0, 102.0)))  # 201 × 201 cells
        self.assertEqual(len(bbox_cells(BBox(10.0, 100.0, 10.5, 100.5), limit=51 * 51) or []), 51 * 51)
        self.assertIsNone(bbox_cells(BBox(10.0, 100.0, 10.5, 100.5), limit=51 * 51 - 1))
        self.assertGreater(CELLS_FILTER_MAX, 100 * 60)  # a whole-territory view at zoom 10 is still named


class CoveredCountsTest(MapWorld, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.lat, cls.lon = point_in()
        cls.here = [cls.report() for _i in range(2)]
        cls.forward(cls.report())
        cls.there = cls.report(code=OTHER_COMMUNE)
        # a report exactly on the south-west corner of its grid cell
        cls.corner = cls.report(lat=round(cls.lat, 2), lon=round(cls.lon, 2))

    def plans(self, call):
        with CaptureQueriesContext(connection) as ctx:
            call()
        sqls = [q["sql"] for q in ctx.captured_queries if "citizen_reports_report" in q["sql"]]
        self.assertTrue(sqls)
        plans = []
        with connection.cursor() as cursor:
            for sql in sqls:
                cursor.execute("EXPLAIN QUERY PLAN " + sql)
                plans.append(" / ".join(row[-1] for row in cursor.fetchall()))
        return plans

    def test_a_box_edge_on_a_cell_border_keeps_its_points(self):
        lat, lon = self.corner.lat, self.corner.lon
        self.assertEqual(self.corner.grid_cell, grid_cell(lat, lon))
        for box in (BBox(lat, lon, lat + 0.001, lon + 0.001), BBox(lat - 0.001, lon - 0.001, lat, lon)):
            cells = citizen_reports_cell_counts(user=self.operator, bbox=box)
            self.assertEqual(cells, {self.corner.grid_cell: 1})
            ids = [f["id"] for f in citizen_reports_features(user=self.operator, bbox=box)]
            self.assertEqual(ids, [self.corner.pk])

    def test_a_wide_circle_counted_without_naming_its_cells_gives_the_same_answer(self):
        wide = area_from_circle(self.lat, self.lon, 120_000)
        self.assertIsNone(bbox_cells(wide.bbox))
        counts = citizen_reports_counts_in_area(user=self.operator, area=wide)
        self.assertEqual(counts["total"], 5)
        self.assertEqual(counts["by_status"], {"received": 4, "forwarded": 1})
        near = citizen_reports_counts_in_area(user=self.operator, area=area_from_circle(self.lat, self.lon, 300))
        self.assertEqual(near["total"], 4)  # the other commune's report is far

    def test_features_are_newest_first_and_capped(self):
        rows = citizen_reports_features(user=self.operator, bbox=BBox(19.5, 105.5, 21.5, 107.0), limit=3)
        newest = sorted([*self.here, self.corner, self.there], key=lambda r: (r.received_at, r.pk), reverse=True)
        self.assertEqual(len(rows), 3)
        self.assertEqual(rows[0]["id"], newest[0].pk)
        self.assertEqual([r["received_at"] for r in rows], sorted((r["received_at"] for r in rows), reverse=True))

    def test_counts_cells_and_newest_ids_read_the_covering_index_only(self):
        if connection.vendor != "sqlite":
            self.skipTest("EXPLAIN QUERY PLAN is SQLite's")
        box = BBox(self.lat - 0.01, self.lon - 0.01, self.lat + 0.01, self.lon + 0.01)
        area = area_from_circle(self.lat, self.lon, 800)
        for plan in [
            *self.plans(lambda: citizen_reports_cell_counts(user=self.operator, bbox=box, zoom=10)),
            *self.plans(lambda: citizen_reports_counts_in_area(user=self.operator, area=area)),
        ]:
            self.assertIn("COVERING INDEX reports_cell_cover_idx", plan)
        (features,) = self.plans(lambda: citizen_reports_features(user=self.operator, bbox=box))
        self.assertIn("COVERING INDEX reports_cell_cover_idx", features)
        self.assertIn("INTEGER PRIMARY KEY", features)  # only the chosen rows are read

    def test_border_sub_cells_count_exactly_what_the_circle_holds(self):
        for k in range(1, 9):  # a row of reports eastwards, across a 100 m circle's border and sub-cells
            self.report(lat=self.lat + 0.00004 * k, lon=self.lon + 0.0003 * k)
        rows = list(Report.objects.values_list("status", "lat", "lon"))
        for radius in (60, 100, 150, 260):
            area = area_from_circle(self.lat, self.lon, radius)
            hit = shapely.intersects_xy(area.geometry, [r[2] for r in rows], [r[1] for r in rows]).tolist()
            expected: dict[str, int] = {}
            for (status, _lat, _lon), is_in in zip(rows, hit, strict=True):
                if is_in:
                    expected[status] = expected.get(status, 0) + 1
            counts = citizen_reports_counts_in_area(user=self.operator, area=area)
            self.assertEqual(counts["by_status"], expected, radius)
            self.assertEqual(counts["by_category"], {"map-road": sum(expected.values())})
        self.assertLess(sum(expected.values()), len(rows))  # the widest circle still leaves reports out

    def test_points_are_the_features_ids_and_places_from_the_index_alone(self):
        box = BBox(19.5, 105.5, 21.5, 107.0)
        features = citizen_reports_features(user=self.operator, bbox=box, limit=4)
        points = citizen_reports_points(user=self.operator, bbox=box, limit=4)
        self.assertEqual(points, [(f["id"], f["lat"], f["lon"]) for f in features])
        self.assertEqual(citizen_reports_points(user=self.officer_b, bbox=box), [])
        if connection.vendor == "sqlite":
            near = BBox(self.lat - 0.01, self.lon - 0.01, self.lat + 0.01, self.lon + 0.01)  # cells named
            (plan,) = self.plans(lambda: citizen_reports_points(user=self.operator, bbox=near, limit=4))
            self.assertIn("COVERING INDEX reports_cell_cover_idx", plan)


class CircleRingTest(MapWorld, TestCase):
    """Issue 20: a circle's border cells are sorted by distance in SQL; only the rows on its thin ring (between the
    polygon's inscribed and circumscribed circles) are read and tested. The answer stays what the polygon says."""

    RADIUS = 400.0

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.lat, cls.lon = point_in()
        # Vertex directions (every 5°) and edge midpoints (2.5° off): at 0.9995 r a point is inside the 72-gon
        # towards a vertex and outside it towards an edge's midpoint; 0.997 r is always in, 1.0005 r always out.
        for azimuth in (0.0, 2.5, 90.0, 92.5, 180.0, 182.5, 270.0, 272.5):
            for share in (0.997, 0.9995, 1.0005):
                lon, lat, _back = GEOD.fwd(cls.lon, cls.lat, azimuth, cls.RADIUS * share)
                cls.report(lat=lat, lon=lon)
        cls.report(lat=cls.lat, lon=cls.lon)  # the centre

    def expected(self, area):
        rows = list(Report.objects.values_list("status", "lat", "lon"))
        hit = shapely.intersects_xy(area.geometry, [r[2] for r in rows], [r[1] for r in rows]).tolist()
        return sum(hit)

    def test_the_ring_statement_counts_what_the_polygon_holds(self):
        area = area_from_circle(self.lat, self.lon, self.RADIUS)
        ring = area_ring(area)
        assert ring is not None
        self.assertLess(ring.inner2, self.RADIUS**2 * 0.9991)  # the 72-gon's edges pass inside the circle
        self.assertGreater(ring.outer2, self.RADIUS**2 * 0.9999)
        with mock.patch("ioc.geo.areas.RING_MIN_ROWS", 0), CaptureQueriesContext(connection) as ctx:
            counts = citizen_reports_counts_in_area(user=self.operator, area=area)
        self.assertEqual(counts["total"], self.expected(area))
        self.assertEqual(counts["total"], 1 + 8 + 4)  # the centre, every 0.997 r, the vertex-ward 0.9995 r
        reads = [q["sql"] for q in ctx.captured_queries if "citizen_reports_report" in q["sql"]]
        self.assertTrue(any("CASE WHEN" in sql for sql in reads), reads)  # the border sorted in SQL

    def test_the_ring_and_the_row_reads_agree(self):
        for radius in (60.0, 399.0, 400.0, 401.0, 2500.0):
            area = area_from_circle(self.lat, self.lon, radius)
            plain = citizen_reports_counts_in_area(user=self.operator, area=area)
            with mock.patch("ioc.geo.areas.RING_MIN_ROWS", 0):
                ringed = citizen_reports_counts_in_area(user=self.operator, area=area)
            self.assertEqual(ringed, plain, radius)
            self.assertEqual(plain["total"], self.expected(area), radius)

    def test_only_a_circle_has_a_ring(self):
        square = {
            "type": "Polygon",
            "coordinates": [[[105.9, 20.9], [105.91, 20.9], [105.91, 20.91], [105.9, 20.91], [105.9, 20.9]]],
        }
        self.assertIsNone(area_ring(area_from_geojson(square)))
