"""Issue part 4: what offices really send — accepted the way they mean it, or refused naming row, field, reason."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.test import TestCase, override_settings

from ioc.accounts.testing import Personas
from ioc.datahub import services
from ioc.datahub.cells import to_date, to_number
from ioc.datahub.choices import Channel
from ioc.datahub.models import Dataset, Record, Submission
from ioc.datahub.reading import legacy_encoding
from ioc.datahub.testing import dataset_make
from ioc.datahub.tests.support import FACILITY_HEADER, facility_line, to_cp1258


class RealitiesTest(Personas, TestCase):
    dataset: Dataset

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.dataset = dataset_make(actor=cls.system_account, owner=cls.agency_a)

    def upload(self, content: bytes, file_name: str = "co-so.csv") -> services.IngestResult:
        return services.submission_ingest(
            actor=self.officer_a,
            dataset=self.dataset,
            agency=self.agency_a,
            channel=Channel.UPLOAD,
            content=content,
            file_name=file_name,
        )

    def csv(self, *lines: str, header: str = FACILITY_HEADER) -> str:
        return "\r\n".join([header, *lines]) + "\r\n"

    def conflict(self, result: services.IngestResult) -> dict[str, object]:
        self.assertEqual(result.summary["status"], "rejected")
        self.assertFalse(Record.objects.exists())
        return dict(result.summary["conflicts"][0])

    def test_decimal_comma_dot_thousands_and_dd_mm_yyyy(self) -> None:
        result = self.upload(self.csv(facility_line()).encode("utf-8"))
        self.assertEqual(result.summary["status"], "accepted", result.summary["conflicts"])
        data = Record.objects.get().data
        self.assertEqual((data["so_giuong"], data["cong_suat"], data["ngay_cap_nhat"]), (1234, 75.5, "2025-07-01"))

    def test_number_and_date_forms(self) -> None:
        self.assertEqual(to_number("1.234.567", integer=True), 1234567)
        self.assertEqual(to_number("1.234,5"), 1234.5)
        self.assertEqual(to_number("1,234,567.5"), 1234567.5)
        self.assertEqual(to_number("1,5"), 1.5)
        self.assertEqual(to_number("12.5"), 12.5)
        self.assertEqual(str(to_date("5/7/2025")), "2025-07-05")

    def test_utf8_with_bom_and_without(self) -> None:
        text = self.csv(facility_line(name="Bệnh viện Đa khoa"))
        for content in (b"\xef\xbb\xbf" + text.encode("utf-8"), text.encode("utf-8")):
            result = self.upload(content)
            self.assertEqual(result.summary["status"], "accepted", result.summary["conflicts"])
        self.assertEqual(Record.objects.filter(is_current=True).get().data["ten_co_so"], "Bệnh viện Đa khoa")

    def test_windows_1258_csv(self) -> None:
        result = self.upload(to_cp1258(self.csv(facility_line(name="Trạm y tế Đường Hào"))))
        self.assertEqual(result.summary["status"], "accepted", result.summary["conflicts"])
        self.assertEqual(Record.objects.get().data["ten_co_so"], "Trạm y tế Đường Hào")

    def test_tcvn3_text_is_refused_naming_the_cell_and_the_fix(self) -> None:
        conflict = self.conflict(self.upload(self.csv(facility_line(name="Tr¹m y tÕ x·")).encode("utf-8")))
        self.assertEqual((conflict["row"], conflict["field"]), (2, "ten_co_so"))
        self.assertIn("TCVN3", str(conflict["reason"]))
        self.assertIn("B2", str(conflict["reason"]))
        self.assertIn("Unikey", str(conflict["reason"]))

    def test_vni_text_is_refused(self) -> None:
        conflict = self.conflict(self.upload(self.csv(facility_line(name="Traïm y teá Vieät")).encode("utf-8")))
        self.assertIn("VNI", str(conflict["reason"]))
        self.assertEqual(legacy_encoding("Bệnh viện µg/m³ Hà Nội"), "")

    def test_formula_injection_is_refused(self) -> None:
        conflict = self.conflict(self.upload(self.csv(facility_line(name="=cmd|' /C calc'!A0")).encode("utf-8")))
        self.assertEqual((conflict["row"], conflict["field"]), (2, "ten_co_so"))
        self.assertIn("công thức", str(conflict["reason"]))
        conflict = self.conflict(self.upload(self.csv(facility_line(name="-2+3+cmd|' /C calc'!A0")).encode("utf-8")))
        self.assertIn("công thức", str(conflict["reason"]))

    def test_an_empty_file(self) -> None:
        for content in (b"", b"\xef\xbb\xbf\r\n"):
            conflict = self.conflict(self.upload(content))
            self.assertIn("Tệp rỗng", str(conflict["reason"]))
        self.assertEqual(Submission.objects.filter(status="rejected").count(), 2)

    def test_a_file_that_is_not_the_template(self) -> None:
        conflict = self.conflict(self.upload(b"ho_ten,so_dien_thoai\r\nA,1\r\n"))
        self.assertEqual(conflict["row"], 1)
        self.assertIn("không đúng mẫu", str(conflict["reason"]))

    def test_a_renamed_and_a_missing_column(self) -> None:
        header = FACILITY_HEADER.replace("Tên cơ sở;", "Tên cơ sở y tế;").replace(";Ngày cập nhật", "")
        line = facility_line().replace(";01/07/2025", "")
        result = self.upload(self.csv(line, header=header).encode("utf-8"))
        reasons = [str(c["reason"]) for c in result.summary["conflicts"]]
        self.assertTrue(any("Tên cơ sở y tế" in r and "đổi tên" in r for r in reasons), reasons)
        self.assertTrue(any("Thiếu cột “Ngày cập nhật”" in r for r in reasons), reasons)
        self.assertFalse(Record.objects.exists())

    def test_wrong_types_name_row_field_and_reason(self) -> None:
        conflict = self.conflict(
            self.upload(self.csv(facility_line(), facility_line("CS02", beds="mười")).encode("utf-8"))
        )
        self.assertEqual((conflict["row"], conflict["field"], conflict["value"]), (3, "so_giuong", "mười"))
        self.assertIn("Sai kiểu dữ liệu", str(conflict["reason"]))

    def test_an_unlisted_code_and_a_duplicate_key(self) -> None:
        line = facility_line("CS02").replace("tram_y_te", "tram_xa")
        result = self.upload(self.csv(facility_line(), line, facility_line()).encode("utf-8"))
        by_row = {c["row"]: c for c in result.summary["conflicts"]}
        self.assertEqual(by_row[3]["field"], "loai")
        self.assertIn("danh mục", by_row[3]["reason"])
        self.assertIn("Trùng khóa chính với dòng 2", by_row[4]["reason"])

    @override_settings(DATAHUB_MAX_UPLOAD_BYTES=100)
    def test_an_oversized_file_is_refused_before_reading(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            self.upload(self.csv(facility_line()).encode("utf-8"))
        self.assertIn("file", caught.exception.message_dict)
        self.assertFalse(Submission.objects.exists())

    def test_a_corrupt_workbook(self) -> None:
        conflict = self.conflict(self.upload(b"PK\x03\x04garbage", file_name="mau.xlsx"))
        self.assertIn("Excel", str(conflict["reason"]))
