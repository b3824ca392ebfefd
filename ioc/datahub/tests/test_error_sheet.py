"""R1.4 "bảng lỗi" (issue 10): a submission's own file with its bad cells marked — an .xlsx copy with a fill and
a comment on each bad cell, a CSV with an extra "Lỗi" column — made on the first download (by the worker for a
large file), seen only by those who see the submission, absent for a submission without errors, and dropped
after the retention while the submission and its report stay."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any
from unittest import mock

import openpyxl
import xlsxwriter
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from ioc.accounts.models import User
from ioc.accounts.testing import Personas
from ioc.audit.models import AuditEntry
from ioc.datahub import services
from ioc.datahub.choices import Channel, SheetState
from ioc.datahub.models import Dataset, Submission, SubmissionFile
from ioc.datahub.testing import dataset_make
from ioc.datahub.tests.support import FACILITY_HEADER, facility, facility_line


def xlsx_of(lines: list[list[Any]]) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_numbers": False})
    sheet = book.add_worksheet("Du lieu")
    for r, line in enumerate(lines):
        for c, value in enumerate(line):
            sheet.write(r, c, value)
    book.close()
    return out.getvalue()


def csv_of(*lines: str) -> bytes:
    return ("\r\n".join([FACILITY_HEADER, *lines]) + "\r\n").encode("utf-8")


class ErrorSheetTest(Personas, TestCase):
    dataset: Dataset

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.dataset = dataset_make(actor=cls.system_account, owner=cls.agency_a)

    def send(self, content: bytes, file_name: str) -> Submission:
        result = services.submission_ingest(
            actor=self.officer_a,
            dataset=self.dataset,
            agency=self.agency_a,
            channel=Channel.UPLOAD,
            content=content,
            file_name=file_name,
        )
        assert result.submission is not None
        return result.submission

    def download(self, submission: Submission, user: User | None = None):  # type: ignore[no-untyped-def]
        self.sign_in(self.client, user or self.officer_a)
        return self.client.get(reverse("datahub:submission_sheet", kwargs={"pk": submission.pk}))

    def test_xlsx_bad_cells_are_filled_and_commented_at_their_row_and_column(self) -> None:
        good, bad_code, bad_beds = facility("CS01"), facility("CS02", loai="khac"), facility("CS03", so_giuong="x")
        names = list(good)
        header = FACILITY_HEADER.split(";")
        submission = self.send(
            xlsx_of([header, *[[row[n] for n in names] for row in (good, bad_code, bad_beds)]]), "co-so.xlsx"
        )
        self.assertEqual(submission.status, "rejected")
        self.assertEqual(submission.upload_file.state, SheetState.KEPT)
        response = self.download(submission)
        self.assertEqual(response.status_code, 200)
        self.assertIn('filename="co-so-bang-loi.xlsx"', response["Content-Disposition"])
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        sheet = book["Du lieu"]
        self.assertEqual([c.value for c in sheet[1]], header)
        self.assertEqual(sheet["A3"].value, "CS02")  # the officer's own values, copied
        for ref, reason in (("C3", "Mã không có trong danh mục"), ("E4", "Sai kiểu dữ liệu")):
            with self.subTest(cell=ref):
                self.assertIsNotNone(sheet[ref].comment)
                self.assertIn(reason, sheet[ref].comment.text)
                self.assertTrue(str(sheet[ref].fill.fgColor.rgb).endswith("FFC7CE"))
        marked = {cell.coordinate for line in sheet.iter_rows() for cell in line if cell.comment is not None}
        self.assertEqual(marked, {"C3", "E4"})
        self.assertEqual(book["Loi"].max_row, 3)  # the header and the two errors
        self.assertEqual(AuditEntry.objects.filter(action="submission.error_sheet").count(), 1)
        again = self.download(submission)  # served as made: no second entry
        self.assertEqual(again.content, response.content)
        self.assertEqual(AuditEntry.objects.filter(action="submission.error_sheet").count(), 1)

    def test_csv_gets_a_loi_column_naming_field_and_reason(self) -> None:
        submission = self.send(
            csv_of(facility_line("CS01"), facility_line("CS02", beds="nhiều"), facility_line("=cmd|'/C calc'!A0")),
            "co-so.csv",
        )
        response = self.download(submission)
        self.assertEqual(response.status_code, 200)
        self.assertIn('filename="co-so-bang-loi.csv"', response["Content-Disposition"])
        lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
        self.assertEqual(lines[0][-1], "Lỗi")
        self.assertEqual(lines[0][:-1], FACILITY_HEADER.split(";"))
        self.assertEqual(lines[1][-1], "")
        self.assertTrue(lines[2][-1].startswith("so_giuong: Sai kiểu dữ liệu"), lines[2][-1])
        self.assertEqual(lines[2][4], "nhiều")
        self.assertIn("ma_co_so: Ô có dạng công thức", lines[3][-1])
        self.assertEqual(lines[3][0], "'=cmd|'/C calc'!A0")  # the copy escapes formula-like cells too

    def test_the_submission_page_links_the_sheet(self) -> None:
        submission = self.send(csv_of(facility_line("CS01", beds="x")), "co-so.csv")
        self.sign_in(self.client, self.officer_a)
        page = self.client.get(reverse("datahub:submission_detail", kwargs={"pk": submission.pk}))
        self.assertContains(page, reverse("datahub:submission_sheet", kwargs={"pk": submission.pk}))

    def test_another_agency_gets_404_and_nothing_is_made(self) -> None:
        submission = self.send(csv_of(facility_line("CS01", beds="x")), "co-so.csv")
        self.assertEqual(self.download(submission, self.officer_b).status_code, 404)
        self.assertEqual(SubmissionFile.objects.get().state, SheetState.KEPT)
        self.assertFalse(AuditEntry.objects.filter(action="submission.error_sheet").exists())

    def test_a_submission_without_errors_has_no_sheet(self) -> None:
        submission = self.send(csv_of(facility_line("CS01")), "co-so.csv")
        self.assertFalse(SubmissionFile.objects.exists())
        self.assertEqual(self.download(submission).status_code, 404)
        page = self.client.get(reverse("datahub:submission_detail", kwargs={"pk": submission.pk}))
        self.assertNotContains(page, reverse("datahub:submission_sheet", kwargs={"pk": submission.pk}))

    def test_json_rows_and_an_unreadable_file_keep_nothing(self) -> None:
        services.submission_ingest(
            actor=self.officer_a,
            dataset=self.dataset,
            agency=self.agency_a,
            channel=Channel.PUSH,
            rows=[facility("CS01", so_giuong="x")],
        )
        self.send(b"PK\x03\x04 not a workbook", "hong.xlsx")
        self.assertFalse(SubmissionFile.objects.exists())

    @override_settings(DATAHUB_KEEP_UPLOAD_BYTES=100)
    def test_a_file_over_the_bound_is_not_kept(self) -> None:
        submission = self.send(csv_of(facility_line("CS01", beds="x")), "co-so.csv")
        self.assertFalse(SubmissionFile.objects.exists())
        self.assertEqual(self.download(submission).status_code, 404)

    def test_a_large_file_is_marked_by_the_worker_while_its_page_waits(self) -> None:
        submission = self.send(csv_of(facility_line("CS01"), facility_line("CS02", beds="x")), "co-so.csv")
        with mock.patch("ioc.datahub.services.sheets.SYNC_ROW_LIMIT", 1), self.captureOnCommitCallbacks() as woken:
            page = self.download(submission)
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, 'data-state="queued"')
        self.assertContains(page, 'http-equiv="refresh"')
        self.assertEqual(len(woken), 1)  # the worker is woken after commit
        self.assertEqual(services.error_sheets_run_due(), 1)
        self.assertEqual(services.error_sheets_run_due(), 0)  # run twice: nothing left
        response = self.download(submission)
        self.assertEqual(response.status_code, 200)
        self.assertIn("so_giuong: Sai kiểu", response.content.decode("utf-8-sig").splitlines()[2])

    def test_kept_files_are_dropped_after_the_retention_and_the_report_stays(self) -> None:
        submission = self.send(csv_of(facility_line("CS01", beds="x")), "co-so.csv")
        self.assertEqual(services.error_sheets_expire(now=timezone.now() + dt.timedelta(days=89)), 0)
        self.assertEqual(services.error_sheets_expire(now=timezone.now() + dt.timedelta(days=91)), 1)
        self.assertEqual(self.download(submission).status_code, 404)
        self.assertEqual(len(Submission.objects.get().errors), 1)
        self.assertTrue(AuditEntry.objects.filter(action="submission_file.expire").exists())
