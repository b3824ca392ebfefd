"""R7.4: the wall screen polls a cheap version endpoint that answers 304 while nothing changed."""

import datetime as dt
import html
import json
import re
import time

from django.test import TestCase, override_settings

from ioc.accounts.testing import Personas, system_actor
from ioc.geo.services import territory_set
from ioc.web.tests import people
from ioc.web.tests.test_overview import alert


class DisplayVersionTest(Personas, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        territory_set(
            actor=system_actor(),
            profile="hung-yen",
            name="Tỉnh Hưng Yên",
            root_code="33",
            act_date=dt.date(2025, 9, 21),
        )

    def setUp(self):
        self.client = people.signed_in(self.screen_user)

    def test_it_answers_304_while_the_version_is_current(self):
        first = self.client.get("/man-hinh/phien-ban/", HTTP_X_IOC_BACKGROUND="1")
        self.assertEqual(first.status_code, 200)
        etag = first["ETag"]
        self.assertEqual(etag, f'"{first.json()["version"]}"')
        again = self.client.get("/man-hinh/phien-ban/", HTTP_IF_NONE_MATCH=etag, HTTP_X_IOC_BACKGROUND="1")
        self.assertEqual(again.status_code, 304)
        self.assertEqual(again.content, b"")

    @override_settings(IOC_OVERVIEW_CACHE_SECONDS=0)
    def test_it_answers_200_with_a_new_version_when_the_figures_change(self):
        etag = self.client.get("/man-hinh/phien-ban/")["ETag"]
        alert(self.system_user)  # issue 20: the version follows the overview's figures
        response = self.client.get("/man-hinh/phien-ban/", HTTP_IF_NONE_MATCH=etag)
        self.assertEqual(response.status_code, 200)
        self.assertNotEqual(response["ETag"], etag)

    def test_it_embeds_the_current_version_in_the_page(self):
        answer = self.client.get("/man-hinh/phien-ban/").json()
        page = self.client.get("/man-hinh/").content.decode()
        self.assertIn(f'data-version="{answer["version"]}"', page)
        self.assertIn(f'data-version="{answer["panels"]}"', page)  # the panels carry their own
        embedded = json.loads(html.unescape(re.search(r'data-layer-versions="([^"]*)"', page).group(1)))
        self.assertEqual(embedded, answer["layers"])

    def test_the_map_fits_the_territorys_box_before_its_communes_arrive(self):
        from ioc.geo.selectors import territory_bounds

        page = self.client.get("/man-hinh/").content.decode()
        box = ",".join(f"{v:.5f}" for v in territory_bounds(profile="hung-yen"))
        self.assertIn(f'data-bounds="{box}"', page)
        self.assertIn("data-map-compact", page)

    def test_it_preloads_the_communes_and_leaves_the_icon_font_off(self):
        page = self.client.get("/man-hinh/").content.decode()
        self.assertIn('<link rel="preload" href="/api/v1/geo/territory/boundaries/" as="fetch" crossorigin>', page)
        self.assertNotIn("tabler-icons", page)  # its one icon is drawn inline: no 213 KB stylesheet, no 507 KB font
        self.assertIn('<svg class="icon"', page)

    def test_it_does_not_extend_the_idle_time_when_polling_in_the_background(self):
        seen = time.time() - 60
        session = self.client.session
        session["ioc_seen"] = seen
        session.save()
        self.assertEqual(self.client.get("/man-hinh/phien-ban/", HTTP_X_IOC_BACKGROUND="1").status_code, 200)
        self.assertEqual(self.client.session.get("ioc_seen"), seen)

    def test_it_refuses_a_citizen(self):
        client = people.signed_in(self.citizen)
        self.assertEqual(client.get("/man-hinh/phien-ban/").status_code, 403)
