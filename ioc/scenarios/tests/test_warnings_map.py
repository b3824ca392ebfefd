"""R5.2, R6.1 (issue 20 part 6): the public map's warnings layer shows the warnings in force — not one awaiting
approval, expired or cancelled — at a point inside each one's area (or its communes' centres), with the public
page's fields only."""

from __future__ import annotations

import datetime as dt

import shapely
from django.test import TestCase
from django.utils import timezone

from ioc.geo.selectors import BBox
from ioc.scenarios import selectors, services
from ioc.scenarios.models import PublicWarning
from ioc.scenarios.tests.support import COMMUNE, ScenarioMixin, territory, unit
from ioc.scenarios.tests.test_warnings import draft

URL = "/api/v1/maps/public/layers/warnings/?bbox=100,5,115,25&zoom=13"
FIELDS = {"id", "lat", "lon", "title", "severity", "severity_label", "area_desc", "expires_label", "url"}
WORLD = BBox(min_lat=5, min_lon=100, max_lat=25, max_lon=115)


class WarningsLayerTest(ScenarioMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        territory()

    def test_only_warnings_in_force_appear_inside_their_area(self) -> None:
        shown = services.warning_publish(actor=self.operator, draft=draft())
        services.warning_publish(actor=self.operator, draft=draft(severity=4))  # awaits the leader: not public
        expired = services.warning_publish(actor=self.operator, draft=draft(headline_vi="Đã hết hiệu lực"))
        PublicWarning.objects.filter(pk=expired.pk).update(expires=timezone.now() - dt.timedelta(minutes=1))
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 200)
        features = response.json()["features"]
        self.assertEqual([f["id"] for f in features], [shown.identifier])
        props = features[0]["properties"]
        self.assertEqual(set(props), FIELDS)
        self.assertEqual(props["title"], shown.headline_vi)
        self.assertEqual(props["url"], f"/canh-bao-cong-dong/{shown.identifier}/")
        lon, lat = features[0]["geometry"]["coordinates"]
        area = shapely.geometry.shape(shown.area_geojson)
        self.assertTrue(area.buffer(1e-6).contains(shapely.Point(lon, lat)), "the point lies inside the warning's area")

    def test_a_warning_by_communes_only_shows_at_each_commune_and_leaves_a_box_it_is_not_in(self) -> None:
        warning = services.warning_publish(actor=self.operator, draft=draft(area_geojson=None, unit_codes=[COMMUNE]))
        found = selectors.warnings_features(user=None, bbox=WORLD)
        commune = unit(COMMUNE)
        self.assertEqual(
            [(f["id"], f["lat"], f["lon"]) for f in found],
            [(f"{warning.identifier}:{COMMUNE}", commune.lat, commune.lon)],
        )
        far = BBox(min_lat=0, min_lon=0, max_lat=1, max_lon=1)
        self.assertEqual(selectors.warnings_features(user=None, bbox=far), [])
