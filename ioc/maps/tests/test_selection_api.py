"""R6.2: POST /api/v1/maps/selection/ — a unit, a point and radius, or a polygon; each domain's counts in the
user's scope, the members (≤ 500 per layer) and `truncated`; bad input is a 400 naming the field."""

from __future__ import annotations

from unittest import mock

import shapely
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext

from ioc.citizen_reports.selectors import citizen_reports_counts_in_area
from ioc.geo.selectors import area_from_circle, area_from_unit
from ioc.maps import selection
from ioc.maps.tests.support import COMMUNE, OTHER_COMMUNE, OUTSIDE_COMMUNE, MapWorld, point_in, unit

URL = "/api/v1/maps/selection/"


class SelectionTest(MapWorld, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.here = [cls.report() for _i in range(3)]
        cls.held = cls.forward(cls.report())  # forwarded to agency A
        cls.there = cls.report(code=OTHER_COMMUNE)

    def post(self, user, body):
        self.sign_in(self.client, user)
        return self.client.post(URL, body, content_type="application/json")

    def test_a_unit_selection_counts_every_domain_and_lists_the_members(self):
        answer = self.post(self.operator, {"unit": COMMUNE}).json()
        reports = answer["groups"]["citizen_reports"]
        self.assertEqual(reports, citizen_reports_counts_in_area(user=self.operator, area=area_from_unit(unit())))
        self.assertEqual(reports["total"], 4)
        self.assertEqual(reports["by_category"], {"map-road": 4})
        self.assertEqual(reports["by_status"], {"received": 3, "forwarded": 1})
        self.assertEqual(sorted(answer["members"]["citizen_reports"]), sorted(r.pk for r in [*self.here, self.held]))
        domains = {"citizen_reports", "incidents", "sensors", "facilities", "media_watch"}
        self.assertEqual(set(answer["groups"]), domains)
        self.assertEqual(answer["groups"]["incidents"]["total"], 0)
        self.assertFalse(answer["truncated"])
        self.assertEqual(answer["area"]["kind"], "unit")
        self.assertEqual(answer["area"]["unit"]["code"], COMMUNE)
        self.assertNotIn("population", answer)  # no population indicator in this catalogue

    def test_a_radius_selection_counts_what_the_circle_holds(self):
        lat, lon = point_in()
        answer = self.post(self.operator, {"point": [lat, lon], "radius_m": 200}).json()
        expected = citizen_reports_counts_in_area(user=self.operator, area=area_from_circle(lat, lon, 200))
        self.assertEqual(answer["groups"]["citizen_reports"], expected)
        self.assertEqual(expected["total"], 4)
        self.assertEqual(answer["area"]["kind"], "circle")
        self.assertAlmostEqual(answer["area"]["area_km2"], 3.14159 * 0.04, places=2)

    def test_a_polygon_selection_counts_what_it_encloses(self):
        lat, lon = point_in(OTHER_COMMUNE)
        d = 0.002
        ring = [[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d], [lon - d, lat - d]]
        answer = self.post(self.operator, {"geometry": {"type": "Polygon", "coordinates": [ring]}}).json()
        self.assertEqual(answer["groups"]["citizen_reports"]["total"], 1)
        self.assertEqual(answer["members"]["citizen_reports"], [self.there.pk])
        self.assertEqual(answer["area"]["kind"], "geometry")

    def test_each_persona_counts_only_what_it_may_see(self):
        body = {"unit": COMMUNE}
        self.assertEqual(self.post(self.leader, body).json()["groups"]["citizen_reports"]["total"], 4)
        mine = self.post(self.officer_a, body).json()
        self.assertEqual(mine["groups"]["citizen_reports"]["total"], 1)
        self.assertEqual(mine["members"]["citizen_reports"], [self.held.pk])
        other = self.post(self.officer_b, body).json()
        self.assertEqual(other["groups"]["citizen_reports"]["total"], 0)
        self.assertEqual(other["members"]["citizen_reports"], [])

    def test_people_outside_the_staff_are_refused(self):
        self.assertIn(self.client.post(URL, {"unit": COMMUNE}, content_type="application/json").status_code, (401, 403))
        self.assertEqual(self.post(self.citizen, {"unit": COMMUNE}).status_code, 403)

    def test_the_members_are_capped_and_the_answer_says_so(self):
        with mock.patch.object(selection, "MEMBERS_MAX", 2):
            answer = self.post(self.operator, {"unit": COMMUNE}).json()
        self.assertEqual(len(answer["members"]["citizen_reports"]), 2)
        self.assertEqual(answer["groups"]["citizen_reports"]["total"], 4)
        self.assertTrue(answer["truncated"])

    def test_a_wide_areas_members_come_from_its_wholly_held_cells_unsorted(self):
        lat, lon = point_in()
        body = {"point": [lat, lon], "radius_m": 2000}  # the reports' cell lies wholly in the circle
        with mock.patch.object(selection, "POINTS_MAX", 1), CaptureQueriesContext(connection) as ctx:
            answer = self.post(self.operator, body).json()
        self.assertEqual(sorted(answer["members"]["citizen_reports"]), sorted(r.pk for r in [*self.here, self.held]))
        self.assertEqual(answer["groups"]["citizen_reports"]["total"], 4)
        reads = [q["sql"] for q in ctx.captured_queries if "citizen_reports_report" in q["sql"]]
        self.assertFalse(any("ORDER BY" in sql for sql in reads), reads)  # no sort over the area's rows
        with mock.patch.object(selection, "POINTS_MAX", 1):
            mine = self.post(self.officer_a, body).json()
        self.assertEqual(mine["members"]["citizen_reports"], [self.held.pk])
        with mock.patch.object(selection, "POINTS_MAX", 1), mock.patch.object(selection, "MEMBERS_MAX", 2):
            capped = self.post(self.operator, body).json()
        self.assertEqual(len(capped["members"]["citizen_reports"]), 2)
        self.assertTrue(capped["truncated"])


class SelectionBadInputTest(MapWorld, TestCase):
    def bad(self, body, field):
        self.sign_in(self.client, self.operator)
        response = self.client.post(URL, body, content_type="application/json")
        self.assertEqual(response.status_code, 400, response.content)
        error = response.json()["error"]
        self.assertIn(field, error["fields"], error)
        self.assertTrue(error["fields"][field][0])
        self.assertIn("request_id", response.json())
        return error["fields"][field][0]

    def test_a_radius_of_zero_or_500_km_is_refused(self):
        lat, lon = point_in()
        self.bad({"point": [lat, lon], "radius_m": 0}, "radius_m")
        self.assertIn("50000", self.bad({"point": [lat, lon], "radius_m": 500_000}, "radius_m"))
        self.bad({"point": [lat, lon], "radius_m": "x"}, "radius_m")
        self.bad({"point": [lat, lon]}, "radius_m")

    @override_settings(MAPS_SELECTION_MAX_RADIUS_M=900_000)
    def test_the_cap_never_exceeds_geos_own(self):
        self.assertEqual(selection.max_radius_m(), 500_000)

    def test_a_malformed_point_is_refused(self):
        self.bad({"point": [200, 0], "radius_m": 10}, "point")
        self.bad({"point": "20,106", "radius_m": 10}, "point")

    def test_an_unknown_or_foreign_unit_is_refused(self):
        self.bad({"unit": "99999"}, "unit")
        self.assertIn(OUTSIDE_COMMUNE, self.bad({"unit": OUTSIDE_COMMUNE}, "unit"))
        self.bad({"unit": "abc"}, "unit")
        self.bad({"unit": 12}, "unit")

    def test_a_self_intersecting_polygon_is_refused(self):
        bowtie = [[106.0, 20.6], [106.1, 20.7], [106.1, 20.6], [106.0, 20.7], [106.0, 20.6]]
        reason = self.bad({"geometry": {"type": "Polygon", "coordinates": [bowtie]}}, "geometry")
        self.assertIn("Self-intersection", reason)

    def test_a_huge_polygon_is_refused(self):
        ring = [[104.0, 19.0], [108.0, 19.0], [108.0, 23.0], [104.0, 23.0], [104.0, 19.0]]
        self.assertIn("km²", self.bad({"geometry": {"type": "Polygon", "coordinates": [ring]}}, "geometry"))

    def test_a_polygon_with_too_many_vertices_is_refused(self):
        circle = shapely.Point(106.05, 20.65).buffer(0.01, quad_segs=2000)
        geometry = shapely.geometry.mapping(circle)
        self.bad({"geometry": {"type": "Polygon", "coordinates": geometry["coordinates"]}}, "geometry")

    def test_not_exactly_one_kind_is_refused(self):
        self.bad({}, "non_field_errors")
        self.bad({"unit": COMMUNE, "point": [20.6, 106.0], "radius_m": 10}, "non_field_errors")
        self.bad({"geometry": "POLYGON"}, "geometry")
        self.bad({"geometry": {"type": "Point", "coordinates": [106, 20]}}, "geometry")
