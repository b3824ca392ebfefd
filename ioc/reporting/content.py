"""The text of reports (R8.3): placeholders `{{ figure.code }}`, their values in Vietnamese number format, and the
periods' names as a Vietnamese document writes them ("tháng 7 năm 2025", "quý III năm 2025")."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ioc.common.periods import period_parse

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z0-9_.\-]*)\s*\}\}")
MISSING = "…"
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def placeholders(text: str) -> list[str]:
    """The figure codes a text names, in order (duplicates kept once)."""
    return list(dict.fromkeys(PLACEHOLDER.findall(text or "")))


def format_value(value: Any) -> str:
    """12345 → "12.345", 12.5 → "12,5", None → "…" (Vietnamese separators)."""
    if value is None:
        return MISSING
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    if isinstance(value, float):
        whole = f"{value:,.1f}" if value != int(value) else f"{int(value):,}"
        return whole.replace(",", " ").replace(".", ",").replace(" ", ".")
    return str(value)


def render_text(text: str, figures: Mapping[str, Mapping[str, Any]]) -> str:
    """The text with each placeholder replaced by its figure's value from the report's snapshot."""

    def value(match: re.Match[str]) -> str:
        figure = figures.get(match.group(1))
        return format_value(figure.get("value")) if figure else MISSING

    return PLACEHOLDER.sub(value, text or "")


def period_label(code: str) -> str:
    """The period as a Vietnamese document names it."""
    period = period_parse(code)
    start = period.start.date()
    if re.fullmatch(r"[0-9]{4}", code):
        return f"năm {start.year}"
    if "S" in code:
        return f"6 tháng {'đầu' if start.month == 1 else 'cuối'} năm {start.year}"
    if "Q" in code:
        return f"quý {_ROMAN[(start.month - 1) // 3 + 1]} năm {start.year}"
    if "W" in code:
        return f"tuần {int(code.split('W')[1])} năm {code[:4]}"
    if len(code) == 6:
        return f"tháng {start.month} năm {start.year}"
    return f"ngày {start:%d/%m/%Y}"
