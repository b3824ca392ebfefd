"""The report as a Word document in the layout of Decree 30/2020/NĐ-CP (R8.3), built with python-docx.

A4, margins 20 mm top and bottom, 30 mm left, 15 mm right; Times New Roman 13–14; the two-column header (the
superior and issuing bodies and the document number left; the national motto and the place and date right), the
document kind and its summary ("trích yếu"), numbered sections (I, II…) with their text, tables and charts, the
signature block and "Nơi nhận". A draft says DỰ THẢO and leaves the number and date blank.
"""

from __future__ import annotations

import io
import re
from typing import Any
from xml.sax.saxutils import escape

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Mm, Pt
from docx.table import _Cell

from ioc.reporting.charts import bar_chart_png
from ioc.reporting.choices import NUMBER_SUFFIX
from ioc.reporting.content import format_value, render_text
from ioc.reporting.models import Report
from ioc.reporting.selectors import letterhead

FONT = "Times New Roman"
BODY_PT = 14
HEADER_PT = 13
TABLE_PT = 11
MOTTO_1 = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_2 = "Độc lập - Tự do - Hạnh phúc"
_XML_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # characters XML 1.0 cannot hold
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV")


def build_docx(report: Report) -> bytes:
    """The report's .docx bytes (from its frozen text and figures)."""
    doc = Document()
    _page(doc)
    _header(doc, report)
    _title(doc, report)
    for index, section in enumerate(report.content):
        _section(doc, index, section, report.figures)
    _signature(doc, report)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _page(doc: DocxDocument) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    normal.font.name = FONT  # type: ignore[attr-defined]
    normal.font.size = Pt(BODY_PT)  # type: ignore[attr-defined]
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()  # type: ignore[attr-defined]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


def _para(
    where: Any, text: str = "", *, size: int = BODY_PT, bold: bool = False, italic: bool = False, center: bool = False
) -> Any:
    paragraph = where.add_paragraph()
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(0)
    run = paragraph.add_run(text)
    run.font.name, run.font.size, run.bold, run.italic = FONT, Pt(size), bold, italic
    return paragraph


def _cell(cell: _Cell) -> _Cell:
    cell.paragraphs[0]._element.getparent().remove(cell.paragraphs[0]._element)
    return cell


def _header(doc: DocxDocument, report: Report) -> None:
    head = letterhead()
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = (_cell(c) for c in table.rows[0].cells)
    left.width, right.width = Cm(6.5), Cm(10)
    _para(left, head.superior, size=HEADER_PT, center=True)
    _para(left, head.body, size=HEADER_PT, bold=True, center=True)
    _para(left, "________", size=HEADER_PT, center=True)
    number = report.number or f"      /{NUMBER_SUFFIX}"
    _para(left, f"Số: {number}", size=HEADER_PT, center=True)
    _para(right, MOTTO_1, size=HEADER_PT, bold=True, center=True)
    _para(right, MOTTO_2, size=BODY_PT, bold=True, center=True)
    _para(right, "_______________________", size=BODY_PT, center=True)
    _para(right, _date_line(head.place, report), size=BODY_PT, italic=True, center=True)


def _date_line(place: str, report: Report) -> str:
    day = report.issued_on
    if day is None:
        return f"{place}, ngày      tháng      năm"
    return f"{place}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def _title(doc: DocxDocument, report: Report) -> None:
    _para(doc, "")
    if not report.is_issued:
        _para(doc, "DỰ THẢO", size=HEADER_PT, bold=True, center=True)
    _para(doc, "BÁO CÁO", bold=True, center=True)
    _para(doc, report.title, bold=True, center=True)
    if report.scope_kind == "area" and report.scope_label:  # issue 17: the area the figures are counted in
        _para(doc, f"(Phạm vi: {report.scope_label})", center=True)
    _para(doc, "_____________", center=True)


def _section(doc: DocxDocument, index: int, section: dict[str, Any], figures: dict[str, Any]) -> None:
    number = ROMAN[index] if index < len(ROMAN) else str(index + 1)
    heading = _para(doc, f"{number}. {section['title'].upper()}", bold=True)
    heading.paragraph_format.space_before = Pt(6)
    for block in section["blocks"]:
        if "table" in block:
            _table(doc, figures.get(block["table"]))
        elif "chart" in block:
            _chart(doc, figures.get(block["chart"]), int(block.get("column", 1)))
        elif (text := render_text(block.get("text", ""), figures).strip()) or "editable" not in block:
            for line in text.splitlines() or [""]:
                _body(doc, line)


def _body(doc: DocxDocument, text: str) -> None:
    paragraph = _para(doc, text)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.first_line_indent = Cm(1)
    paragraph.paragraph_format.space_after = Pt(6)


def _table(doc: DocxDocument, figure: dict[str, Any] | None) -> None:
    """A table figure as one <w:tbl> built in a single parse (python-docx's cell API costs milliseconds per cell:
    a province's table by commune would take seconds)."""
    if not figure:
        return
    data = figure["value"]
    _para(doc, figure["label"], size=HEADER_PT, italic=True, center=True)
    rows = list(data["rows"]) + ([data["totals"]] if data.get("totals") else [])
    header = "".join(_tc(str(title), bold=True) for title in data["columns"])
    body = [
        "".join(_tc(format_value(v), bold=bool(data.get("totals")) and r == len(rows) - 1) for v in row)
        for r, row in enumerate(rows)
    ]
    grid = "".join("<w:gridCol/>" for _col in data["columns"])
    xml = (
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>" + "".join(f"<w:tr>{cells}</w:tr>" for cells in [header, *body]) + "</w:tbl>"
    )
    after = _para(doc, "")
    after._p.addprevious(parse_xml(xml))


def _tc(text: str, *, bold: bool = False) -> str:
    fonts = f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>'
    run_pr = f'<w:rPr>{fonts}{"<w:b/>" if bold else ""}<w:sz w:val="{TABLE_PT * 2}"/></w:rPr>'
    return (
        '<w:tc><w:tcPr><w:tcW w:w="0" w:type="auto"/></w:tcPr><w:p><w:pPr><w:spacing w:after="0"/></w:pPr>'
        f'<w:r>{run_pr}<w:t xml:space="preserve">{escape(_XML_BAD.sub("", text))}</w:t></w:r></w:p></w:tc>'
    )


def _chart(doc: DocxDocument, figure: dict[str, Any] | None, column: int) -> None:
    png = bar_chart_png(figure["value"], column) if figure else None
    if png is None:
        return
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run().add_picture(io.BytesIO(png), width=Cm(15))


def _signature(doc: DocxDocument, report: Report) -> None:
    _para(doc, "")
    table = doc.add_table(rows=1, cols=2)
    left, right = (_cell(c) for c in table.rows[0].cells)
    left.width, right.width = Cm(8), Cm(8.5)
    _para(left, "Nơi nhận:", size=12, bold=True, italic=True)
    for line in (report.recipients or "").splitlines():
        _para(left, line, size=11)
    _para(right, (report.signer_title or "GIÁM ĐỐC").upper(), bold=True, center=True)
    for _blank in range(3):
        _para(right, "")
    _para(right, report.signer_name, bold=True, center=True)
