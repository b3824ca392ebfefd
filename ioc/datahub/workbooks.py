"""Templates and exports (R1.2c): an `.xlsx` and a CSV generated from a dataset's schema — Vietnamese headers,
code-list drop-downs, an instructions sheet, optionally pre-filled rows — and the escaping of formula-like cells
on every export (a cell starting with =, +, -, @ is written with a leading apostrophe).

Written with xlsxwriter (write-only, fast); read back by `reading.table_read` with python-calamine.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.utils.translation import gettext as _

from ioc.common.spreadsheet import export_cell
from ioc.datahub.models import Dataset
from ioc.datahub.reading import DATA_SHEET

INSTRUCTIONS_SHEET = "Huong dan"
CODES_SHEET = "Danh muc"
TEMPLATE_ROWS = 5000
_TYPE_NOTES = {
    "string": "Chữ",
    "integer": "Số nguyên (1.234 hoặc 1234)",
    "number": "Số (dấu phẩy thập phân: 1.234,5)",
    "boolean": "Có / Không",
    "date": "Ngày dd/mm/yyyy",
    "datetime": "Thời điểm dd/mm/yyyy HH:MM",
    "year": "Năm (yyyy)",
    "geopoint": "Tọa độ “kinh độ, vĩ độ”",
}


def headers(dataset: Dataset) -> list[str]:
    return [str(f.get("title") or f["name"]) for f in dataset.fields]


def template_csv(dataset: Dataset, rows: list[dict[str, Any]] | None = None) -> bytes:
    """The CSV template: UTF-8 with a BOM (Excel shows Vietnamese right), Vietnamese headers, optional rows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers(dataset))
    names = [f["name"] for f in dataset.fields]
    for row in rows or []:
        writer.writerow([export_cell(_csv_value(row.get(name))) for name in names])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    return value


def template_xlsx(dataset: Dataset, rows: list[dict[str, Any]] | None = None) -> bytes:
    """The `.xlsx` template: the data sheet (headers, drop-downs for code lists, date formats, optional rows),
    the code lists and an instructions sheet."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    data = book.add_worksheet(DATA_SHEET)
    codes = book.add_worksheet(CODES_SHEET)
    bold = book.add_format({"bold": True, "bg_color": "#E8F0FE", "border": 1})
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    text_format = book.add_format({"num_format": "@"})  # codes keep their leading zeros (00070)
    for col, spec in enumerate(dataset.fields):
        data.write_string(0, col, str(spec.get("title") or spec["name"]), bold)
        data.set_column(col, col, max(14, len(str(spec.get("title") or spec["name"])) + 2))
        _validation(data, codes, col, spec, date_format)
        if spec.get("type", "string") == "string":
            data.set_column(col, col, max(14, len(str(spec.get("title") or spec["name"])) + 2), text_format)
    for r, row in enumerate(rows or [], start=1):
        for col, spec in enumerate(dataset.fields):
            _write(data, r, col, row.get(spec["name"]))
    data.freeze_panes(1, 0)
    _instructions(book, dataset, bold)
    codes.hide()
    book.close()
    return out.getvalue()


def _write(sheet: Any, row: int, col: int, value: Any) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        sheet.write_string(row, col, "Có" if value else "Không")
    elif isinstance(value, int | float):
        sheet.write_number(row, col, value)
    else:
        sheet.write_string(row, col, str(export_cell(value)))


def _validation(sheet: Any, codes: Any, col: int, spec: dict[str, Any], date_format: Any) -> None:
    constraints = spec.get("constraints") or {}
    enum = constraints.get("enum")
    if enum:
        for r, code in enumerate(enum):
            codes.write_string(r, col, str(code))
        letter = _letter(col)
        sheet.data_validation(
            1,
            col,
            TEMPLATE_ROWS,
            col,
            {
                "validate": "list",
                "source": f"='{CODES_SHEET}'!${letter}$1:${letter}${len(enum)}",
                "error_title": _("Mã không có trong danh mục"),
                "error_message": _("Chọn một mã trong danh sách."),
            },
        )
    elif spec.get("type") == "date":
        sheet.set_column(col, col, 14, date_format)


def _letter(col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _instructions(book: Any, dataset: Dataset, bold: Any) -> None:
    sheet = book.add_worksheet(INSTRUCTIONS_SHEET)
    sheet.write_string(
        0, 0, _("Mẫu nhập bộ dữ liệu: %(name)s (%(code)s)") % {"name": dataset.name, "code": dataset.code}, bold
    )
    sheet.write_string(
        1,
        0,
        _(
            "Nhập dữ liệu ở trang “%(sheet)s”, giữ nguyên dòng tiêu đề; gõ chữ Unicode (không dùng TCVN3, VNI); "
            "không nhập công thức."
        )
        % {"sheet": DATA_SHEET},
    )
    for col, title in enumerate((_("Cột"), _("Tên trường"), _("Kiểu"), _("Bắt buộc"), _("Giá trị cho phép"))):
        sheet.write_string(3, col, title, bold)
    key = set(dataset.primary_key)
    for r, spec in enumerate(dataset.fields, start=4):
        constraints = spec.get("constraints") or {}
        sheet.write_string(r, 0, str(spec.get("title") or spec["name"]))
        sheet.write_string(r, 1, spec["name"] + (" (khóa)" if spec["name"] in key else ""))
        sheet.write_string(r, 2, _TYPE_NOTES.get(spec.get("type", "string"), ""))
        sheet.write_string(r, 3, _("Có") if constraints.get("required") else "")
        sheet.write_string(r, 4, ", ".join(str(c) for c in constraints.get("enum") or []))
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 4, 22)
