"""R1.1, R1.2c, R1.4, R1.5: the catalog, a dataset's page with its templates and upload form, the submissions
and their error reports — each in the user's scope; bad uploads are form errors that write nothing."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from ioc.accounts.testing import Personas
from ioc.audit.models import AuditEntry
from ioc.datahub.models import Dataset, Record, Submission
from ioc.datahub.testing import dataset_make
from ioc.datahub.tests.support import FACILITY_HEADER, facility_line


def csv_file(*lines: str, name: str = "co-so.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ("\r\n".join([FACILITY_HEADER, *lines]) + "\r\n").encode("utf-8"), "text/csv")


class PagesTest(Personas, TestCase):
    dataset: Dataset

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.dataset = dataset_make(actor=cls.system_account, owner=cls.agency_a)
        dataset_make(actor=cls.system_account, owner=cls.agency_b, code="truong-hoc", name="Trường học")

    def upload(self, upload: SimpleUploadedFile | None, **data: str):  # type: ignore[no-untyped-def]
        self.sign_in(self.client, self.officer_a)
        url = reverse("datahub:upload", kwargs={"dataset": self.dataset.code})
        return self.client.post(url, {**({"file": upload} if upload else {}), **data})

    def test_the_catalog_shows_datasets_quality_and_its_definitions(self) -> None:
        self.upload(csv_file(facility_line()))
        self.sign_in(self.client, self.operator)
        with self.assertNumQueries(12):
            page = self.client.get(reverse("datahub:index"))
        self.assertContains(page, "Cơ sở y tế")
        self.assertContains(page, "Trường học")
        self.assertContains(page, "100,0%")
        self.assertContains(page, "z-score")

    def test_an_officer_filters_the_catalog_to_the_own_agency(self) -> None:
        self.sign_in(self.client, self.officer_a)
        page = self.client.get(reverse("datahub:index") + "?cua-toi=1")
        self.assertContains(page, "Cơ sở y tế")
        self.assertNotContains(page, "Trường học")

    def test_an_upload_is_stored_and_shows_its_lineage(self) -> None:
        response = self.upload(csv_file(facility_line()), period="202507")
        submission = Submission.objects.get()
        self.assertRedirects(response, reverse("datahub:submission_detail", kwargs={"pk": submission.pk}))
        self.assertEqual(
            (submission.channel, submission.submitter, submission.period), ("upload", self.officer_a, "202507")
        )
        self.assertTrue(AuditEntry.objects.filter(action="submission.ingest", actor=self.officer_a).exists())
        page = self.client.get(response["Location"])
        self.assertContains(page, "co-so.csv")
        self.assertContains(page, "Không có lỗi")

    def test_a_rejected_upload_shows_the_error_report_and_its_csv_escapes_formulas(self) -> None:
        response = self.upload(csv_file(facility_line(name="=cmd|' /C calc'!A0")))
        page = self.client.get(response["Location"])
        self.assertContains(page, "công thức")
        self.assertEqual(Record.objects.count(), 0)
        report = self.client.get(reverse("datahub:submission_errors", kwargs={"pk": Submission.objects.get().pk}))
        self.assertIn("'=cmd|", report.content.decode("utf-8-sig"))

    def test_a_dry_run_shows_the_result_and_stores_nothing(self) -> None:
        response = self.upload(csv_file(facility_line()), dry_run="on")
        self.assertContains(response, "chưa gửi")
        self.assertFalse(Submission.objects.exists())

    def test_bad_uploads_are_form_errors_that_write_nothing(self) -> None:
        for upload, expected in (
            (SimpleUploadedFile("anh.png", b"\x89PNG", "image/png"), "Chỉ nhận tệp .xlsx hoặc .csv"),
            (csv_file(facility_line()), "Kỳ không hợp lệ"),
        ):
            response = self.upload(upload, period="2025X" if expected.startswith("Kỳ") else "")
            self.assertContains(response, expected, status_code=400)
        self.assertContains(self.upload(None, period=""), "Chọn tệp", status_code=400)
        self.assertFalse(Submission.objects.exists())

    def test_another_agency_sees_no_submission_of_a_and_ioc_roles_see_all(self) -> None:
        response = self.upload(csv_file(facility_line()))
        detail = response["Location"]
        self.sign_in(self.client, self.officer_b)
        self.assertEqual(self.client.get(detail).status_code, 404)
        self.assertNotContains(self.client.get(reverse("datahub:submissions")), "co-so.csv")
        self.sign_in(self.client, self.operator)
        self.assertEqual(self.client.get(detail).status_code, 200)
        with self.assertNumQueries(8):
            self.assertContains(self.client.get(reverse("datahub:submissions")), "Cơ sở y tế")

    def test_templates_download_and_a_citizen_is_refused(self) -> None:
        self.sign_in(self.client, self.officer_b)
        xlsx = self.client.get(reverse("datahub:template", kwargs={"dataset": self.dataset.code, "fmt": "xlsx"}))
        self.assertEqual(xlsx["Content-Type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        csv = self.client.get(reverse("datahub:template", kwargs={"dataset": self.dataset.code, "fmt": "csv"}))
        self.assertTrue(csv.content.startswith(b"\xef\xbb\xbf"))
        self.sign_in(self.client, self.citizen)
        self.assertEqual(self.client.get(reverse("datahub:index")).status_code, 403)
