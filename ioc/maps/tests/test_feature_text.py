"""Issue 20 "Speed": a layer of points answered as JSON text spliced from each row (`Layer.features_text`,
`layers.Rendered`) is byte for byte what DRF renders from the same answer's dicts — quotes, backslashes, U+2028,
Vietnamese, floats, an overdue report — and a client asking for another format still gets DRF's answer."""

from __future__ import annotations

import datetime as dt
import json

from django.test import TestCase
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from ioc.citizen_reports.models import Category, Report
from ioc.geo.selectors import BBox
from ioc.maps import layers
from ioc.maps.tests.support import MapWorld, point_in

BOX = BBox(20.2, 105.5, 21.2, 107.0)
ADDRESS = "/api/v1/maps/layers/citizen_reports/?bbox=105.5,20.2,107.0,21.2&zoom=15"


class FeatureTextTest(MapWorld, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        lat, lon = point_in()
        cls.reports = [cls.report(lat=lat + k * 0.0001234567, lon=lon - k * 0.0007654321) for k in range(4)]
        late = cls.forward(cls.reports[0])
        Report.objects.filter(pk=late.pk).update(deadline_at=timezone.now() - dt.timedelta(hours=2))
        Report.objects.filter(pk=cls.reports[1].pk).update(
            received_at=dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC), tracking_code='PA-"1"\\x'
        )
        Category.objects.filter(pk=cls.road.pk).update(name='Đường "hỏng" \\ ổ gà\u2028dòng\u2029mới </script>')

    def test_the_spliced_answer_is_what_drf_renders_from_the_dicts(self):
        layer = layers.LAYERS["citizen_reports"]
        spliced = layers.layer_collection(user=self.operator, layer=layer, bbox=BOX, zoom=15, text=True)
        rendered = layers.layer_collection(user=self.operator, layer=layer, bbox=BOX, zoom=15)
        self.assertIsInstance(spliced, layers.Rendered)
        self.assertIsInstance(rendered, dict)
        self.assertEqual(spliced.text.encode("utf-8"), JSONRenderer().render(rendered))
        answer = json.loads(spliced.text)
        self.assertEqual(answer["total"], 4)
        overdue = {f["id"]: f["properties"]["overdue"] for f in answer["features"]}
        self.assertEqual(overdue, {r.pk: r.pk == self.reports[0].pk for r in self.reports})

    def test_the_api_sends_the_same_json_and_other_formats_stay_drfs(self):
        self.sign_in(self.client, self.operator)
        spliced = self.client.get(ADDRESS)
        self.assertEqual(spliced.status_code, 200)
        self.assertEqual(spliced["Content-Type"], "application/json")
        layer = layers.LAYERS["citizen_reports"]
        expected = layers.layer_collection(user=self.operator, layer=layer, bbox=BOX, zoom=15)
        self.assertEqual(spliced.content, JSONRenderer().render(expected))
        page = self.client.get(ADDRESS, HTTP_ACCEPT="text/html")
        self.assertEqual(page.status_code, 200)
        self.assertTrue(page["Content-Type"].startswith("text/html"))

    def test_a_clustered_or_compact_answer_is_never_spliced(self):
        layer = layers.LAYERS["citizen_reports"]
        compact = layers.layer_collection(user=self.operator, layer=layer, bbox=BOX, zoom=15, compact=True, text=True)
        self.assertIsInstance(compact, dict)
        self.assertTrue(compact["compact"])
