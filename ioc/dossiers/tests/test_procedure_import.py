"""R5.3 (issue 23 item 1, "imported through a data-hub template"): an officer's file of procedures in the
`thu_tuc_hanh_chinh` template — good rows stored through `procedure_version_set`, each kind of bad row refused
with its row, column and reason while the good ones are kept, a duplicate refused, a file that is not the template
storing nothing; the page and the template download."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from ioc.accounts.testing import Personas
from ioc.audit.models import AuditEntry
from ioc.dossiers.datasets import procedure_schema
from ioc.dossiers.models import Procedure, ProcedureVersion
from ioc.dossiers.services import procedure_import

HEADER = [f["title"] for f in procedure_schema()["fields"]]
STEPS = "tiep-nhan | Tiếp nhận | 0.5; xu-ly | Xử lý | 2; tra | Trả kết quả | 0,5"
GOOD = ["2.000123", "Đăng ký hộ kinh doanh", "Đăng ký kinh doanh", "Cấp xã", "01/07/2025", "3", "100000", STEPS,
        "Giấy đề nghị; Bản sao CCCD"]  # fmt: skip
OTHER = ["1.004227", "Cấp giấy phép xây dựng", "Xây dựng", "Cấp tỉnh", "2025-07-01", "15", "",
         "tiep-nhan | Tiếp nhận | 1; thamdinh | Thẩm định | 12", ""]  # fmt: skip


def csv_file(*rows: list[str], header: list[str] = HEADER) -> bytes:
    lines = [header, *rows]
    return "\n".join(",".join(f'"{cell}"' for cell in line) for line in lines).encode()


def xlsx_file(*rows: list[str]) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet("Du lieu")
    for r, line in enumerate([HEADER, *rows]):
        for c, cell in enumerate(line):
            sheet.write_string(r, c, cell)
    book.close()
    return out.getvalue()


class ProcedureImportTests(Personas, TestCase):
    def test_good_rows_are_stored_through_the_write_service(self):
        summary = procedure_import(content=csv_file(GOOD, OTHER), file_name="thu-tuc.csv", actor=self.leader)
        self.assertEqual((summary["status"], summary["imported"], summary["conflicts"]), ("accepted", 2, []))
        version = ProcedureVersion.objects.get(procedure__code="2.000123")
        self.assertEqual([s.code for s in version.steps.all()], ["tiep-nhan", "xu-ly", "tra"])
        self.assertEqual(version.documents, ["Giấy đề nghị", "Bản sao CCCD"])
        self.assertEqual((version.limit_days, version.fee, version.procedure.level), (3, 100000, "commune"))
        building = ProcedureVersion.objects.get(procedure__code="1.004227")
        self.assertEqual((building.procedure.level, building.fee, building.steps.count()), ("province", 0, 2))
        self.assertEqual(AuditEntry.objects.filter(action="procedure_version.set", actor=self.leader).count(), 2)

    def test_a_workbook_is_read_like_a_csv(self):
        summary = procedure_import(content=xlsx_file(GOOD), file_name="thu-tuc.xlsx", actor=self.admin)
        self.assertEqual((summary["imported"], summary["rejected"]), (1, 0))

    def test_each_kind_of_bad_row_names_row_column_and_reason_and_the_good_rows_stay(self):
        bad = {
            3: ("ten_thu_tuc", [*GOOD[:1], "", *GOOD[2:]]),  # a required cell empty
            4: ("hieu_luc_tu", ["2.1", *GOOD[1:4], "hôm qua", *GOOD[5:]]),  # not a date
            5: ("thoi_han_ngay", ["2.2", *GOOD[1:5], "0", *GOOD[6:]]),  # under the schema's minimum
            6: ("cap_thuc_hien", ["2.3", *GOOD[1:3], "Cấp huyện", *GOOD[4:]]),  # not one of the levels
            7: ("le_phi", ["2.4", *GOOD[1:6], "-5", *GOOD[7:]]),  # a negative fee
            8: ("cac_buoc", ["2.5", *GOOD[1:7], "chi-mot-cot", GOOD[8]]),  # a step without its three parts
            9: ("cac_buoc", ["2.6", *GOOD[1:7], "a | A | 2; b | B | 2", GOOD[8]]),  # 4 days in 3: the service
        }
        rows = [GOOD, *(line for _column, line in bad.values())]
        summary = procedure_import(content=csv_file(*rows), file_name="thu-tuc.csv", actor=self.admin)
        self.assertEqual((summary["status"], summary["imported"], summary["rejected"]), ("partial", 1, len(bad)))
        refused = {c["row"]: c["field"] for c in summary["conflicts"]}
        self.assertEqual(refused, {row: column for row, (column, _line) in bad.items()})
        self.assertTrue(all(c["reason"] for c in summary["conflicts"]))
        self.assertEqual(list(Procedure.objects.values_list("code", flat=True)), ["2.000123"])

    def test_a_duplicate_in_the_file_and_a_version_already_stored_are_refused(self):
        procedure_import(content=csv_file(GOOD), file_name="a.csv", actor=self.admin)
        summary = procedure_import(content=csv_file(OTHER, OTHER, GOOD), file_name="b.csv", actor=self.admin)
        self.assertEqual((summary["imported"], summary["rejected"]), (1, 2))
        by_row = {c["row"]: c for c in summary["conflicts"]}
        self.assertIn("Trùng khóa chính với dòng 2", by_row[3]["reason"])  # the same code and date twice
        self.assertEqual(by_row[4]["field"], "hieu_luc_tu")  # GOOD's version is stored already
        self.assertEqual(ProcedureVersion.objects.count(), 2)

    def test_a_file_that_is_not_the_template_stores_nothing(self):
        wrong = csv_file(["a", "b"], header=["Họ tên", "Số điện thoại"])
        for content, name in ((wrong, "danh-ba.csv"), (b"", "rong.csv"), (b"PK\x03\x04 not a zip", "hong.xlsx")):
            summary = procedure_import(content=content, file_name=name, actor=self.admin)
            self.assertEqual((summary["status"], summary["imported"]), ("rejected", 0), name)
            self.assertEqual({c["row"] for c in summary["conflicts"]}, {1}, name)
        self.assertFalse(Procedure.objects.exists())

    def test_a_persona_outside_the_configuration_roles_is_refused(self):
        from django.core.exceptions import PermissionDenied

        with self.assertRaises(PermissionDenied):
            procedure_import(content=csv_file(GOOD), file_name="a.csv", actor=self.operator)
        self.assertFalse(Procedure.objects.exists())


class ProcedureImportPageTests(Personas, TestCase):
    URL = reverse("dossiers_config:procedure_import")

    def upload(self, content: bytes, name: str = "thu-tuc.csv") -> dict[str, SimpleUploadedFile]:
        return {"file": SimpleUploadedFile(name, content, content_type="text/csv")}

    def test_the_page_imports_and_lists_the_refusals(self):
        self.sign_in(self.client, self.leader)
        self.assertContains(self.client.get(self.URL), "Nhập thủ tục hành chính từ tệp")
        response = self.client.post(self.URL, self.upload(csv_file(GOOD, [*GOOD[:1], "", *GOOD[2:]])))
        self.assertContains(response, "ten_thu_tuc", status_code=400)
        self.assertContains(response, "Đã lưu: 1 dòng", status_code=400)
        self.assertContains(self.client.post(self.URL, self.upload(csv_file(OTHER))), "Đã lưu: 1 dòng")
        self.assertEqual(Procedure.objects.count(), 2)

    def test_a_wrong_kind_of_file_or_none_is_a_form_error(self):
        self.sign_in(self.client, self.admin)
        response = self.client.post(self.URL, self.upload(b"%PDF-1.4", "thu-tuc.pdf"))
        self.assertContains(response, 'data-field="file"', status_code=400)
        self.assertContains(self.client.post(self.URL, {}), 'data-field="file"', status_code=400)
        self.assertFalse(Procedure.objects.exists())

    def test_other_personas_are_refused(self):
        self.sign_in(self.client, self.operator)
        self.assertEqual(self.client.post(self.URL, self.upload(csv_file(GOOD))).status_code, 403)
        self.assertEqual(self.client.get(reverse("dossiers_config:procedure_template")).status_code, 403)
        self.assertFalse(Procedure.objects.exists())

    def test_the_template_download_is_read_back_by_the_import(self):
        self.sign_in(self.client, self.admin)
        response = self.client.get(reverse("dossiers_config:procedure_template"))
        self.assertEqual(response.status_code, 200)
        summary = procedure_import(content=response.content, file_name="thu_tuc_hanh_chinh.xlsx", actor=self.admin)
        self.assertEqual((summary["status"], summary["imported"], summary["conflicts"]), ("accepted", 0, []))
