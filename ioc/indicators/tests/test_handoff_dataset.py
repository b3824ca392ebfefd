"""DESIGN "Datasets → indicators" end to end: a submission accepted by the data hub → the sweep (or "sync now")
reads the dataset field by unit and period past its watermark → indicator values (communes, the territory's
aggregate) → statuses against the targets → one warning; a rerun changes nothing, a correction updates."""

from django.test import TestCase

from ioc.accounts.testing import Personas
from ioc.datahub import services as datahub_services
from ioc.datahub.choices import Channel
from ioc.datahub.testing import dataset_make, revenue_schema
from ioc.geo.models import AdminUnit
from ioc.indicators import services
from ioc.indicators.models import Indicator, IndicatorWarning, SyncMark, Value
from ioc.indicators.tests.support import catalogue, communes, spec, territory

DATASET = "thu-ngan-sach-xa"


class DatasetHandoffTest(Personas, TestCase):
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
        cls.indicator = Indicator.objects.get(code="revenue")
        services.target_set(actor=cls.leader, indicator=cls.indicator, unit_id=None, period="2025Q3", value=5000)

    def send(self, rows):
        result = datahub_services.submission_ingest(
            actor=self.officer_a, dataset=self.dataset, agency=self.agency_a, channel=Channel.PUSH, rows=rows
        )
        self.assertIn(result.submission.status, ("accepted", "partial"))

    def values(self):
        return dict(Value.objects.filter(indicator=self.indicator).values_list("unit_id", "value"))

    def test_an_accepted_submission_becomes_values_statuses_and_one_warning(self):
        a, b = self.units
        self.send([
            {"ma_xa": a.code, "ky": "202507", "thu_ngan_sach": 1000},
            {"ma_xa": a.code, "ky": "202508", "thu_ngan_sach": 500},
            {"ma_xa": b.code, "ky": "202509", "thu_ngan_sach": 2000},
        ])  # fmt: skip
        result = services.indicator_sources_sync(actor=self.system_account)
        self.assertEqual((result.stored, result.skipped), (2, 0))
        self.assertEqual(self.values(), {a.pk: 1500.0, b.pk: 2000.0, None: 3500.0})
        territory_value = Value.objects.get(indicator=self.indicator, unit=None, period="2025Q3")
        self.assertEqual(territory_value.status, "not_met")
        self.assertEqual(IndicatorWarning.objects.filter(indicator=self.indicator, kind="not_met").count(), 1)

        again = services.indicator_sources_sync(actor=self.system_account)
        self.assertEqual(again.stored, 0)  # the watermark: nothing new

        self.send([{"ma_xa": b.code, "ky": "202509", "thu_ngan_sach": 4000}])  # a correction of b's row
        services.indicator_sources_sync(actor=self.system_account)
        self.assertEqual(self.values(), {a.pk: 1500.0, b.pk: 4000.0, None: 5500.0})
        territory_value.refresh_from_db()
        self.assertEqual(territory_value.status, "met")
        self.assertEqual(IndicatorWarning.objects.filter(indicator=self.indicator).count(), 1)
        self.assertEqual(
            SyncMark.objects.get(key=f"dataset:{DATASET}").position, self.dataset.submissions.latest("pk").pk
        )

    def test_cells_the_indicator_cannot_take_are_left_out_and_counted(self):
        a = self.units[0]
        outside = AdminUnit.objects.filter(hierarchy="2025", level="commune").exclude(territories__profile="hung-yen")
        self.send([
            {"ma_xa": a.code, "ky": "202507", "thu_ngan_sach": 10},
            {"ma_xa": outside.first().code, "ky": "202507", "thu_ngan_sach": 20},  # outside the territory
        ])  # fmt: skip
        result = services.dataset_indicators_sync(actor=self.system_account)
        self.assertEqual((result.stored, result.skipped), (1, 1))
        self.assertIn("Unit outside the territory", " ".join(result.reasons))
        self.assertEqual(self.values(), {a.pk: 10.0, None: 10.0})

    def test_sync_now_from_the_configuration_page(self):
        self.send([{"ma_xa": self.units[0].code, "ky": "202507", "thu_ngan_sach": 7}])
        self.sign_in(self.client, self.leader)
        response = self.client.post("/chi-so/cau-hinh/revenue/dong-bo/", follow=True)
        self.assertContains(response, "revenue")
        self.assertEqual(self.values()[None], 7.0)
        self.assertEqual(self.client.get("/chi-so/cau-hinh/revenue/dong-bo/").status_code, 405)

    def test_the_catalogue_refuses_a_field_that_is_not_a_number(self):
        from django.core.exceptions import ValidationError

        for reference in ("thu-ngan-sach-xa.ma_xa", "thu-ngan-sach-xa", "nope.value"):
            with self.subTest(reference), self.assertRaises(ValidationError):
                catalogue(self.leader, spec("other", source="dataset", dataset_field=reference))
