"""R6.1: the map pages — staff at /ban-do/ with its layers, indicator picker and selection tools; the public map
at /ban-do/cong-khai/ with the public layers only."""

from __future__ import annotations

from django.test import TestCase

from ioc.maps.tests.support import MapWorld


class MapPagesTest(MapWorld, TestCase):
    def test_staff_see_the_layers_and_selection_tools(self):
        self.sign_in(self.client, self.operator)
        page = self.client.get("/ban-do/").content.decode()
        for code in ("citizen_reports", "incidents", "sensors", "facilities"):
            self.assertIn(f'data-map-layer="{code}"', page)
        self.assertIn('data-selection-url="/api/v1/maps/selection/"', page)
        self.assertIn("geoman", page)
        self.assertIn("data-boundaries-url", page)

    def test_an_agency_officer_may_open_it_and_a_citizen_may_not(self):
        self.sign_in(self.client, self.officer_b)
        self.assertEqual(self.client.get("/ban-do/").status_code, 200)
        self.sign_in(self.client, self.citizen)
        self.assertEqual(self.client.get("/ban-do/").status_code, 403)

    def test_the_public_map_offers_public_layers_only(self):
        page = self.client.get("/ban-do/cong-khai/").content.decode()
        self.assertIn("/api/v1/maps/public/layers/citizen_reports/", page)
        self.assertIn("/api/v1/maps/public/layers/sensors/", page)
        self.assertNotIn("data-selection-url", page)
        self.assertNotIn("/api/v1/maps/layers/incidents/", page)
