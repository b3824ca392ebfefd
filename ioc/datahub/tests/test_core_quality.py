"""R1.4: "đúng, đủ, sạch, sống" on crafted data — each measure, per submission and per dataset."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase
from django.utils import timezone

from ioc.accounts.testing import Personas
from ioc.datahub import selectors, services
from ioc.datahub.choices import Channel
from ioc.datahub.models import Dataset, Submission
from ioc.datahub.testing import dataset_make
from ioc.datahub.tests.support import facility


class QualityTest(Personas, TestCase):
    dataset: Dataset

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.dataset = dataset_make(actor=cls.system_account, owner=cls.agency_a, accept_valid_rows=True)

    def send(self, rows: list[dict[str, object]]) -> services.IngestResult:
        return services.submission_ingest(
            actor=self.officer_a, dataset=self.dataset, agency=self.agency_a, channel=Channel.PUSH, rows=rows
        )

    def test_dung_is_the_share_of_rows_passing_and_outliers_are_counted(self) -> None:
        rows = [facility(f"CS{i}", so_giuong=10 + i % 3) for i in range(9)] + [facility("BIG", so_giuong=900)]
        rows.append(facility("BAD", so_giuong="nhiều"))
        quality = self.send(rows).quality
        self.assertEqual(quality["dung"], round(100 * 10 / 11, 1))
        self.assertEqual(quality["outliers"], 1)
        self.assertEqual(quality["outlier_cells"][0]["value"], 900)

    def test_du_counts_filled_cells_and_units_present_again(self) -> None:
        self.send([facility("A"), facility("B")])
        quality = self.send(
            [facility("A", cong_suat=None, ngay_cap_nhat=None, ma_xa=None, vi_do=None, kinh_do=None)]
        ).quality
        self.assertEqual(quality["du"], round(100 * 4 / 9, 1))
        self.assertEqual(quality["units_present"], 0.0)

    def test_sach_counts_duplicates_unlisted_codes_and_unnormalised_text(self) -> None:
        quality = self.send(
            [facility("A"), facility("A"), facility("B", loai="khac"), facility("C", ten_co_so="  Trạm   y tế ")]
        ).quality
        self.assertEqual((quality["duplicates"], quality["code_errors"], quality["normalised"]), (1, 1, 1))
        self.assertEqual(quality["sach"], 50.0)

    def test_song_is_the_age_against_the_frequency(self) -> None:
        self.send([facility("A")])
        now = timezone.now()
        self.assertEqual(selectors.dataset_quality(dataset=self.dataset, now=now)["song"], 100.0)
        Submission.objects.update(received_at=now - dt.timedelta(days=52.5))
        late = selectors.dataset_quality(dataset=self.dataset, now=now)
        self.assertEqual((late["song"], late["limit_days"]), (50.0, 35))
        Submission.objects.update(received_at=now - dt.timedelta(days=80))
        self.assertEqual(selectors.dataset_quality(dataset=self.dataset, now=now)["song"], 0.0)

    def test_per_agency_the_mean_of_what_it_sent_in_the_boards_range(self) -> None:
        first = self.send([facility("A"), facility("B", loai="khac")]).quality  # sạch 50
        second = self.send([facility("C"), facility("D")]).quality  # sạch 100
        other = services.submission_ingest(
            actor=self.officer_b, dataset=self.dataset, agency=self.agency_b, channel=Channel.PUSH, rows=[facility("E")]
        ).quality
        now = timezone.now()
        found = selectors.agencies_quality(agency_ids=[self.agency_a.pk, self.agency_b.pk], now=now)
        mine = found[self.agency_a.pk]
        self.assertEqual(mine["submissions"], 2)
        for key in ("dung", "du", "sach"):
            self.assertEqual(mine[key], round((first[key] + second[key]) / 2, 1), key)
        self.assertEqual(found[self.agency_b.pk]["sach"], other["sach"])
        # What was sent before the board's range no longer counts.
        Submission.objects.filter(agency=self.agency_b).update(received_at=now - dt.timedelta(days=40))
        self.assertNotIn(self.agency_b.pk, selectors.agencies_quality(agency_ids=[self.agency_b.pk], now=now))
