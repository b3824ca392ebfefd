"""R1.4 "đúng" (issue 10): cross-field rules `ioc:rules` — refused when wrong at the schema's save (naming the
rule and the reason), checked on crafted rows by both checkers (row by row for JSON, column by column for files)
with the row/field/reason shape, and counted in the "đúng" measure."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase, TestCase

from ioc.accounts.testing import Personas
from ioc.datahub import services
from ioc.datahub.choices import Channel
from ioc.datahub.models import Dataset
from ioc.datahub.reading import Table
from ioc.datahub.schema import schema_errors
from ioc.datahub.testing import dataset_make
from ioc.datahub.validation import records_check, table_check

FIELDS: list[dict[str, Any]] = [
    {"name": "ma", "type": "string", "constraints": {"required": True}},
    {"name": "loai", "type": "string"},
    {"name": "giay_phep", "type": "string"},
    {"name": "so_ngay", "type": "integer"},
    {"name": "toi_da", "type": "number"},
    {"name": "bat_dau", "type": "date"},
    {"name": "ket_thuc", "type": "date"},
    {"name": "mo_cua", "type": "datetime"},
    {"name": "dong_cua", "type": "datetime"},
    {"name": "ten", "type": "string"},
    {"name": "ten_goc", "type": "string"},
]


def schema_with(*rules: Any) -> dict[str, Any]:
    return {"fields": FIELDS, "primaryKey": ["ma"], "ioc:rules": list(rules)}


def row(ma: str = "A", **values: Any) -> dict[str, Any]:
    return {"ma": ma, **values}


class SchemaRulesTest(SimpleTestCase):
    """A wrong rule is named by its number and reason when the schema is checked."""

    def test_well_formed_rules_pass(self) -> None:
        schema = schema_with(
            {"field": "ket_thuc", ">=": "bat_dau", "message": "Ngày kết thúc trước ngày bắt đầu"},
            {"field": "so_ngay", "≤": "toi_da", "message": "Vượt mức tối đa"},
            {"field": "ten", "!=": "ten_goc", "message": "Tên mới trùng tên gốc"},
            {"if": {"field": "loai", "equals": "x"}, "require": ["giay_phep"], "message": "Thiếu giấy phép"},
        )
        self.assertEqual(schema_errors(schema), [])

    def assert_error(self, rule: Any, *fragments: str) -> None:
        errors = schema_errors(schema_with({"field": "ket_thuc", ">=": "bat_dau", "message": "ok"}, rule))
        self.assertEqual(len(errors), 1, errors)
        self.assertTrue(errors[0].startswith("Quy tắc thứ 2:"), errors)
        for fragment in fragments:
            self.assertIn(fragment, errors[0])

    def test_an_unknown_field_is_named(self) -> None:
        self.assert_error({"field": "ket_thuc", ">": "khong_co", "message": "m"}, "khong_co", "không có trong cấu trúc")

    def test_an_unknown_field_in_a_condition_or_its_requirements_is_named(self) -> None:
        self.assert_error({"if": {"field": "zz", "equals": "x"}, "require": ["ten"], "message": "m"}, "zz")
        self.assert_error({"if": {"field": "loai", "equals": "x"}, "require": ["yy"], "message": "m"}, "yy")

    def test_a_bad_operator_is_named(self) -> None:
        self.assert_error({"field": "ket_thuc", "=>": "bat_dau", "message": "m"}, "=>", "không hỗ trợ")
        self.assert_error({"field": "ket_thuc", "message": "m"}, "không hỗ trợ")

    def test_a_type_mismatch_is_refused(self) -> None:
        self.assert_error({"field": "ket_thuc", ">=": "so_ngay", "message": "m"}, "khác kiểu dữ liệu")
        self.assert_error({"field": "ket_thuc", ">=": "mo_cua", "message": "m"}, "khác kiểu dữ liệu")

    def test_ordering_text_is_refused(self) -> None:
        self.assert_error({"field": "ten", "<": "ten_goc", "message": "m"}, "chỉ so sánh số hoặc ngày")

    def test_a_rule_without_its_message_is_refused(self) -> None:
        self.assert_error({"field": "ket_thuc", ">=": "bat_dau"}, "message")

    def test_a_bad_condition_and_an_empty_requirement_are_refused(self) -> None:
        self.assert_error({"if": {"field": "loai"}, "require": ["ten"], "message": "m"}, "equals")
        self.assert_error({"if": {"field": "loai", "equals": "x"}, "require": [], "message": "m"}, "require")

    def test_rules_must_be_a_list_of_objects(self) -> None:
        self.assertEqual(len(schema_errors({"fields": FIELDS, "ioc:rules": {"a": 1}})), 1)
        self.assert_error("ket_thuc >= bat_dau", "đối tượng")


class RowRulesTest(SimpleTestCase):
    """Each operator on crafted rows, with the error naming the row, the field and the rule's message."""

    OPERATORS = {  # operator: (a row keeping it, a row breaking it), on so_ngay op toi_da
        "=": ((3, 3.0), (3, 4)),
        "!=": ((3, 4), (3, 3)),
        "≠": ((3, 4), (3, 3)),
        "<": ((3, 4), (4, 4)),
        "<=": ((4, 4), (5, 4)),
        "≤": ((4, 4), (5, 4)),
        ">": ((5, 4), (4, 4)),
        ">=": ((4, 4), (3, 4)),
        "≥": ((4, 4), (3, 4)),
    }

    def test_each_operator_on_numbers(self) -> None:
        for op, (kept, broken) in self.OPERATORS.items():
            with self.subTest(op=op):
                schema = schema_with({"field": "so_ngay", op: "toi_da", "message": "Sai quan hệ"})
                self.assertEqual(schema_errors(schema), [])
                result = records_check(
                    schema,
                    [
                        row("A", so_ngay=kept[0], toi_da=kept[1]),
                        row("B", so_ngay=broken[0], toi_da=broken[1]),
                    ],
                )
                self.assertEqual([r.data["ma"] for r in result.rows], ["A"])
                [conflict] = result.conflicts
                self.assertEqual((conflict["row"], conflict["field"]), (2, "so_ngay"))
                self.assertTrue(conflict["reason"].startswith("Sai quan hệ"))
                self.assertEqual(result.rule_errors, 1)

    def test_dates_and_moments_are_compared_as_dates_and_moments(self) -> None:
        schema = schema_with(
            {"field": "ket_thuc", ">=": "bat_dau", "message": "Kết thúc trước khi bắt đầu"},
            {"field": "dong_cua", ">": "mo_cua", "message": "Đóng cửa trước khi mở"},
        )
        result = records_check(
            schema,
            [
                row("A", bat_dau="01/07/2025", ket_thuc="2025-07-01"),
                row("B", bat_dau="02/07/2025", ket_thuc="30/06/2025"),
                # 08:00 in Hà Nội is 01:00 UTC: the UTC moment is later, as moments
                row("C", mo_cua="2025-07-01T08:00:00+07:00", dong_cua="2025-07-01T02:00:00+00:00"),
                row("D", mo_cua="2025-07-01T08:00:00+07:00", dong_cua="2025-07-01T00:30:00+00:00"),
            ],
        )
        self.assertEqual([r.data["ma"] for r in result.rows], ["A", "C"])
        self.assertEqual([(c["row"], c["field"]) for c in result.conflicts], [(2, "ket_thuc"), (4, "dong_cua")])
        self.assertIn("2025-06-30", result.conflicts[0]["reason"])

    def test_an_empty_side_is_left_to_required(self) -> None:
        schema = schema_with({"field": "ket_thuc", ">=": "bat_dau", "message": "m"})
        result = records_check(schema, [row("A", bat_dau="01/07/2025"), row("B")])
        self.assertEqual((len(result.rows), result.conflicts), (2, []))

    def test_if_then_required(self) -> None:
        schema = schema_with(
            {
                "if": {"field": "loai", "equals": "co_so_luu_tru"},
                "require": ["giay_phep", "so_ngay"],
                "message": "Cơ sở lưu trú phải có giấy phép và số ngày",
            }
        )
        result = records_check(
            schema,
            [
                row("A", loai="co_so_luu_tru", giay_phep="GP-1", so_ngay=2),
                row("B", loai="co_so_luu_tru", so_ngay=2),
                row("C", loai="co_so_luu_tru", giay_phep=""),
                row("D", loai="khac"),
            ],
        )
        self.assertEqual([r.data["ma"] for r in result.rows], ["A", "D"])
        self.assertEqual(
            [(c["row"], c["field"], c["reason"]) for c in result.conflicts],
            [
                (2, "giay_phep", "Cơ sở lưu trú phải có giấy phép và số ngày"),
                (3, "giay_phep", "Cơ sở lưu trú phải có giấy phép và số ngày"),
                (3, "so_ngay", "Cơ sở lưu trú phải có giấy phép và số ngày"),
            ],
        )
        self.assertEqual(result.rule_errors, 2)

    def test_a_numeric_condition_matches_the_typed_cell(self) -> None:
        schema = schema_with({"if": {"field": "so_ngay", "equals": 0}, "require": ["ten"], "message": "m"})
        result = records_check(schema, [row("A", so_ngay="0"), row("B", so_ngay=1)])
        self.assertEqual([(c["row"], c["field"]) for c in result.conflicts], [(1, "ten")])

    def test_a_row_whose_cell_failed_is_not_judged_by_the_rules(self) -> None:
        schema = schema_with({"field": "ket_thuc", ">=": "bat_dau", "message": "m"})
        result = records_check(schema, [row("A", bat_dau="hôm qua", ket_thuc="01/01/2020")])
        self.assertEqual([c["field"] for c in result.conflicts], ["bat_dau"])
        self.assertEqual(result.rule_errors, 0)

    def test_a_file_is_judged_column_by_column_as_rows_are(self) -> None:
        schema = schema_with(
            {"field": "ket_thuc", ">=": "bat_dau", "message": "Kết thúc trước khi bắt đầu"},
            {"if": {"field": "loai", "equals": "x"}, "require": ["giay_phep"], "message": "Thiếu giấy phép"},
        )
        names = [f["name"] for f in FIELDS]
        lines = [
            ["A", "x", "GP", "", "", "01/07/2025", "02/07/2025", "", "", "", ""],
            ["B", "x", "", "", "", "03/07/2025", "02/07/2025", "", "", "", ""],
            ["C", "y", "", "", "", "", "", "", "", "", ""],
        ]
        by_columns = table_check(schema, Table(header=names, rows=lines))
        by_rows = records_check(schema, [dict(zip(names, line, strict=True)) for line in lines])
        self.assertEqual([r.data["ma"] for r in by_columns.rows], ["A", "C"])
        # file rows are the sheet's (header on row 1); the fields and reasons are those of the JSON rows
        self.assertEqual(
            [(c["row"], c["field"], c["reason"]) for c in by_columns.conflicts],
            [(3, "ket_thuc", by_rows.conflicts[0]["reason"]), (3, "giay_phep", "Thiếu giấy phép")],
        )


class RulesIngestTest(Personas, TestCase):
    """Through the one ingest service: the schema is refused at creation, and a broken rule lowers "đúng"."""

    def test_a_dataset_with_a_wrong_rule_is_refused_naming_it(self) -> None:
        schema = schema_with({"field": "ket_thuc", ">=": "khong_co", "message": "m"})
        with self.assertRaises(ValidationError) as caught:
            dataset_make(actor=self.system_account, owner=self.agency_a, schema=schema, code="quy-tac-sai")
        self.assertIn("Quy tắc thứ 1", " ".join(caught.exception.message_dict["schema"]))
        self.assertFalse(Dataset.objects.filter(code="quy-tac-sai").exists())

    def test_broken_rules_count_in_dung(self) -> None:
        schema = schema_with({"field": "ket_thuc", ">=": "bat_dau", "message": "Kết thúc trước khi bắt đầu"})
        dataset = dataset_make(
            actor=self.system_account, owner=self.agency_a, schema=schema, code="quy-tac", accept_valid_rows=True
        )
        result = services.submission_ingest(
            actor=self.officer_a,
            dataset=dataset,
            agency=self.agency_a,
            channel=Channel.PUSH,
            rows=[
                row("A", bat_dau="2025-07-01", ket_thuc="2025-07-02"),
                row("B", bat_dau="2025-07-03", ket_thuc="2025-07-02"),
                row("C"),
                row("D"),
            ],
        )
        self.assertEqual((result.quality["dung"], result.quality["rule_errors"]), (75.0, 1))
        self.assertEqual(result.summary["conflicts"][0]["field"], "ket_thuc")
