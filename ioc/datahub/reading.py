"""What offices really send (R1.2c, issue part 4): CSV in UTF-8 with or without BOM or in Windows-1258, with
commas, semicolons or tabs, and `.xlsx` workbooks read with python-calamine (fast and safe: no formulas run).

`table_read` turns bytes into a header and rows of cells; it never guesses silently — a file it cannot read is a
`ReadError` with the reason in Vietnamese. Text typed in the old TCVN3 (ABC) or VNI fonts is found by
`legacy_encoding` (validation.py names the cells).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

DATA_SHEET = "Du lieu"
XLSX_MAGIC = b"PK\x03\x04"
DEFAULT_MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
_BOM = b"\xef\xbb\xbf"

# Vietnamese letters in the Latin-1 block; any other Latin-1 letter, or these symbols, marks text typed in a
# TCVN3 (ABC) or VNI font (e.g. TCVN3 "Hµ Néi" for "Hà Nội", VNI "Vieät Nam" for "Việt Nam").
_VIETNAMESE_LATIN1 = set("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
_LATIN1_LETTERS = {chr(c) for c in range(0xC0, 0x100)} - {"×", "÷"}
_TCVN3_SIGNS = set("¸¹¶¨©ª«¬®¦§¤¥¢£¡¿»¼½¾º")
_SUSPECT = (_LATIN1_LETTERS - _VIETNAMESE_LATIN1) | _TCVN3_SIGNS
_VNI_MARKS = set("øûïåäöñëÖÑ")
_MICRO_AFTER_LETTER = re.compile(r"[A-Za-z]µ")
ANY_SUSPECT = re.compile("[" + re.escape("".join(sorted(_SUSPECT))) + "µ]")


class ReadError(Exception):
    """A file that cannot be read as a table: empty, not a spreadsheet, undecodable."""


@dataclass(frozen=True)
class Table:
    """A header and its rows; `first_row` is the spreadsheet row number of `rows[0]` (the header is row 1)."""

    header: list[str]
    rows: list[list[Any]]
    first_row: int = 2


def is_workbook(content: bytes, file_name: str = "") -> bool:
    return content.startswith(XLSX_MAGIC) or file_name.lower().endswith((".xlsx", ".xlsm", ".xls", ".ods"))


def table_read(*, content: bytes, file_name: str = "") -> Table:
    """A CSV or a workbook as a table; ReadError for an empty or unreadable file."""
    if not content.strip(b" \t\r\n\xef\xbb\xbf"):
        raise ReadError(_("Tệp rỗng: không có dòng tiêu đề và dữ liệu."))
    if is_workbook(content, file_name):
        return _workbook_read(content)
    return _csv_read(csv_decode(content))


def csv_decode(content: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1258 (Vietnamese "ANSI"); always NFC."""
    if content.startswith(_BOM):
        content = content[len(_BOM) :]
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        text = content.decode("cp1258", errors="replace")
    return unicodedata.normalize("NFC", text)


def delimiter_of(first_line: str) -> str:
    """The CSV delimiter a header line uses most: comma, semicolon or tab."""
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def _csv_read(text: str) -> Table:
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text), delimiter=delimiter_of(first_line))
    try:
        lines = [row for row in reader]
    except csv.Error as exc:
        raise ReadError(_("Tệp CSV hỏng: %(reason)s") % {"reason": exc}) from exc
    return _table(lines)


def _table(lines: list[list[Any]]) -> Table:
    while lines and not any(_filled(cell) for cell in lines[-1]):
        lines.pop()
    if not lines or not any(_filled(cell) for cell in lines[0]):
        raise ReadError(_("Tệp rỗng: không có dòng tiêu đề và dữ liệu."))
    header = [str(cell).strip() for cell in lines[0]]
    while header and not header[-1]:
        header.pop()
    return Table(header=header, rows=lines[1:])


def _filled(cell: Any) -> bool:
    return cell is not None and str(cell).strip() != ""


def _workbook_read(content: bytes) -> Table:
    from python_calamine import CalamineError, CalamineWorkbook

    _unzipped_size_check(content)
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(content))
        names = book.sheet_names
        sheet = book.get_sheet_by_name(DATA_SHEET) if DATA_SHEET in names else book.get_sheet_by_index(0)
        lines = sheet.to_python(skip_empty_area=False)
    except (CalamineError, ValueError, OSError, IndexError) as exc:
        raise ReadError(_("Không đọc được tệp Excel (tệp hỏng hoặc không phải .xlsx).")) from exc
    return _table([list(line) for line in lines])


def _unzipped_size_check(content: bytes) -> None:
    """Issue 16 part 5: a zip bomb posing as .xlsx (a few hundred KB inflating to GBs of sheet XML) is refused
    from the archive's directory, before anything is inflated (setting DATAHUB_MAX_UNZIPPED_BYTES, 100 MB)."""
    limit = int(getattr(settings, "DATAHUB_MAX_UNZIPPED_BYTES", DEFAULT_MAX_UNZIPPED_BYTES))
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return  # not a ZIP: the workbook reader names the fault
    if unzipped > limit:
        raise ReadError(
            _("Tệp Excel giải nén quá lớn (%(mb)d MB, tối đa %(limit)d MB): có thể là tệp nén độc hại.")
            % {"mb": unzipped // 2**20, "limit": limit // 2**20}
        )


def legacy_encoding(text: str) -> str:
    """ "TCVN3" or "VNI" when `text` looks typed in such a font, else ""."""
    if ANY_SUSPECT.search(text) is None:  # the common case, in one regex pass
        return ""
    suspects = {ch for ch in text if ch in _SUSPECT}
    if "µ" in text and _MICRO_AFTER_LETTER.search(text):
        suspects.add("µ")
    if not suspects:
        return ""
    return "VNI" if suspects & _VNI_MARKS and not suspects & _TCVN3_SIGNS else "TCVN3"
