"""R5.4: a dashboard's tables as one XLSX workbook (xlsxwriter). Text never runs as a formula: cells are written
as strings with formulas and URLs off, and formula-like text gets a leading apostrophe (as the data hub's
exports do)."""

from __future__ import annotations

import io
from typing import Any

import xlsxwriter
from django.utils.translation import gettext as _

from ioc.common.spreadsheet import export_cell
from ioc.sectors.selectors import Dashboard


def _safe(text: str) -> str:
    return str(export_cell(text))


def _write(sheet: Any, row: int, col: int, value: Any) -> None:
    if isinstance(value, bool) or value is None:
        sheet.write_string(row, col, "" if value is None else str(value))
    elif isinstance(value, int | float):
        sheet.write_number(row, col, value)
    else:
        sheet.write_string(row, col, _safe(str(value)))


def _table(book: Any, name: str, header: list[str], rows: list[list[Any]], bold: Any) -> None:
    sheet = book.add_worksheet(name[:31])
    for col, title in enumerate(header):
        sheet.write_string(0, col, _safe(title), bold)
    for r, values in enumerate(rows, start=1):
        for col, value in enumerate(values):
            _write(sheet, r, col, value)
    sheet.set_column(0, 0, 40)
    sheet.set_column(1, max(len(header) - 1, 1), 16)


def dashboard_xlsx(board: Dashboard) -> bytes:
    """One sheet per table: indicators, commune ranking, each breakdown, warnings."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    bold = book.add_format({"bold": True})
    _table(
        book,
        _("Chỉ số"),
        [_("Chỉ số"), _("Mã"), _("Kỳ"), _("Giá trị"), _("Chỉ tiêu"), _("Tình trạng"), _("Đơn vị tính")],
        [
            [c.indicator.name, c.indicator.code, c.period, c.value, c.target, c.status_label, c.indicator.unit_label]
            for c in board.cards
        ],
        bold,
    )
    if board.ranking:
        _table(
            book,
            _("Xếp hạng xã"),
            [_("Hạng"), _("Xã, phường"), _("Giá trị"), _("Bất thường")],
            [[f.rank, f.name, f.value, _("có") if f.outlier else ""] for f in board.ranking],
            bold,
        )
    for index, breakdown in enumerate(board.breakdowns, start=1):
        _table(
            book,
            f"{index}. {breakdown.title}",
            [breakdown.title, _("Số lượng")],
            [[a, n] for a, n in breakdown.rows],
            bold,
        )
    _table(
        book,
        _("Cảnh báo"),
        [_("Chỉ số"), _("Lý do"), _("Giá trị"), _("Chỉ tiêu"), _("Đơn vị"), _("Kỳ")],
        [
            [w.indicator.name, w.get_kind_display(), w.value, w.target, w.unit.name if w.unit else "", w.period]
            for w in board.warnings
        ],
        bold,
    )
    book.close()
    return out.getvalue()
