"""R6.1: the map pages — staff at /ban-do/ with its layers, indicator picker and selection tools; the public map
at /ban-do/cong-khai/ with the public layers only; both carry the territory's box and preload its communes
(issue 20)."""

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

    def test_the_map_fits_the_territorys_box_and_preloads_the_communes(self):
        from ioc.geo.selectors import territory_bounds

        box = territory_bounds(profile="hung-yen")
        self.assertIsNotNone(box)
        text = ",".join(f"{v:.5f}" for v in box)
        self.sign_in(self.client, self.operator)
        for address in ("/ban-do/", "/ban-do/cong-khai/"):
            page = self.client.get(address).content.decode()
            self.assertIn(f'data-bounds="{text}"', page, address)
            self.assertIn(
                '<link rel="preload" href="/api/v1/geo/territory/boundaries/" as="fetch" crossorigin>', page, address
            )

    def test_without_a_territory_there_is_no_box_nor_preload(self):
        from django.conf import settings

        from ioc.geo.models import Territory

        Territory.objects.filter(profile=settings.IOC_PROFILE).delete()
        self.sign_in(self.client, self.operator)
        page = self.client.get("/ban-do/").content.decode()
        self.assertNotIn("data-bounds", page)
        self.assertNotIn('rel="preload"', page)

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
