"""Every table of a report as a spreadsheet (R8.3): one sheet per table figure, written with xlsxwriter; text that
a spreadsheet would read as a formula (=, +, -, @, tab, carriage return first) gets a leading apostrophe."""

from __future__ import annotations

import io
import re
from typing import Any

import xlsxwriter

from ioc.common.spreadsheet import export_cell
from ioc.reporting.models import Report

_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def table_figures(report: Report) -> list[tuple[str, dict[str, Any]]]:
    """The report's table figures in the order its text shows them (each once)."""
    seen: dict[str, dict[str, Any]] = {}
    for section in report.content:
        for block in section["blocks"]:
            code = block.get("table") or block.get("chart")
            figure = report.figures.get(code) if code else None
            if figure and figure["kind"] == "table" and code not in seen:
                seen[code] = figure
    return list(seen.items())


def build_xlsx(report: Report) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    bold = book.add_format({"bold": True})
    index = book.add_worksheet("Bao cao")
    index.write_string(0, 0, str(export_cell(report.title)), bold)
    index.write_string(1, 0, f"Kỳ: {report.period}")
    index.write_string(2, 0, f"Số: {report.number}" if report.number else "Dự thảo")
    for n, (code, figure) in enumerate(table_figures(report), start=1):
        sheet = book.add_worksheet(_sheet_name(n, code))
        index.write_string(3 + n, 0, f"{n}. {figure['label']}")
        _write_table(sheet, figure, bold)
    book.close()
    return out.getvalue()


def _sheet_name(n: int, code: str) -> str:
    return f"{n} {_SHEET_BAD.sub('_', code)}"[:31]


def _write_table(sheet: Any, figure: dict[str, Any], bold: Any) -> None:
    data = figure["value"]
    sheet.write_string(0, 0, str(export_cell(figure["label"])), bold)
    for col, title in enumerate(data["columns"]):
        sheet.write_string(2, col, str(export_cell(str(title))), bold)
    rows = list(data["rows"]) + ([data["totals"]] if data.get("totals") else [])
    for r, row in enumerate(rows, start=3):
        for col, value in enumerate(row):
            _write(sheet, r, col, value)


def _write(sheet: Any, row: int, col: int, value: Any) -> None:
    if value is None:
        return
    if isinstance(value, int | float) and not isinstance(value, bool):
        sheet.write_number(row, col, value)
    else:
        sheet.write_string(row, col, str(export_cell(str(value))))
