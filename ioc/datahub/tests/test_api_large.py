"""R1.2, DESIGN "Durable work": a push over 5,000 rows is answered 202 with a URL to follow; the worker imports
it once (claim with a lease; a lost lease rolls back), and a failure is recorded with its reason."""

from __future__ import annotations

import datetime as dt
import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from ioc.accounts.models import User
from ioc.accounts.testing import Personas
from ioc.datahub import services
from ioc.datahub.choices import SYNC_ROW_LIMIT, Channel, JobState
from ioc.datahub.models import Dataset, IngestJob, Record, Submission
from ioc.datahub.testing import dataset_make, revenue_schema
from ioc.datahub.tests.support import COMMUNE


def revenue_rows(n: int) -> list[dict[str, object]]:
    """n rows of budget revenue: one commune, n distinct days as periods (keys differ)."""
    start = dt.date(2020, 1, 1)
    return [
        {"ma_xa": COMMUNE, "ky": (start + dt.timedelta(days=i)).strftime("%Y%m%d"), "thu_ngan_sach": i}
        for i in range(n)
    ]


class LargePushTest(Personas, TestCase):
    dataset: Dataset

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.dataset = dataset_make(actor=cls.system_account, owner=cls.agency_a, code="test", schema=revenue_schema())

    def push(self, rows: list[dict[str, object]]):  # type: ignore[no-untyped-def]
        url = reverse("datahub_api:push", kwargs={"code": "test"})
        headers = {"Authorization": f"Bearer {self.system_token}"}
        return self.client.post(url, json.dumps({"rows": rows}), content_type="application/json", headers=headers)

    def test_over_the_limit_is_queued_then_imported_once(self) -> None:
        with self.captureOnCommitCallbacks(execute=False):
            response = self.push(revenue_rows(SYNC_ROW_LIMIT + 1))
        self.assertEqual(response.status_code, 202, response.content)
        job_url = response.json()["url"]
        headers = {"Authorization": f"Bearer {self.system_token}"}
        self.assertEqual(self.client.get(job_url, headers=headers).json()["state"], "queued")
        self.assertFalse(Submission.objects.exists())
        self.assertEqual(services.ingest_jobs_run_due(), 1)
        self.assertEqual(services.ingest_jobs_run_due(), 0)  # safe to run twice
        body = self.client.get(job_url, headers=headers).json()
        self.assertEqual(body["state"], "done")
        self.assertEqual(Submission.objects.get().pk, body["submission"]["id"])
        self.assertEqual(Record.objects.count(), SYNC_ROW_LIMIT + 1)
        self.assertEqual(IngestJob.objects.get().content, b"")

    def test_a_lost_lease_rolls_the_import_back(self) -> None:
        job = services.ingest_job_create(
            actor=self.system_user,
            dataset=self.dataset,
            agency=self.agency_a,
            channel=Channel.PUSH,
            rows=revenue_rows(3),
        )
        lease = services.ingest_job_claim(pk=job.pk)
        assert lease is not None
        IngestJob.objects.filter(pk=job.pk).update(lease_until=timezone.now() - dt.timedelta(seconds=1))
        self.assertIsNotNone(services.ingest_job_claim(pk=job.pk))  # a second worker takes the expired lease
        with self.assertRaises(services.JobLost):
            services.submission_ingest(
                actor=self.system_user,
                dataset=self.dataset,
                agency=self.agency_a,
                channel=Channel.PUSH,
                rows=revenue_rows(3),
                job=(job.pk, lease),
            )
        self.assertFalse(Submission.objects.exists())
        self.assertFalse(Record.objects.exists())

    def test_a_job_that_cannot_be_imported_fails_with_its_reason(self) -> None:
        job = services.ingest_job_create(
            actor=self.system_user,
            dataset=self.dataset,
            agency=self.agency_a,
            channel=Channel.PUSH,
            rows=revenue_rows(2),
        )
        User.objects.filter(pk=self.system_user.pk).update(is_active=False)  # the system's account is locked meanwhile
        self.assertEqual(services.ingest_jobs_run_due(), 1)
        job.refresh_from_db()
        self.assertEqual((job.state, job.last_error), (JobState.FAILED, "Tài khoản không thuộc cơ quan gửi dữ liệu."))
        self.assertFalse(Submission.objects.exists())


class LargeUploadPageTest(Personas, TestCase):
    """R1.2: an officer's upload over 5,000 rows goes to the worker; the job page shows its progress and, once
    done, links the submission; another agency's officer cannot see it."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        dataset_make(actor=cls.system_account, owner=cls.agency_a, code="test", schema=revenue_schema())

    def test_a_large_upload_is_queued_and_followed_on_its_page(self) -> None:
        lines = ["ma_xa,ky,thu_ngan_sach"] + [
            f"{r['ma_xa']},{r['ky']},{r['thu_ngan_sach']}" for r in revenue_rows(SYNC_ROW_LIMIT + 1)
        ]
        upload = SimpleUploadedFile("thu.csv", "\n".join(lines).encode(), content_type="text/csv")
        self.sign_in(self.client, self.officer_a)
        with self.captureOnCommitCallbacks(execute=False):
            response = self.client.post(reverse("datahub:upload", kwargs={"dataset": "test"}), {"file": upload})
        job = IngestJob.objects.get()
        self.assertRedirects(response, reverse("datahub:job_detail", kwargs={"pk": job.pk}))
        self.assertFalse(Submission.objects.exists())
        page = self.client.get(reverse("datahub:job_detail", kwargs={"pk": job.pk}))
        self.assertContains(page, 'data-state="queued"')
        self.assertContains(page, 'http-equiv="refresh"')
        self.assertEqual(services.ingest_jobs_run_due(), 1)
        page = self.client.get(reverse("datahub:job_detail", kwargs={"pk": job.pk}))
        self.assertContains(page, 'data-state="done"')
        self.assertNotContains(page, 'http-equiv="refresh"')
        self.assertContains(page, reverse("datahub:submission_detail", kwargs={"pk": Submission.objects.get().pk}))
        self.assertEqual(Record.objects.count(), SYNC_ROW_LIMIT + 1)
        self.sign_in(self.client, self.officer_b)
        self.assertEqual(self.client.get(reverse("datahub:job_detail", kwargs={"pk": job.pk})).status_code, 404)

    def test_a_small_upload_stays_synchronous(self) -> None:
        lines = ["ma_xa,ky,thu_ngan_sach"] + [f"{r['ma_xa']},{r['ky']},{r['thu_ngan_sach']}" for r in revenue_rows(3)]
        upload = SimpleUploadedFile("thu.csv", "\n".join(lines).encode(), content_type="text/csv")
        self.sign_in(self.client, self.officer_a)
        self.client.post(reverse("datahub:upload", kwargs={"dataset": "test"}), {"file": upload})
        self.assertFalse(IngestJob.objects.exists())
        self.assertEqual(Record.objects.count(), 3)

    def test_the_limit_counts_rows_not_the_header_with_or_without_a_last_newline(self) -> None:
        for rows, trailing, large in ((SYNC_ROW_LIMIT, "\n", False), (SYNC_ROW_LIMIT + 1, "", True)):
            body = ("h\n" + "\n".join(["r"] * rows) + trailing).encode()
            self.assertEqual(services.is_large(content=body, file_name="a.csv"), large, (rows, trailing))
            self.assertEqual(services.is_large(content=body + b"\n" * (trailing == ""), file_name="a.csv"), large)
