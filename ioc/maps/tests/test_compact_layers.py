"""Issue 20 "Speed" (the overview's first screen): a layer's compact answer (`?compact=1`: rows of id, place and the
point's colour mark, or a cluster's count) in the same scope as the GeoJSON one, gzip when the browser accepts it,
each layer's version stamp, which moves with its own layer only, and the compact answer stored under that stamp."""

from __future__ import annotations

import functools
import gzip
import json
from unittest import mock

from django.core.cache import cache
from django.db import connection
from django.test import SimpleTestCase, TestCase, override_settings
from django.test.utils import CaptureQueriesContext

from ioc.citizen_reports import services as report_services
from ioc.maps import layers
from ioc.maps.tests.support import OTHER_COMMUNE, MapWorld, layer_url

url = functools.partial(layer_url, compact="1")  # this file's default: the compact answer


class CompactLayersTest(MapWorld, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.open_reports = [cls.report() for _i in range(3)]
        cls.held = cls.forward(cls.report(code=OTHER_COMMUNE))

    def get(self, user, address, **headers):
        self.sign_in(self.client, user)
        return self.client.get(address, **headers)

    def test_rows_carry_the_id_the_place_and_the_status(self):
        compact = self.get(self.operator, url()).json()
        full = self.get(self.operator, url(compact="0")).json()
        self.assertEqual(compact["fields"], ["id", "lon", "lat", "status"])
        self.assertTrue(compact["compact"])
        self.assertEqual((compact["total"], compact["clustered"]), (full["total"], False))
        expected = [
            [f["id"], round(f["geometry"]["coordinates"][0], 5), round(f["geometry"]["coordinates"][1], 5),
             f["properties"]["status"]]
            for f in full["features"]
        ]  # fmt: skip
        self.assertEqual(compact["points"], expected)
        self.assertNotIn("features", compact)
        self.assertEqual(next(row[3] for row in compact["points"] if row[0] == self.held.pk), "forwarded")

    def test_it_keeps_each_personas_scope(self):
        self.assertEqual([row[0] for row in self.get(self.officer_a, url()).json()["points"]], [self.held.pk])
        self.assertEqual(self.get(self.officer_b, url()).json()["points"], [])
        self.assertEqual(self.get(self.citizen, url()).status_code, 403)

    def test_clusters_are_rows_with_their_count(self):
        with mock.patch.object(layers, "POINTS_MAX", 2):
            data = self.get(self.operator, url(zoom=9)).json()
        self.assertTrue(data["clustered"])
        self.assertEqual(data["fields"], ["id", "lon", "lat", "count"])
        self.assertEqual(sum(row[3] for row in data["points"]), 4)
        self.assertEqual(len(data["points"]), 2)  # two communes far apart: two clusters at zoom 9

    def test_every_layer_answers_compact(self):
        for code in layers.LAYERS:
            data = self.get(self.operator, url(code)).json()
            self.assertEqual(data["fields"][:3], ["id", "lon", "lat"], code)
        for code in ("citizen_reports", "sensors", "warnings"):
            self.client.logout()
            response = self.client.get(url(code, public=True))
            self.assertEqual(response.status_code, 200, code)
            self.assertTrue(response.json()["compact"], code)

    def test_a_bad_compact_value_is_a_400_naming_it(self):
        for value in ("yes", "2", "true"):
            response = self.get(self.operator, url(compact=value))
            self.assertEqual(response.status_code, 400, value)
            self.assertIn("compact", response.json()["error"]["fields"])

    def test_the_answer_is_gzipped_when_the_browser_accepts_it(self):
        plain = self.get(self.operator, url(compact="0"))
        packed = self.get(self.operator, url(compact="0"), HTTP_ACCEPT_ENCODING="gzip, deflate")
        self.assertNotIn("Content-Encoding", plain)
        self.assertEqual(packed["Content-Encoding"], "gzip")
        self.assertEqual(json.loads(gzip.decompress(packed.content)), plain.json())


@override_settings(IOC_OVERVIEW_CACHE_SECONDS=0)
class LayerVersionsTest(MapWorld, TestCase):
    codes = ["citizen_reports", "incidents", "sensors", "facilities"]

    def versions(self):
        return layers.layer_versions(codes=self.codes)

    def test_a_report_moves_the_reports_stamp_only(self):
        before = self.versions()
        self.assertEqual(before["facilities"], "")  # a layer without a stamp
        report = self.report()
        after = self.versions()
        self.assertNotEqual(after["citizen_reports"], before["citizen_reports"])
        others = ("incidents", "sensors")
        self.assertEqual({k: after[k] for k in others}, {k: before[k] for k in others})
        report_services.report_verify(report=report, actor=self.operator)  # a step: its event moves the stamp
        self.assertNotEqual(self.versions()["citizen_reports"], after["citizen_reports"])

    def test_the_stamps_are_kept_for_the_overviews_period(self):
        with override_settings(IOC_OVERVIEW_CACHE_SECONDS=60):
            before = self.versions()
            self.report()
            self.assertEqual(self.versions(), before)  # the polling screens share one computation per period


@override_settings(IOC_OVERVIEW_CACHE_SECONDS=0, MAPS_LAYER_STORE_SECONDS=60)
class StoredCompactTest(MapWorld, TestCase):
    """A compact answer is read from the cache while its layer's stamp stands, per user and scope."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.first = cls.report()
        cls.held = cls.forward(cls.report(code=OTHER_COMMUNE))

    def setUp(self):
        cache.clear()  # the stamps are MAX(id)s: a rolled-back test's ids come again

    def ask(self, user, address=None):
        """The answer, and the statements that read the reports' rows (the stamp's MAX(id) left out)."""
        self.sign_in(self.client, user)
        with CaptureQueriesContext(connection) as queries:
            answer = self.client.get(address or url()).json()
        sql = [q["sql"] for q in queries.captured_queries]
        return answer, [q for q in sql if '"citizen_reports_report"' in q and "MAX(" not in q]

    def test_a_second_screen_reads_the_stored_answer(self):
        first, reads = self.ask(self.operator)
        self.assertTrue(reads)
        again, reads = self.ask(self.operator)
        self.assertEqual(reads, [])
        self.assertEqual(again, first)
        self.assertEqual({row[0] for row in again["points"]}, {self.first.pk, self.held.pk})

    def test_a_new_report_and_a_step_move_the_stamp_and_show(self):
        self.ask(self.operator)
        fresh = self.report()
        answer, reads = self.ask(self.operator)
        self.assertTrue(reads)
        self.assertIn(fresh.pk, [row[0] for row in answer["points"]])
        report_services.report_verify(report=fresh, actor=self.operator)
        answer, _reads = self.ask(self.operator)
        self.assertEqual(next(row[3] for row in answer["points"] if row[0] == fresh.pk), "verified")

    def test_each_user_reads_its_own_scope(self):
        self.ask(self.operator)
        answer, reads = self.ask(self.officer_a)
        self.assertTrue(reads)
        self.assertEqual([row[0] for row in answer["points"]], [self.held.pk])
        self.assertEqual(self.ask(self.officer_b)[0]["points"], [])
        self.assertEqual(len(self.ask(self.operator)[0]["points"]), 2)

    def test_another_view_or_zoom_is_another_answer(self):
        self.ask(self.operator)
        self.assertTrue(self.ask(self.operator, url(zoom=13))[1])
        self.assertTrue(self.ask(self.operator, url().replace("105.5,", "105.6,"))[1])

    def test_geojson_is_never_stored_nor_anything_when_off(self):
        self.ask(self.operator, url(compact="0"))
        self.assertTrue(self.ask(self.operator, url(compact="0"))[1])
        with override_settings(MAPS_LAYER_STORE_SECONDS=0):
            self.ask(self.operator)
            self.assertTrue(self.ask(self.operator)[1])

    def test_a_layer_without_a_stamp_is_read_each_time(self):
        self.sign_in(self.client, self.operator)
        facilities = url("facilities")
        self.client.get(facilities)
        self.assertFalse([k for k in cache._cache if "compact" in str(k)])  # type: ignore[attr-defined]


class MarkTest(SimpleTestCase):
    def test_the_colour_is_the_points_band_else_its_first_banded_stream(self):
        band = {"label": "Tốt", "colour": "#2fb344", "text": ""}
        self.assertEqual(layers.mark_of("colour", {"band": band}), "#2fb344")
        streams = [{"band": None}, {"band": {"label": "Xấu", "colour": "#d63939"}}]
        self.assertEqual(layers.mark_of("colour", {"datastreams": streams}), "#d63939")
        self.assertEqual(layers.mark_of("colour", {"datastreams": [{"band": None}]}), "")
        self.assertEqual(layers.mark_of("status", {"status": "received"}), "received")
        self.assertEqual(layers.mark_of("severity", {"severity": 4}), 4)
