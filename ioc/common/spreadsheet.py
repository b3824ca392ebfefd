"""The one rule for text written into a spreadsheet or CSV a person opens (R1.3, R3.5, R8.3, R10.4; OWASP "CSV
injection"): a cell a spreadsheet would run as a formula (`=cmd|' /C calc'!A0`, `@SUM(…)`, `+cmd|…`, `-2+3+cmd|…`,
or starting with a tab or carriage return) gets a leading apostrophe; a signed number or phone number ("-5",
"+84 912 345 678") is left as it is. Every export uses `export_cell`; none keeps its own list of first characters.
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_START = frozenset("=@\t\r+-")
_NUMERIC_TEXT = re.compile(r"[+-][\d\s.,()/:]*")


def is_formula(text: str) -> bool:
    """A cell a spreadsheet would run as a formula; a signed number or phone number is not one."""
    if not text:
        return False
    if text[0] in "=@\t\r":
        return True
    return text[0] in "+-" and not _NUMERIC_TEXT.fullmatch(text)


def export_cell(value: Any) -> Any:
    """A value safe in a spreadsheet cell: formula-like text gets a leading apostrophe, anything else as it is."""
    if isinstance(value, str) and is_formula(value):
        return "'" + value
    return value
