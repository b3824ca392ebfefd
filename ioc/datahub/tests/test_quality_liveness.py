"""R1.4 "sống" on crafted data: the data age against the frequency, the on-time rate of the dataset's obligations
(R1.3) and its pull connector's health, combined and each shown with its definition on the dataset's page."""

from __future__ import annotations

from django.test import SimpleTestCase, TestCase
from django.urls import reverse

from ioc.accounts.testing import Personas
from ioc.common.testing import frozen, local
from ioc.datahub import selectors, services
from ioc.datahub.choices import Channel, ObligationFrequency, RunStatus
from ioc.datahub.models import ConnectorRun, Dataset
from ioc.datahub.quality import liveness
from ioc.datahub.testing import dataset_make
from ioc.datahub.tests.support import facility

NOW = local(2026, 4, 20, 10)  # a Monday morning: Monday 13 and Thursday 16 April have passed


class LivenessPartsTest(SimpleTestCase):
    def test_song_is_the_mean_of_the_known_parts(self) -> None:
        self.assertEqual(liveness(age=100.0, on_time=50.0, connector=75.0)["song"], 75.0)
        self.assertEqual(liveness(age=40.0, on_time=None, connector=None)["song"], 40.0)
        self.assertIsNone(liveness(age=None, on_time=None, connector=None)["song"])


class LivenessTest(Personas, TestCase):
    dataset: Dataset

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.dataset = dataset_make(actor=cls.system_account, owner=cls.agency_a)
        dataset_make(actor=cls.system_account, owner=cls.agency_b, code="truong-hoc", name="Trường học")
        with frozen(local(2026, 4, 13, 8)):
            services.obligation_set(
                actor=cls.operator,
                dataset=cls.dataset,
                agency=cls.agency_a,
                frequency=ObligationFrequency.WEEKLY,
                weekdays=[1, 4],
            )
        with frozen(local(2026, 4, 13, 15)):  # Monday's due answered on time; Thursday's missed
            services.submission_ingest(
                actor=cls.officer_a, dataset=cls.dataset, agency=cls.agency_a, channel=Channel.PUSH, rows=[facility()]
            )
        values = services.ConnectorSettings(url="https://api.example.vn/co-so", is_active=True)
        connector = services.connector_set(actor=cls.admin, dataset=cls.dataset, values=values)
        for minute, status in enumerate([RunStatus.SUCCESS, RunStatus.FAILED, RunStatus.SUCCESS, RunStatus.SUCCESS]):
            ConnectorRun.objects.create(connector=connector, started_at=local(2026, 4, 19, 8, minute), status=status)

    def test_each_part_and_their_mean(self) -> None:
        quality = selectors.dataset_quality(dataset=self.dataset, now=NOW)
        self.assertEqual(quality["song_age"], 100.0)
        self.assertEqual(quality["on_time"], 50.0)
        self.assertEqual(quality["connector_health"], 75.0)
        self.assertEqual(quality["song"], 75.0)

    def test_a_paused_connector_and_a_dataset_without_obligations_leave_their_parts_out(self) -> None:
        other = selectors.dataset_quality(dataset=Dataset.objects.get(code="truong-hoc"), now=NOW)
        self.assertEqual((other["on_time"], other["connector_health"], other["song"]), (None, None, None))
        paused = services.ConnectorSettings(url="https://api.example.vn/co-so", is_active=False)
        services.connector_set(actor=self.admin, dataset=self.dataset, values=paused)
        self.assertIsNone(selectors.dataset_quality(dataset=self.dataset, now=NOW)["connector_health"])

    def test_only_the_last_ten_runs_count(self) -> None:
        connector = self.dataset.connector
        for minute in range(10):
            ConnectorRun.objects.create(
                connector=connector, started_at=local(2026, 4, 19, 9, minute), status=RunStatus.SUCCESS
            )
        self.assertEqual(selectors.dataset_quality(dataset=self.dataset, now=NOW)["connector_health"], 100.0)

    def test_the_page_shows_the_parts_and_their_definition(self) -> None:
        self.sign_in(self.client, self.operator)
        with frozen(NOW):
            page = self.client.get(reverse("datahub:dataset_detail", kwargs={"dataset": self.dataset.code}))
        self.assertContains(page, 'data-part="on-time"')
        parts = page.content.decode().split('id="liveness"', 1)[1].split("</dd>", 1)[0]
        self.assertRegex(parts, r'data-part="on-time".*50[.,]0%')
        self.assertRegex(parts, r'data-part="connector".*75[.,]0%')
        self.assertContains(page, "sức khỏe kết nối kéo")

    def test_the_catalogs_query_count_does_not_grow_with_datasets(self) -> None:
        datasets = list(Dataset.objects.all())
        with self.assertNumQueries(8):  # quality ×2, obligations, received, cadence, calendar ×2 (one agency), runs
            selectors.datasets_quality(datasets=datasets, now=NOW)
