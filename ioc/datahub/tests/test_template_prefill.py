"""R1.2c: a downloaded template is pre-filled with the agency's last accepted values, and on the first download
of a dataset kept by administrative unit with one row per expected unit (the territory's communes)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.test import TestCase
from django.urls import reverse

from ioc.accounts.testing import Personas, system_actor
from ioc.datahub import selectors, services
from ioc.datahub.choices import Channel
from ioc.datahub.models import Dataset
from ioc.datahub.reading import table_read
from ioc.datahub.testing import dataset_make, revenue_schema
from ioc.datahub.tests.support import COMMUNE, facility
from ioc.geo.models import AdminUnit
from ioc.geo.services import territory_set


class TemplatePrefillTest(Personas, TestCase):
    revenue: Dataset
    facilities: Dataset

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        territory_set(
            actor=system_actor(),
            profile=settings.IOC_PROFILE,
            name="Tỉnh Hưng Yên",
            root_code="33",
            act_date=dt.date(2025, 7, 1),
        )
        cls.revenue = dataset_make(
            actor=cls.system_account, owner=cls.agency_a, code="thu-ngan-sach", schema=revenue_schema()
        )
        cls.facilities = dataset_make(actor=cls.system_account, owner=cls.agency_a)

    def test_the_first_download_lists_the_expected_units(self) -> None:
        rows = selectors.template_rows(dataset=self.revenue, agency_id=self.agency_a.pk)
        communes = set(
            AdminUnit.objects.filter(territories__profile=settings.IOC_PROFILE).values_list("code", flat=True)
        )
        self.assertTrue(communes)
        self.assertEqual({row["ma_xa"] for row in rows}, communes)
        self.assertEqual(set(rows[0]), {"ma_xa"})

    def test_later_downloads_carry_the_agencys_last_accepted_values_only(self) -> None:
        row = {"ma_xa": COMMUNE, "ky": "202507", "thu_ngan_sach": 12.5}
        services.submission_ingest(
            actor=self.officer_a, dataset=self.revenue, agency=self.agency_a, channel=Channel.PUSH, rows=[row]
        )
        self.assertEqual(selectors.template_rows(dataset=self.revenue, agency_id=self.agency_a.pk), [row])
        other = selectors.template_rows(dataset=self.revenue, agency_id=self.agency_b.pk)
        self.assertNotIn(row, other, "another agency's values are not pre-filled")
        self.sign_in(self.client, self.officer_a)
        url = reverse("datahub:template", kwargs={"dataset": self.revenue.code, "fmt": "csv"})
        table = table_read(content=self.client.get(url).content, file_name="mau.csv")
        self.assertEqual(table.rows, [[COMMUNE, "202507", "12.5"]])

    def test_a_point_dataset_is_not_filled_with_units(self) -> None:
        self.assertEqual(selectors.template_rows(dataset=self.facilities, agency_id=self.agency_a.pk), [])
        services.submission_ingest(
            actor=self.officer_a,
            dataset=self.facilities,
            agency=self.agency_a,
            channel=Channel.PUSH,
            rows=[facility()],
        )
        self.assertEqual(len(selectors.template_rows(dataset=self.facilities, agency_id=None)), 1)
