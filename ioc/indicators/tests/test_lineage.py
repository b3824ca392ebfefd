"""R2.1–R2.3 lineage on the indicator page: for each value shown, reported (and by whom) or computed (from the
communes, or by the formula), the catalogue version it was reported under, and for a dataset-fed indicator the
dataset and its last submission for that period (a link)."""

import re

from django.test import TestCase

from ioc.accounts.testing import Personas
from ioc.datahub import services as datahub_services
from ioc.datahub.choices import Channel
from ioc.datahub.testing import dataset_make, revenue_schema
from ioc.indicators import services
from ioc.indicators.tests.support import DECISION, catalogue, communes, spec, territory

DATASET = "thu-ngan-sach-xa"


def lineage_rows(page):
    """{period: row html} of the lineage table."""
    return dict(re.findall(r'<tr data-lineage="([^"]+)"(.*?)</tr>', page, re.S))


class LineageTest(Personas, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        territory()
        cls.units = communes(2)
        catalogue(
            cls.leader,
            spec("revenue"),
            spec("population"),
            spec("per_capita", source="formula", formula="revenue / population"),
        )
        put = [
            {"indicator": code, "period": "202501", "unit": u.code, "value": value}
            for code, values in (("revenue", (10, 20)), ("population", (5, 5)))
            for u, value in zip(cls.units, values, strict=True)
        ]
        services.values_import(actor=cls.officer_a, rows=put)
        services.catalog_version_approve(
            actor=cls.leader, change=[spec("revenue", name="Thu ngân sách")], **{**DECISION, "decision_no": "99/QĐ"}
        )
        services.values_import(
            actor=cls.officer_a, rows=[{"indicator": "revenue", "period": "202502", "unit": "territory", "value": 7}]
        )

    def test_reported_and_aggregated_values_with_reporter_and_version(self):
        self.sign_in(self.client, self.leader)
        page = self.client.get("/chi-so/revenue/").content.decode()
        rows = lineage_rows(page)
        self.assertEqual(list(rows), ["202502", "202501"])  # newest first
        reported, aggregated = rows["202502"], rows["202501"]
        self.assertIn('data-lineage-kind="reported"', reported)
        self.assertIn(str(self.officer_a), reported)
        self.assertIn("v2 · 99/QĐ", reported)  # reported under the version approved by 99/QĐ
        self.assertIn('data-lineage-kind="aggregate"', aggregated)
        self.assertIn("Tổng hợp từ xã, phường", aggregated)
        self.assertNotIn(str(self.officer_a), aggregated)  # computed: nobody reported it
        self.assertIn(f"v1 · {DECISION['decision_no']}", aggregated)

    def test_a_commune_value_names_its_reporter(self):
        self.sign_in(self.client, self.leader)
        page = self.client.get(f"/chi-so/revenue/?unit={self.units[0].code}").content.decode()
        row = lineage_rows(page)["202501"]
        self.assertIn('data-lineage-kind="reported"', row)
        self.assertIn(str(self.officer_a), row)

    def test_formula_values_say_so_in_english_too(self):
        self.sign_in(self.client, self.leader)
        self.client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        page = self.client.get("/chi-so/per_capita/").content.decode()
        row = lineage_rows(page)["202501"]
        self.assertIn('data-lineage-kind="formula"', row)
        self.assertIn("revenue / population", row)
        self.assertIn("Computed by the formula", row)


class DatasetLineageTest(Personas, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        territory()
        cls.units = communes(2)
        cls.dataset = dataset_make(
            actor=cls.system_account, owner=cls.agency_a, code=DATASET, schema=revenue_schema(), accept_valid_rows=True
        )
        catalogue(
            cls.leader,
            spec("revenue", source="dataset", dataset_field=f"{DATASET}.thu_ngan_sach", period_type="quarter"),
        )

    def send(self, rows):
        result = datahub_services.submission_ingest(
            actor=self.officer_a, dataset=self.dataset, agency=self.agency_a, channel=Channel.PUSH, rows=rows
        )
        return result.submission

    def test_each_value_links_its_dataset_and_last_submission(self):
        a, b = self.units
        first = self.send([{"ma_xa": a.code, "ky": "202507", "thu_ngan_sach": 1000}])
        second = self.send([{"ma_xa": b.code, "ky": "202508", "thu_ngan_sach": 500}])
        services.indicator_sources_sync(actor=self.system_account)
        self.sign_in(self.client, self.leader)
        territory_row = lineage_rows(self.client.get("/chi-so/revenue/").content.decode())["2025Q3"]
        self.assertIn('data-lineage-kind="aggregate"', territory_row)
        self.assertIn(f"/kho-du-lieu/bo-du-lieu/{DATASET}/", territory_row)
        self.assertIn(f'data-submission="{second.pk}"', territory_row)  # the last one behind the quarter
        commune_page = self.client.get(f"/chi-so/revenue/?unit={a.code}").content.decode()
        commune_row = lineage_rows(commune_page)["2025Q3"]
        self.assertIn('data-lineage-kind="reported"', commune_row)
        self.assertIn(str(self.system_account), commune_row)  # the sync reported it
        self.assertIn(f'data-submission="{first.pk}"', commune_row)  # commune a's own submission
