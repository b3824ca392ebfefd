"""Issue 16 part 5, R1.2, R7.4: hostile files at the data hub's doors — the upload page and the push API. A zip
bomb posing as .xlsx, a deep-nested JSON body, a PNG named .xlsx, HTML named .csv, an oversized file and names
with path tricks, NUL or 300 characters: each is a 4xx or a form error naming the reason, and no data row is
written (a rejected upload keeps its error report by design, R1.4: counted apart).
"""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from django.urls import reverse

from ioc.accounts.testing import Personas
from ioc.datahub.models import Dataset, Record, Submission
from ioc.datahub.reading import ReadError, table_read
from ioc.datahub.testing import dataset_make
from ioc.datahub.tests.support import FACILITY_HEADER, facility_line
from ioc.datahub.workbooks import template_xlsx

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_PKG = "http://schemas.openxmlformats.org/package/2006"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PARTS = {
    "[Content_Types].xml": f'<Types xmlns="{_PKG}/content-types"><Default Extension="rels" '
    f'ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
    'ContentType="application/xml"/></Types>',
    "_rels/.rels": f'<Relationships xmlns="{_PKG}/relationships"><Relationship Id="rId1" '
    f'Type="{_DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": f'<workbook xmlns="{_MAIN}" xmlns:r="{_DOC}"><sheets>'
    '<sheet name="Du lieu" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{_PKG}/relationships"><Relationship Id="rId1" '
    f'Type="{_DOC}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
}


def zip_bomb_xlsx(unpacked_mb: int = 300) -> bytes:
    """A real workbook (calamine reads it) whose sheet inflates to `unpacked_mb` MB of 1 KB cells from ~700 KB:
    at the 20 MB upload limit the same ratio makes 8 GB."""
    row = b'<row><c t="inlineStr"><is><t>' + b"A" * 1000 + b"</t></is></c></row>"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, text in _PARTS.items():
            zf.writestr(name, text)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            member.write(f'<worksheet xmlns="{_MAIN}"><sheetData>'.encode())
            chunk = row * 1024
            for _ in range(unpacked_mb):
                member.write(chunk)
            member.write(b"</sheetData></worksheet>")
    return out.getvalue()


class BadFilesReadTest(TestCase):
    def test_a_zip_bomb_workbook_is_refused_before_it_is_inflated(self) -> None:
        bomb = zip_bomb_xlsx()
        self.assertLess(len(bomb), 2 * 1024 * 1024)
        with self.assertRaises(ReadError) as caught:
            table_read(content=bomb, file_name="bao-cao.xlsx")
        self.assertIn("giải nén quá lớn (307 MB, tối đa 100 MB)", str(caught.exception))

    def test_a_small_workbook_of_the_same_make_is_read(self) -> None:
        self.assertEqual(len(table_read(content=zip_bomb_xlsx(2), file_name="bao-cao.xlsx").rows), 2047)

    def test_a_png_named_xlsx_and_html_named_csv_are_read_errors_or_header_faults(self) -> None:
        png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
        with self.assertRaises(ReadError):
            table_read(content=png, file_name="bao-cao.xlsx")
        fake = b"PK\x03\x04" + b"not a zip at all"
        with self.assertRaises(ReadError):
            table_read(content=fake, file_name="bao-cao.csv")


class BadUploadPageTest(Personas, TestCase):
    dataset: Dataset

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.dataset = dataset_make(actor=cls.system_account, owner=cls.agency_a)

    def upload(self, name: str, content: bytes, content_type: str = "text/csv"):  # type: ignore[no-untyped-def]
        self.sign_in(self.client, self.officer_a)
        url = reverse("datahub:upload", kwargs={"dataset": self.dataset.code})
        return self.client.post(url, {"file": SimpleUploadedFile(name, content, content_type)})

    def counts(self) -> tuple[int, int]:
        return Record.objects.count(), Submission.objects.filter(status="accepted").count()

    def test_each_hostile_file_is_refused_with_its_reason_and_writes_no_row(self) -> None:
        good_csv = ("\r\n".join([FACILITY_HEADER, facility_line()]) + "\r\n").encode()
        cases = [
            ("bao-cao.xlsx", zip_bomb_xlsx(), "giải nén"),
            ("bao-cao.xlsx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "Không đọc được tệp Excel"),
            ("bao-cao.csv", b"<html><script>alert(1)</script></html>", "Tệp không đúng mẫu"),
            ("bao-cao.exe", good_csv, "Chỉ nhận tệp .xlsx hoặc .csv"),
            ("bao-cao.csv.php", good_csv, "Chỉ nhận tệp .xlsx hoặc .csv"),
        ]
        for name, content, reason in cases:
            with self.subTest(name=name, reason=reason):
                before = self.counts()
                response = self.upload(name, content)
                self.assertIn(response.status_code, (302, 400), response.content[:300])
                if response.status_code == 302:  # kept as a rejected submission with its error report (R1.4)
                    response = self.client.get(response["Location"])
                self.assertContains(response, reason, status_code=response.status_code)
                self.assertEqual(self.counts(), before)

    @override_settings(DATAHUB_MAX_UPLOAD_BYTES=1024)
    def test_an_oversized_file_is_a_form_error(self) -> None:
        response = self.upload("lon.csv", b"a;b\r\n" * 1000)
        self.assertContains(response, "Tệp quá lớn", status_code=400)
        self.assertEqual(self.counts(), (0, 0))

    def test_path_tricks_nul_and_long_names_never_reach_the_stored_name(self) -> None:
        content = template_xlsx(self.dataset, [])
        for name in ("../../../etc/bao-cao.xlsx", "..\\..\\bao-cao.xlsx", "bao\x00cao.xlsx", "a" * 300 + ".xlsx"):
            with self.subTest(name=name[:40]):
                Submission.objects.all().delete()
                response = self.upload(name, content, XLSX_TYPE)
                self.assertEqual(response.status_code, 302)  # kept (no rows: rejected), under a clean name
                stored = Submission.objects.values_list("file_name", flat=True).get()
                with self.subTest(stored=stored[:60]):
                    self.assertNotIn("/", stored)
                    self.assertNotIn("\\", stored)
                    self.assertNotIn("\x00", stored)
                    self.assertLessEqual(len(stored), int(Submission._meta.get_field("file_name").max_length or 0))


class BadPushTest(Personas, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        dataset_make(actor=cls.system_account, owner=cls.agency_a, code="test")

    def push(self, body: bytes, content_type: str):  # type: ignore[no-untyped-def]
        url = reverse("datahub_api:push", kwargs={"code": "test"})
        headers = {"Authorization": f"Bearer {self.system_token}"}
        return self.client.post(url, body, content_type=content_type, headers=headers)

    def test_a_deep_nested_json_body_is_a_400_naming_the_body(self) -> None:
        response = self.push(b"[" * 100_000 + b"]" * 100_000, "application/json")
        self.assertEqual(response.status_code, 400, response.content[:300])
        self.assertIn("JSON", response.content.decode())
        self.assertFalse(Submission.objects.exists())

    def test_a_zip_bomb_body_writes_no_row(self) -> None:
        response = self.push(zip_bomb_xlsx(), XLSX_TYPE)
        self.assertIn(response.status_code, (400, 422), response.content[:300])
        self.assertIn("giải nén", response.content.decode())
        self.assertFalse(Record.objects.exists())
