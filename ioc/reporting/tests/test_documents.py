"""R8.3: the .docx in the Decree 30/2020 layout read back with python-docx (page, margins, fonts, the header
table's two cells, the motto, title, numbered sections, signature block, "Nơi nhận", a chart), the .xlsx of every
table with formula-like cells escaped, and the PDF where LibreOffice is installed."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.test import TestCase
from docx import Document
from docx.shared import Length

from ioc.reporting import services
from ioc.reporting.documents import build_docx
from ioc.reporting.models import Report
from ioc.reporting.pdf import docx_to_pdf, soffice_path
from ioc.reporting.tests.support import MONTH, NOW, ReportingData
from ioc.reporting.workbooks import build_xlsx, table_figures


class DocumentLayoutTest(ReportingData, TestCase):
    issued: Report

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        report = services.report_generate(actor=cls.operator, template=cls.monthly, period=MONTH, now=NOW)
        report = services.report_edit(
            actor=cls.operator, report=report, signer_title="Giám đốc", signer_name="Trần Thị B", now=NOW
        )
        cls.issued = services.report_issue(actor=cls.operator, report=report, now=NOW)

    def test_page_margins_and_fonts(self) -> None:
        doc = Document(io.BytesIO(bytes(self.issued.document or b"")))
        page = doc.sections[0]
        sizes = (page.page_width, page.page_height, page.top_margin, page.bottom_margin)
        mm = [round(Length(v or 0).mm) for v in sizes]
        self.assertEqual(mm[:2], [210, 297])
        self.assertTrue(20 <= mm[2] <= 25 and 20 <= mm[3] <= 25)
        self.assertTrue(30 <= round(Length(page.left_margin or 0).mm) <= 35)
        self.assertTrue(15 <= round(Length(page.right_margin or 0).mm) <= 20)
        self.assertEqual(doc.styles["Normal"].font.name, "Times New Roman")
        runs = [r for p in doc.paragraphs for r in p.runs if r.text.strip()]
        self.assertTrue(runs)
        self.assertTrue(all(r.font.name == "Times New Roman" for r in runs))
        self.assertTrue(all(r.font.size.pt in (13, 14) for r in runs if r.font.size is not None))

    def test_the_header_table_number_motto_and_date(self) -> None:
        doc = Document(io.BytesIO(bytes(self.issued.document or b"")))
        header = doc.tables[0]
        self.assertEqual(len(header.rows[0].cells), 2)
        left, right = (cell.text for cell in header.rows[0].cells)
        self.assertIn("TRUNG TÂM GIÁM SÁT", left)
        self.assertIn("Số: 1/BC-TTGSĐH", left)
        self.assertIn("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", right)
        self.assertIn("Độc lập - Tự do - Hạnh phúc", right)
        self.assertIn("Hưng Yên, ngày 05 tháng 08 năm 2025", right)

    def test_title_numbered_sections_signature_and_recipients(self) -> None:
        doc = Document(io.BytesIO(bytes(self.issued.document or b"")))
        texts = [p.text for p in doc.paragraphs]
        self.assertIn("BÁO CÁO", texts)
        self.assertIn(self.issued.title, texts)
        self.assertNotIn("DỰ THẢO", texts)
        headings = [t for t in texts if t[:3] in ("I. ", "II.", "III", "IV.", "V. ")]
        self.assertGreaterEqual(len(headings), 4)
        self.assertTrue(any("Trung tâm tiếp nhận 5 phản ánh" in t for t in texts))
        signature = doc.tables[-1].rows[0].cells
        self.assertIn("Nơi nhận:", signature[0].text)
        self.assertIn("Lưu: VT", signature[0].text)
        self.assertIn("GIÁM ĐỐC", signature[1].text)
        self.assertIn("Trần Thị B", signature[1].text)
        self.assertGreaterEqual(len(doc.inline_shapes), 1)  # the chart of reports by agency

    def test_a_draft_says_so_and_leaves_number_and_date_blank(self) -> None:
        draft = services.report_generate(actor=self.operator, template=self.monthly, period="202506", now=NOW)
        doc = Document(io.BytesIO(build_docx(draft)))
        self.assertIn("DỰ THẢO", [p.text for p in doc.paragraphs])
        self.assertIn("Số:       /BC-TTGSĐH", doc.tables[0].rows[0].cells[0].text)

    def test_the_workbook_holds_every_table_with_formulas_escaped(self) -> None:
        book = openpyxl.load_workbook(io.BytesIO(bytes(self.issued.workbook or b"")))
        tables = table_figures(self.issued)
        self.assertEqual(len(book.sheetnames), 1 + len(tables))
        sheet = book[book.sheetnames[1]]
        self.assertEqual(sheet.cell(1, 1).value, tables[0][1]["label"])
        index = 1 + [code for code, _figure in tables].index("citizen_reports.by_agency")
        rows = self.issued.figures["citizen_reports.by_agency"]["value"]["rows"]
        rows.append(['=HYPERLINK("x")', 1, 0, 0, 0, None])
        escaped = openpyxl.load_workbook(io.BytesIO(build_xlsx(self.issued)))
        values = [c.value for row in escaped.worksheets[index].iter_rows() for c in row]
        self.assertIn('\'=HYPERLINK("x")', values)
        self.assertFalse(any(isinstance(v, str) and v.startswith("=") for v in values))

    def test_table_cells_keep_markup_as_text_and_drop_characters_xml_cannot_hold(self) -> None:
        rows = self.issued.figures["citizen_reports.by_agency"]["value"]["rows"]
        rows.append(["Sở <b>A</b> & B\x01", 1, 0, 0, 0, None])
        doc = Document(io.BytesIO(build_docx(self.issued)))
        cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
        self.assertIn("Sở <b>A</b> & B", cells)

    def test_it_converts_to_pdf_where_libreoffice_is_installed(self) -> None:
        if soffice_path() is None:
            pytest.skip("LibreOffice is optional (apt-get install libreoffice-writer-nogui)")
        pdf = docx_to_pdf(bytes(self.issued.document or b""))
        self.assertTrue(pdf and pdf.startswith(b"%PDF"))
