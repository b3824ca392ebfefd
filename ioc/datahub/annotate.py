"""The annotated error sheet (R1.4 "bảng lỗi"; issue 10): a copy of the officer's own file with its bad cells
marked, so the officer fixes the file they sent rather than reading a list of row numbers.

- `.xlsx`: the data sheet's values copied cell by cell (xlsxwriter, as the templates are written: no formulas,
  formula-like text escaped by `export_cell`), each bad cell filled and carrying a comment with its reasons; the
  row of a problem that names no column has its first cell marked; a second sheet lists every error;
- CSV: the same lines (UTF-8 with BOM, the file's own delimiter) with an extra column "Lỗi" naming each bad
  field and its reason.

Pure: bytes and the error report in, bytes out. A conflict's field is a schema field (its column by name or by
Vietnamese title, as `validation.header_map` matches them), several joined by "," (a primary key, "lat,lon"),
"unit" (the unit role's column), or on row 1 the header text itself.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from ioc.common.spreadsheet import export_cell
from ioc.common.text import fold
from ioc.datahub.reading import DATA_SHEET, Table, csv_decode, delimiter_of, is_workbook, table_read

ERRORS_SHEET = "Loi"
ERROR_COLUMN = "Lỗi"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
_MAX_COMMENT = 2000  # Excel's comment box takes up to 32,767 characters; a short one stays readable


@dataclass(frozen=True)
class Sheet:
    """An annotated copy: its bytes, the name to download it under and its content type."""

    content: bytes
    file_name: str
    content_type: str


def columns_of(schema: dict[str, Any], header: list[str]) -> dict[str, int]:
    """Folded field name, title and header text → column index (the first column carrying each)."""
    by_text: dict[str, int] = {}
    for index, text in enumerate(header):
        by_text.setdefault(fold(str(text)), index)
    found: dict[str, int] = {}
    for spec in schema.get("fields", []):
        for label in (spec.get("name", ""), spec.get("title", "")):
            found_at = by_text.get(fold(str(label)))
            if label and found_at is not None:
                found.setdefault(str(spec["name"]), found_at)
                if spec.get("ioc:role") == "unit":
                    found.setdefault("unit", found_at)
    return {**by_text, **{fold(k): v for k, v in found.items()}}


def marks(schema: dict[str, Any], header: list[str], conflicts: Iterable[dict[str, Any]]) -> Marks:
    """Where each conflict goes: (row, column) → reasons; a conflict naming no known column marks its row."""
    columns = columns_of(schema, header)
    found = Marks()
    for conflict in conflicts:
        row = int(conflict.get("row") or 0)
        if row < 1:
            continue
        field = str(conflict.get("field", ""))
        reason = f"{field}: {conflict.get('reason', '')}" if field else str(conflict.get("reason", ""))
        at: list[int | None] = [columns[fold(name)] for name in field.split(",") if fold(name) in columns]
        if not at and fold(field) in columns:
            at = [columns[fold(field)]]
        for column in at or [None]:
            found.add(row, column, reason)
    return found


class Marks:
    """The reasons by cell (sheet row, 1-based; column, 0-based or None for the row) and by row."""

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[str]] = defaultdict(list)
        self.rows: dict[int, list[str]] = defaultdict(list)

    def add(self, row: int, column: int | None, reason: str) -> None:
        if reason not in self.rows[row]:
            self.rows[row].append(reason)
        key = (row, 0 if column is None else column)
        if reason not in self.cells[key]:
            self.cells[key].append(reason)


def sheet_download(file_name: str, head: bytes) -> Sheet:
    """The download name and type of a kept file's sheet (no content: the caller has the stored bytes)."""
    stem = (file_name.rsplit(".", 1)[0] or "tep") + "-bang-loi"
    stem = "".join(ch if (ch.isascii() and ch.isalnum()) or ch in "-_" else "-" for ch in fold(stem))[:120]
    if is_workbook(head, file_name):
        return Sheet(b"", f"{stem}.xlsx", XLSX_TYPE)
    return Sheet(b"", f"{stem}.csv", CSV_TYPE)


def annotated_sheet(
    *, schema: dict[str, Any], content: bytes, file_name: str, conflicts: list[dict[str, Any]]
) -> Sheet:
    """The annotated copy of a kept file (`reading.ReadError` when the file cannot be read again)."""
    named = sheet_download(file_name, content[:4])
    if named.content_type == XLSX_TYPE:
        table = table_read(content=content, file_name=file_name)
        found = marks(schema, table.header, conflicts)
        return Sheet(_xlsx(table, found, conflicts), named.file_name, XLSX_TYPE)
    text = csv_decode(content)
    delimiter = delimiter_of(text.split("\n", 1)[0])
    lines = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    header = [str(cell).strip() for cell in lines[0]] if lines else []
    return Sheet(_csv(lines, marks(schema, header, conflicts), delimiter), named.file_name, CSV_TYPE)


def _csv(lines: list[list[str]], found: Marks, delimiter: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    width = max((len(line) for line in lines), default=0)
    for index, line in enumerate(lines, start=1):
        reasons = "; ".join(found.rows.get(index, ()))
        if index == 1:
            reasons = f"{ERROR_COLUMN}: {reasons}" if reasons else ERROR_COLUMN
        cells = [export_cell(cell) for cell in line] + [""] * (width - len(line))
        writer.writerow([*cells, export_cell(reasons)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _xlsx(table: Table, found: Marks, conflicts: list[dict[str, Any]]) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(
        out, {"in_memory": True, "constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    sheet = book.add_worksheet(DATA_SHEET)
    bad = book.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006", "border": 1})
    bad_date = book.add_format(
        {"bg_color": "#FFC7CE", "font_color": "#9C0006", "border": 1, "num_format": "dd/mm/yyyy"}
    )
    date = book.add_format({"num_format": "dd/mm/yyyy"})
    bold = book.add_format({"bold": True})
    width = max([len(table.header), *(len(line) for line in table.rows)], default=0)
    for r, line in enumerate([table.header, *table.rows]):
        row = r + 1  # the sheet's row number, as the report names it
        for c in range(width):
            reasons = found.cells.get((row, c))
            value = line[c] if c < len(line) else None
            is_date = isinstance(value, dt.date | dt.datetime)
            style = (bad_date if is_date else bad) if reasons else (date if is_date else (bold if r == 0 else None))
            _write(sheet, r, c, value, style)
            if reasons:
                sheet.write_comment(r, c, "\n".join(reasons)[:_MAX_COMMENT], {"author": "IOC"})
    sheet.freeze_panes(1, 0)
    _errors_sheet(book, bold, conflicts)
    book.close()
    return out.getvalue()


def _write(sheet: Any, r: int, c: int, value: Any, style: Any) -> None:
    if value is None or value == "":
        sheet.write_blank(r, c, None, style)
    elif isinstance(value, bool):
        sheet.write_boolean(r, c, value, style)
    elif isinstance(value, int | float):
        sheet.write_number(r, c, value, style)
    elif isinstance(value, dt.datetime | dt.date):
        sheet.write_datetime(r, c, value, style)
    else:
        sheet.write_string(r, c, str(export_cell(str(value))), style)


def _errors_sheet(book: Any, bold: Any, conflicts: list[dict[str, Any]]) -> None:
    sheet = book.add_worksheet(ERRORS_SHEET)
    for c, title in enumerate((_("Dòng"), _("Trường"), _("Giá trị"), _("Lý do"))):
        sheet.write_string(0, c, title, bold)
    for r, conflict in enumerate(conflicts, start=1):
        sheet.write_number(r, 0, int(conflict.get("row") or 0))
        for c, key in enumerate(("field", "value", "reason"), start=1):
            sheet.write_string(r, c, str(export_cell(str(conflict.get(key, "")))))
    sheet.set_column(1, 2, 20)
    sheet.set_column(3, 3, 80)
