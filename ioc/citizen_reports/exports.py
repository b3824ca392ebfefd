"""CSV and XLSX exports of the citizen-report statistics (R3.5), with Vietnamese headers."""

from __future__ import annotations

import csv
import io
from typing import Any

import xlsxwriter
from django.utils.translation import gettext as _

from ioc.citizen_reports.statistics import Statistics, StatisticsRow
from ioc.common.spreadsheet import export_cell


def group_header(group_by: str) -> str:
    return {
        "agency": _("Cơ quan xử lý"),
        "category": _("Lĩnh vực"),
        "commune": _("Xã, phường"),
        "channel": _("Kênh tiếp nhận"),
        "month": _("Tháng"),
        "week": _("Tuần"),
        "day": _("Ngày"),
    }[group_by]


def headers(group_by: str) -> list[str]:
    """The columns, in Vietnamese (the exports go to provincial offices)."""
    return [
        _("Mã"),
        group_header(group_by),
        _("Tiếp nhận"),
        _("Đã xác minh"),
        _("Không tiếp nhận"),
        _("Đã xử lý"),
        _("Đúng hạn"),
        _("Quá hạn"),
        _("Thời gian xử lý trung bình (giờ)"),
        _("Mức hài lòng trung bình (1–5)"),
        _("Số lượt đánh giá"),
    ]


def row_values(row: StatisticsRow) -> list[Any]:
    return [
        row.key,
        row.label,
        row.received,
        row.verified,
        row.rejected,
        row.handled,
        row.on_time,
        row.overdue,
        row.avg_handling_hours,
        row.rating_avg,
        row.rating_count,
    ]


def export_filename(stats: Statistics, extension: str) -> str:
    return f"thong-ke-phan-anh_{stats.group_by}_{stats.start:%Y%m%d}-{stats.end:%Y%m%d}.{extension}"


def _safe_text(value: Any) -> Any:
    return "" if value is None else export_cell(value)


def statistics_csv(stats: Statistics) -> bytes:
    """R3.5: UTF-8 with a byte-order mark (so spreadsheet programs read Vietnamese), totals last."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers(stats.group_by))
    for row in [*stats.rows, stats.totals]:
        writer.writerow([_safe_text(value) for value in row_values(row)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def statistics_xlsx(stats: Statistics) -> bytes:
    """R3.5: one sheet with a title line, the header row, the rows and the totals; text cells never formulas."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    sheet = book.add_worksheet(_("Thống kê"))
    bold = book.add_format({"bold": True})
    title = _("Thống kê phản ánh hiện trường từ %(start)s đến %(end)s") % {
        "start": stats.start.strftime("%d/%m/%Y"),
        "end": stats.end.strftime("%d/%m/%Y"),
    }
    sheet.write_string(0, 0, title, bold)
    columns = headers(stats.group_by)
    for col, text in enumerate(columns):
        sheet.write_string(2, col, text, bold)
    for offset, row in enumerate([*stats.rows, stats.totals]):
        _write_row(sheet, 3 + offset, row, bold if row is stats.totals else None)
    sheet.set_column(0, 0, 12)
    sheet.set_column(1, 1, 40)
    sheet.set_column(2, len(columns) - 1, 16)
    sheet.freeze_panes(3, 2)
    book.close()
    return buffer.getvalue()


def _write_row(sheet: Any, index: int, row: StatisticsRow, style: Any) -> None:
    for col, value in enumerate(row_values(row)):
        if value is None:
            sheet.write_blank(index, col, None, style)
        elif isinstance(value, str):
            sheet.write_string(index, col, value, style)
        else:
            sheet.write_number(index, col, value, style)
