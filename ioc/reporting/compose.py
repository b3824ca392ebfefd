"""From a template (data) to a report's content and figures (R8.1, R8.3).

`expand` turns the template's sections into the report's content: `{"sections": tag}` becomes every registered
section carrying the tag (so a domain that lands later joins the ready templates), blocks whose figures cannot
be answered for the report's scope are left out (for an area of the map, a note says which: issue 17), and each
block gets an id the editor's form names. `check`
refuses a placeholder, table or chart naming no registered figure. `compute` asks each figure's selector for the
report's period and scope; a selector that fails is a ValidationError naming the section, the figure and why.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from ioc.common.report_sections import Figure, FigureContext, ReportScope, Table, figure_get, sections
from ioc.reporting.content import placeholders

FIGURE_KEYS = ("table", "chart")
Content = list[dict[str, Any]]


def block_figures(block: Mapping[str, Any]) -> list[str]:
    """The figure codes a block names (its placeholders, or its table or chart)."""
    codes = [str(block[key]) for key in FIGURE_KEYS if key in block]
    return codes + placeholders(str(block.get("text", "")))


def _covers(block: Mapping[str, Any], scope: ReportScope) -> bool:
    found = [figure_get(code) for code in block_figures(block)]
    return all(figure is None or figure.covers(scope) for figure in found)


def expand(template_sections: Sequence[Mapping[str, Any]], scope: ReportScope) -> Content:
    """The template's sections as the report's content, with block ids (`b1`, `b2`…)."""
    raw: list[dict[str, Any]] = []
    for item in template_sections:
        if "sections" in item:
            raw += [
                {"title": str(s.title), "blocks": [dict(b) for b in s.blocks]} for s in sections(tag=item["sections"])
            ]
        else:
            raw.append({"title": str(item.get("title", "")), "blocks": [dict(b) for b in item.get("blocks", ())]})
    content: Content = []
    counter = 0
    for section in raw:
        blocks = [b for b in section["blocks"] if _covers(b, scope)]
        if scope.kind == "area":
            blocks += _area_note(section["blocks"], scope)
        if not blocks:
            continue
        for block in blocks:
            counter += 1
            block["id"] = f"b{counter}"
        content.append({"title": section["title"], "blocks": blocks})
    return content


def _area_note(blocks: Sequence[Mapping[str, Any]], scope: ReportScope) -> list[dict[str, Any]]:
    """Issue 17: a section whose figures cannot be counted in an area says so in the report (a text block the editor
    may adjust) instead of leaving them out silently. In Vietnamese, the document's language."""
    missing: list[str] = []
    with translation.override("vi"):
        for block in blocks:
            for code in block_figures(block):
                figure = figure_get(code)
                if figure is not None and not figure.covers(scope):
                    missing.append(str(figure.label))
    if not missing:
        return []
    names = "; ".join(dict.fromkeys(missing))
    return [{"text": AREA_NOTE.format(names=names), "area_note": True}]


AREA_NOTE = "Số liệu sau chưa tách được theo vùng chọn trên bản đồ nên không đưa vào báo cáo theo vùng này: {names}."


def check(content: Content, *, field: str = "template") -> None:
    """Every figure a block names is registered, of the right kind (a placeholder a value, a table or chart a
    table); otherwise a ValidationError on `field` naming the section and the figure."""
    errors: list[str] = []
    for section in content:
        for block in section["blocks"]:
            for key in FIGURE_KEYS:
                if key in block:
                    errors += _wrong(section["title"], str(block[key]), "table")
            for code in placeholders(str(block.get("text", ""))):
                errors += _wrong(section["title"], code, "value")
    if errors:
        raise ValidationError({field: errors})


def _wrong(title: str, code: str, kind: str) -> list[str]:
    figure = figure_get(code)
    if figure is None:
        return [_("Phần “%(section)s”: “%(code)s” không phải số liệu đã đăng ký.") % {"section": title, "code": code}]
    if figure.kind != kind:
        message = _("Phần “%(section)s”: số liệu “%(code)s” là %(kind)s, không dùng được ở đây.")
        return [message % {"section": title, "code": code, "kind": figure.kind}]
    return []


def content_figures(content: Content) -> list[str]:
    codes: list[str] = []
    for section in content:
        for block in section["blocks"]:
            codes += block_figures(block)
    return list(dict.fromkeys(codes))


def compute(codes: Iterable[str], ctx: FigureContext) -> dict[str, Any]:
    """Each figure's answer for the context, as stored in the report ({code: {label, kind, value}})."""
    answers: dict[str, Any] = {}
    for code in codes:
        figure = figure_get(code)
        if figure is None:
            continue
        answers[code] = _answer(figure, ctx)
    return answers


def _answer(figure: Figure, ctx: FigureContext) -> dict[str, Any]:
    try:
        value = figure.compute(ctx)
    except Exception as exc:
        reason = "; ".join(getattr(exc, "messages", None) or [str(exc) or type(exc).__name__])
        message = _("Không lấy được số liệu “%(label)s” (%(code)s): %(reason)s")
        raise ValidationError(
            {"template": [message % {"label": figure.label, "code": figure.code, "reason": reason}]},
            code="figure_failed",
        ) from exc
    if isinstance(value, Table):
        value = value.as_data()
    return {"label": str(figure.label), "kind": figure.kind, "value": value}
