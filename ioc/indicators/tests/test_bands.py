"""R2.1 colour bands: each refusal (where a catalogue version is approved and on the configuration form's field), the
band chosen for a value at the boundaries, and the colours on the dashboard's cards, its choropleth and the map's
choropleth API (quintiles only without bands)."""

import json
import re

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase, TestCase

from ioc.accounts.testing import Personas
from ioc.indicators import services
from ioc.indicators.bands import band_for, bands_problems
from ioc.indicators.models import CatalogVersion, Indicator
from ioc.indicators.tests.support import DECISION, catalogue, communes, spec, territory
from ioc.indicators.tests.test_config_catalog import form_data

LOW, MID, HIGH = "#d63939", "#f59f00", "#2fb344"
BANDS = [
    {"from": None, "to": 20, "colour": LOW, "label": "Thấp"},
    {"from": 20, "to": 30, "colour": MID, "label": "Trung bình"},
    {"from": 40, "to": None, "colour": HIGH, "label": "Cao"},
]


def map_data(page):
    """The choropleth's data as the page hands it to the script (its json_script block)."""
    return json.loads(re.search(r'<script id="indicator-map-data"[^>]*>(.*?)</script>', page, re.S).group(1))


class BandRulesTest(SimpleTestCase):
    def test_the_forms_text_keeps_every_digit_of_a_bound(self):
        """Opening an indicator and saving it unchanged must not move its bands (`:g` kept six digits)."""
        from ioc.indicators.forms.config import bands_text

        bands = [{"from": 1234567.0, "to": 0.1234567891, "colour": LOW, "label": "Thấp"}]
        start, end, _colour, _label = (part.strip() for part in bands_text(bands).split(";"))
        self.assertEqual((float(start), float(end)), (1234567.0, 0.1234567891))

    def test_good_bands_and_none_pass(self):
        self.assertEqual(bands_problems(BANDS), [])
        self.assertEqual(bands_problems([]), [])
        self.assertEqual(bands_problems(None), [])

    def test_each_refusal_names_its_band_and_reason(self):
        cases = {
            "overlaps band 1": [{"from": 0, "to": 25, "colour": LOW, "label": "a"}, {**BANDS[1]}],
            "ascending order": [{**BANDS[1]}, {"from": 0, "to": 10, "colour": LOW, "label": "a"}],
            "colour must be": [{"from": 0, "to": 10, "colour": "red", "label": "a"}],
            "a label": [{"from": 0, "to": 10, "colour": LOW, "label": " "}],
            "from must be below to": [{"from": 10, "to": 10, "colour": LOW, "label": "a"}],
            "must be numbers": [{"from": "mười", "to": 10, "colour": LOW, "label": "a"}],
            "only the first band may omit from": [{**BANDS[0]}, {"from": None, "to": 40, "colour": MID, "label": "b"}],
            "only the last band may omit to": [{"from": 0, "to": None, "colour": LOW, "label": "a"}, {**BANDS[2]}],
            "keys are": [{"from": 0, "to": 10, "color": LOW, "label": "a"}],
            "must be a list": {"from": 0},
            "at most": [{"from": n, "to": n + 1, "colour": LOW, "label": "a"} for n in range(13)],
        }
        for reason, bands in cases.items():
            with self.subTest(reason):
                problems = bands_problems(bands)
                self.assertTrue(any(reason in p for p in problems), problems)

    def test_infinite_bounds_are_refused(self):
        self.assertTrue(bands_problems([{"from": float("inf"), "to": None, "colour": LOW, "label": "a"}]))

    def test_the_band_chosen_at_the_boundaries(self):
        self.assertEqual(band_for(BANDS, -1e9)["colour"], LOW)
        self.assertEqual(band_for(BANDS, 19.99)["colour"], LOW)
        self.assertEqual(band_for(BANDS, 20)["colour"], MID)  # from is inclusive, to exclusive
        self.assertIsNone(band_for(BANDS, 30))  # the gap 30–40
        self.assertEqual(band_for(BANDS, 40)["colour"], HIGH)
        self.assertIsNone(band_for(BANDS, None))
        self.assertIsNone(band_for([], 5))


class BandsInUseTest(Personas, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        territory()
        cls.units = communes(3)
        catalogue(cls.leader, spec("revenue", bands=BANDS), spec("spending"))
        rows = [
            {"indicator": code, "period": "202501", "unit": u.code, "value": value}
            for code in ("revenue", "spending")
            for u, value in zip(cls.units, (5, 25, 35), strict=True)
        ]
        services.values_import(actor=cls.officer_a, rows=rows)

    def test_approving_bad_bands_is_refused_and_writes_nothing(self):
        bad = [{"from": 0, "to": 10, "colour": "#zzzzzz", "label": "a"}]
        with self.assertRaises(ValidationError) as caught:
            services.catalog_version_approve(actor=self.leader, add=[spec("other", bands=bad)], **DECISION)
        self.assertIn("other: bands:", " ".join(caught.exception.message_dict["add"]))
        changed = {**spec("revenue"), "bands": [BANDS[1], BANDS[0]]}
        with self.assertRaises(ValidationError):
            services.catalog_version_approve(actor=self.leader, change=[changed], **DECISION)
        self.assertEqual(CatalogVersion.objects.count(), 1)
        self.assertEqual(Indicator.objects.get(code="revenue").bands, BANDS)

    def test_the_form_shows_each_refusal_on_the_bands_field(self):
        self.sign_in(self.client, self.leader)
        cases = {
            "overlapping": "0; 25; #d63939; Thấp\n20; 30; #f59f00; Vừa",
            "unordered": "20; 30; #f59f00; Vừa\n0; 10; #d63939; Thấp",
            "bad colour": "0; 10; đỏ; Thấp",
            "three parts": "0; 10; #d63939",
            "not a number": "không; 10; #d63939; Thấp",
        }
        for case, text in cases.items():
            with self.subTest(case):
                response = self.client.post("/chi-so/cau-hinh/them/", form_data(bands=text))
                self.assertContains(response, 'data-field="bands"', status_code=400)
        self.assertFalse(Indicator.objects.filter(code="tourists").exists())
        good = "; 20; #d63939; Thấp\n20; 30; #f59f00; Trung bình\n40; ; #2fb344; Cao"
        self.assertEqual(self.client.post("/chi-so/cau-hinh/them/", form_data(bands=good)).status_code, 302)
        self.assertEqual(Indicator.objects.get(code="tourists").bands, BANDS)
        edit = self.client.get("/chi-so/cau-hinh/tourists/sua/").content.decode()
        self.assertIn("40; ; #2fb344; Cao", edit)

    def test_the_cards_and_the_choropleth_use_the_bands(self):
        self.sign_in(self.client, self.leader)
        response = self.client.get("/chi-so/?sector=kinh-te&indicator=revenue")
        page = response.content.decode()
        # revenue's territory value is 65: the open-ended top band
        self.assertIn(f'data-band-colour="{HIGH}"', page)
        self.assertIn('data-band="Cao"', page)
        data = map_data(page)
        codes = [u.code for u in self.units]
        self.assertEqual(data["colours"], {codes[0]: LOW, codes[1]: MID})  # 35 is in the gap: no colour
        self.assertEqual(data["bands"], BANDS)
        self.assertIn("data-indicator-bands", page)

    def test_without_bands_the_card_keeps_its_status_and_the_map_its_quintiles(self):
        self.sign_in(self.client, self.leader)
        response = self.client.get("/chi-so/?sector=kinh-te&indicator=spending")
        page = response.content.decode()
        card = page.split('data-indicator="spending"')[1].split("Chi tiết chỉ số")[0]
        self.assertNotIn("data-band-colour", card)
        data = map_data(page)
        self.assertEqual((data["bands"], data["colours"]), ([], {}))
        self.assertNotIn("data-indicator-bands", page)

    def test_the_map_api_gives_each_commune_its_band_colour(self):
        self.sign_in(self.client, self.leader)
        data = self.client.get("/api/v1/maps/choropleth/?indicator=revenue").json()
        self.assertEqual(data["indicator"]["bands"], BANDS)
        self.assertEqual(sorted(v["colour"] for v in data["values"]), ["", LOW, MID])
        plain = self.client.get("/api/v1/maps/choropleth/?indicator=spending").json()
        self.assertEqual({v["colour"] for v in plain["values"]}, {""})
