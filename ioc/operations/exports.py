"""R10.4: an allowance sheet as `.xlsx` (xlsxwriter): the paying agency, month, version and state, the rule and its
proration as printed on paper, one row per person, the total. Text that a spreadsheet would read as a formula
(=, +, -, @ first) is written with a leading apostrophe."""

from __future__ import annotations

import io
from typing import Any

import xlsxwriter

from ioc.common.spreadsheet import export_cell as safe
from ioc.operations.allowance_calc import UNSET
from ioc.operations.models import AllowanceLine, AllowanceSheet, Roster, RosterShift
from ioc.worktime.selectors import LOCAL_TZ

HEADERS = ("STT", "Họ và tên", "Vị trí", "Ngày tại Trung tâm", "Ngày ngoài Trung tâm", "Cách tính", "Số tiền (đồng)")


def sheet_xlsx(sheet: AllowanceSheet, lines: list[AllowanceLine]) -> bytes:
    """R10.4: the sheet as a workbook (one worksheet), values only, never formulas."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    page = book.add_worksheet("Bang ho tro")
    bold, money = book.add_format({"bold": True}), book.add_format({"num_format": "#,##0"})
    head = [
        f"BẢNG HỖ TRỢ THÁNG {sheet.month:%m/%Y}",
        f"Cơ quan chi trả: {sheet.paying_agency.name}",
        f"Lần lập: {sheet.version} — {sheet.get_state_display()}",
        *sheet.rule_text.splitlines(),
    ]
    for row, text in enumerate(head):
        page.write_string(row, 0, safe(text), bold if row == 0 else None)
    start = len(head) + 1
    for col, title in enumerate(HEADERS):
        page.write_string(start, col, title, bold)
    for index, line in enumerate(lines, start=1):
        row = start + index
        values = (index, line.full_name, line.position, line.days_center, line.days_elsewhere, line.basis)
        for col, value in enumerate(values):
            _write(page, row, col, value)
        if line.amount_vnd is None:
            page.write_string(row, 6, UNSET)
        else:
            page.write_number(row, 6, line.amount_vnd, money)
    total_row = start + len(lines) + 1
    page.write_string(total_row, 1, "Tổng cộng", bold)
    page.write_number(total_row, 6, sheet.total_vnd, money)
    page.set_column(1, 2, 30)
    page.set_column(5, 5, 40)
    page.set_column(6, 6, 16)
    book.close()
    return out.getvalue()


def _write(page: Any, row: int, col: int, value: Any) -> None:
    if isinstance(value, int):
        page.write_number(row, col, value)
    else:
        page.write_string(row, col, safe(str(value)))


def roster_xlsx(roster: Roster, shifts: list[RosterShift]) -> bytes:
    """R10.4: a month's roster as a workbook: one row per shift (day, shift, hours, people, leader on call)."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    page = book.add_worksheet("Lich truc")
    bold = book.add_format({"bold": True})
    page.write_string(0, 0, safe(f"LỊCH TRỰC THÁNG {roster.month:%m/%Y} — {roster.agency.name}"), bold)
    for col, title in enumerate(("Ngày", "Ca", "Từ", "Đến", "Trực chỉ huy", "Cán bộ trực", "Ngày lễ")):
        page.write_string(2, col, title, bold)
    for row, shift in enumerate(shifts, start=3):
        start, end = shift.starts_at.astimezone(LOCAL_TZ), shift.ends_at.astimezone(LOCAL_TZ)
        duties = list(shift.duties.all())
        leaders = ", ".join(d.staff.full_name for d in duties if d.as_leader)
        others = ", ".join(d.staff.full_name for d in duties if not d.as_leader)
        values = (f"{start:%d/%m/%Y}", shift.label, f"{start:%H:%M}", f"{end:%H:%M}", leaders, others)
        for col, value in enumerate(values):
            page.write_string(row, col, safe(value))
        page.write_string(row, 6, "x" if shift.is_holiday else "")
    page.set_column(4, 5, 40)
    book.close()
    return out.getvalue()
