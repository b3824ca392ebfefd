"""DESIGN "Datasets → indicators": dataset_field_series (aggregates by period type and unit, watermark),
submission_list (accepted since a watermark) and record_rows (filter and sort on an indexed field)."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase

from ioc.accounts.testing import Personas
from ioc.datahub import selectors, services
from ioc.datahub.choices import Channel
from ioc.datahub.models import Dataset
from ioc.datahub.testing import dataset_make, revenue_schema
from ioc.datahub.tests.support import COMMUNE, facility

OTHER = "11977"


class SeriesTest(Personas, TestCase):
    revenue: Dataset
    facilities: Dataset

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.revenue = dataset_make(
            actor=cls.system_account, owner=cls.agency_a, code="thu-ngan-sach", schema=revenue_schema()
        )
        cls.facilities = dataset_make(actor=cls.system_account, owner=cls.agency_a)

    def send(self, dataset: Dataset, rows: list[dict[str, object]]) -> services.IngestResult:
        return services.submission_ingest(
            actor=self.officer_a, dataset=dataset, agency=self.agency_a, channel=Channel.PUSH, rows=rows
        )

    def test_monthly_rows_sum_to_quarters_per_unit(self) -> None:
        self.send(
            self.revenue,
            [
                {"ma_xa": COMMUNE, "ky": "202507", "thu_ngan_sach": "1.000,5"},
                {"ma_xa": COMMUNE, "ky": "202508", "thu_ngan_sach": 2000},
                {"ma_xa": OTHER, "ky": "202507", "thu_ngan_sach": 10},
            ],
        )
        series = selectors.dataset_field_series(
            dataset_code="thu-ngan-sach", field="thu_ngan_sach", agg="sum", period_type="quarter"
        )
        self.assertEqual(
            series,
            [
                {"period": "2025Q3", "unit": COMMUNE, "value": 3000.5, "count": 2},
                {"period": "2025Q3", "unit": OTHER, "value": 10.0, "count": 1},
            ],
        )
        avg = selectors.dataset_field_series(
            dataset_code="thu-ngan-sach", field="thu_ngan_sach", agg="avg", period_type="month"
        )
        self.assertEqual(avg[0], {"period": "202507", "unit": COMMUNE, "value": 1000.5, "count": 1})

    def test_a_watermark_returns_only_the_cells_later_submissions_touched_recomputed_whole(self) -> None:
        first = self.send(
            self.revenue,
            [
                {"ma_xa": COMMUNE, "ky": "202507", "thu_ngan_sach": 1},
                {"ma_xa": OTHER, "ky": "202507", "thu_ngan_sach": 5},
            ],
        )
        assert first.submission is not None
        self.send(self.revenue, [{"ma_xa": COMMUNE, "ky": "202508", "thu_ngan_sach": 2}])
        series = selectors.dataset_field_series(
            dataset_code="thu-ngan-sach",
            field="thu_ngan_sach",
            agg="sum",
            period_type="quarter",
            since_submission=first.submission.pk,
        )
        self.assertEqual(series, [{"period": "2025Q3", "unit": COMMUNE, "value": 3.0, "count": 2}])

    def test_a_correction_replaces_the_value_in_the_series(self) -> None:
        self.send(self.revenue, [{"ma_xa": COMMUNE, "ky": "202507", "thu_ngan_sach": 1}])
        self.send(self.revenue, [{"ma_xa": COMMUNE, "ky": "202507", "thu_ngan_sach": 7}])
        series = selectors.dataset_field_series(
            dataset_code="thu-ngan-sach", field="thu_ngan_sach", agg="sum", period_type="month"
        )
        self.assertEqual(series[0]["value"], 7.0)

    def test_submission_list_since_a_watermark_leaves_rejected_out(self) -> None:
        before = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
        accepted = self.send(self.revenue, [{"ma_xa": COMMUNE, "ky": "202507", "thu_ngan_sach": 1}])
        self.send(self.revenue, [{"ma_xa": "99999", "ky": "202507", "thu_ngan_sach": 1}])
        assert accepted.submission is not None
        self.assertEqual(list(selectors.submission_list(accepted_since=before)), [accepted.submission])
        self.assertEqual(list(selectors.submission_list(accepted_since=accepted.submission.received_at)), [])

    def test_record_rows_filter_and_sort_on_indexed_fields(self) -> None:
        self.send(
            self.facilities,
            [facility("A", so_giuong=30), facility("B", so_giuong=5, loai="benh_vien"), facility("C", so_giuong=12)],
        )
        rows = selectors.record_rows(dataset=self.facilities, filters={"loai": "tram_y_te"}, order="-so_giuong")
        self.assertEqual([r.data["ma_co_so"] for r in rows], ["A", "C"])
        by_beds = selectors.record_rows(dataset=self.facilities, filters={"so_giuong": "5"})
        self.assertEqual([r.data["ma_co_so"] for r in by_beds], ["B"])
        with self.assertRaises(ValueError):
            list(selectors.record_rows(dataset=self.facilities, filters={"ten_co_so": "x"}))

    def test_record_history_keeps_every_version_with_its_lineage(self) -> None:
        first = self.send(self.facilities, [facility("A", so_giuong=1)])
        self.send(self.facilities, [facility("A", so_giuong=2)])
        current = selectors.record_rows(dataset=self.facilities).get()
        history = list(selectors.record_history(dataset=self.facilities, pk_hash=current.pk_hash))
        self.assertEqual([(r.version, r.data["so_giuong"]) for r in history], [(1, 1), (2, 2)])
        self.assertEqual(history[0].submission, first.submission)
