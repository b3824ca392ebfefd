"""R1.2c: templates generated from the schema (.xlsx and CSV), read back with python-calamine; exports escape
formula-like cells."""

from __future__ import annotations

import io

import openpyxl
from django.test import TestCase

from ioc.accounts.testing import Personas
from ioc.common.spreadsheet import export_cell
from ioc.datahub import services
from ioc.datahub.choices import Channel
from ioc.datahub.models import Dataset, Record
from ioc.datahub.reading import DATA_SHEET, table_read
from ioc.datahub.testing import FACILITY_TYPES, dataset_make
from ioc.datahub.tests.support import facility
from ioc.datahub.workbooks import CODES_SHEET, INSTRUCTIONS_SHEET, template_csv, template_xlsx


class TemplatesTest(Personas, TestCase):
    dataset: Dataset

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.dataset = dataset_make(actor=cls.system_account, owner=cls.agency_a)

    def upload(self, content: bytes, file_name: str) -> services.IngestResult:
        return services.submission_ingest(
            actor=self.officer_a,
            dataset=self.dataset,
            agency=self.agency_a,
            channel=Channel.UPLOAD,
            content=content,
            file_name=file_name,
        )

    def test_the_xlsx_template_has_vietnamese_headers_code_lists_and_instructions(self) -> None:
        book = openpyxl.load_workbook(io.BytesIO(template_xlsx(self.dataset)))
        self.assertEqual(book.sheetnames, [DATA_SHEET, CODES_SHEET, INSTRUCTIONS_SHEET])
        sheet = book[DATA_SHEET]
        self.assertEqual(sheet["A1"].value, "Mã cơ sở")
        self.assertEqual(sheet["C1"].value, "Loại cơ sở")
        validations = sheet.data_validations.dataValidation
        self.assertEqual([v.type for v in validations], ["list"])
        self.assertIn("C2", str(validations[0].sqref))
        self.assertEqual([c.value for c in book[CODES_SHEET]["C"]], FACILITY_TYPES)
        self.assertIn("Unicode", str(book[INSTRUCTIONS_SHEET]["A2"].value))

    def test_a_filled_xlsx_template_is_read_back_and_accepted(self) -> None:
        rows = [facility("CS01"), facility("CS02", so_giuong=1234, cong_suat=80.25)]
        result = self.upload(template_xlsx(self.dataset, rows), "mau.xlsx")
        self.assertEqual(result.summary["status"], "accepted", result.summary["conflicts"])
        stored = Record.objects.get(data__ma_co_so="CS02").data
        self.assertEqual((stored["so_giuong"], stored["cong_suat"]), (1234, 80.25))

    def test_the_csv_template_round_trips_and_an_unfilled_one_is_refused(self) -> None:
        empty = self.upload(template_csv(self.dataset), "mau.csv")
        self.assertEqual(empty.summary["status"], "rejected")
        self.assertIn("Không có dòng", empty.summary["conflicts"][0]["reason"])
        result = self.upload(template_csv(self.dataset, [facility("CS01")]), "mau.csv")
        self.assertEqual(result.summary["status"], "accepted", result.summary["conflicts"])
        self.assertEqual(table_read(content=template_csv(self.dataset)).header[1], "Tên cơ sở")

    def test_exports_escape_formula_like_cells(self) -> None:
        self.assertEqual(export_cell("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0")
        self.assertEqual(export_cell("@SUM(A1)"), "'@SUM(A1)")
        self.assertEqual(export_cell("-5"), "-5")
        self.assertEqual(export_cell(-5), -5)
        content = template_csv(self.dataset, [facility("CS01", ten_co_so="+cmd|x")]).decode("utf-8-sig")
        self.assertIn("'+cmd|x", content)


class TemplateFormatsTest(Personas, TestCase):
    def test_text_columns_keep_leading_zeros(self) -> None:
        dataset = dataset_make(actor=self.system_account, owner=self.agency_a, code="mau-dang-chu")
        sheet = openpyxl.load_workbook(io.BytesIO(template_xlsx(dataset)))[DATA_SHEET]
        formats = {
            col: dim.number_format
            for dim in sheet.column_dimensions.values()
            for col in range(dim.min or 0, (dim.max or 0) + 1)
        }
        self.assertEqual(formats[4], "@")  # D: Mã xã
        self.assertNotEqual(formats.get(5), "@")  # E: Số giường bệnh
