"""A file's cells checked column by column (R1.2, R1.4; issue 10 "Speed"): the outcome and the report are those
of `validation.RowChecker.check` row by row — same values, same conflicts in the same order, same counts — at a
fraction of the cost, because a column is judged once where it can be:

- the text of a whole column is scanned once (joined) for what would need cleaning (not NFC, stray white space)
  or could be a legacy font (TCVN3, VNI); a column free of both skips those checks cell by cell;
- a column repeats its values (codes, units, dates, small numbers): each distinct text is judged once per field
  (`cell_outcome` is pure), except a legacy-font refusal, whose reason names its own cell;
- the cells every row has its own value of (names, keys, coordinates) take a shortcut in an unconstrained text
  or number field of a clean column: the text as it is, a plain decimal read as `cells.to_number` reads it.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ioc.common.spreadsheet import FORMULA_START
from ioc.datahub.cells import CONTROL_BUT_NUL
from ioc.datahub.reading import ANY_SUSPECT
from ioc.datahub.validation import CellOutcome, FieldSpec, cell_outcome

if TYPE_CHECKING:
    from ioc.datahub.reading import Table
    from ioc.datahub.validation import RowChecker

_SEP = "\x00"
# `cells.text_clean`'s test (two spaces, other white space, white space at either end, a control character) over a
# joined column; a NUL inside a cell shows as one separator too many (`plain_column`).
_COLUMN_UNCLEAN = re.compile(rf"\s\s|[^\S ]|(?:^|\x00)\s|\s(?:\x00|$)|[{CONTROL_BUT_NUL}]")


def plain_column(texts: list[str]) -> bool:
    """True when no text of the column needs cleaning or could be a legacy font (then `text_clean` would hand
    each back as it is and `legacy_encoding` would find nothing)."""
    joined = _SEP.join(texts)
    if texts and joined.count(_SEP) != len(texts) - 1:
        return False
    if not (joined.isascii() or unicodedata.is_normalized("NFC", joined)):
        return False
    return _COLUMN_UNCLEAN.search(joined) is None and ANY_SUSPECT.search(joined) is None


class Column:
    """One field's outcomes over the rows: the typed values, the refused cells (index → shown value, reason) and
    the counts of normalised text and unlisted codes."""

    def __init__(self, spec: FieldSpec, raws: list[Any], rows: list[int], letter: str) -> None:
        self.values: list[Any] = []
        self.refused: dict[int, tuple[Any, str]] = {}
        self.normalised = 0
        self.code_errors = 0
        plain = plain_column([raw for raw in raws if raw.__class__ is str])
        fast = _fast_converter(spec) if plain else None
        cache: dict[str, CellOutcome] = {}
        for index, raw in enumerate(raws):
            if raw.__class__ is str:
                if fast is not None and raw and raw[0] not in FORMULA_START:
                    value = fast(raw)
                    if value is not _SLOW:
                        self.values.append(value)
                        continue
                outcome = cache.get(raw)
                if outcome is None:
                    outcome = cell_outcome(spec, raw, letter, rows[index], plain=plain)
                    if not outcome.names_cell:
                        cache[raw] = outcome
            else:
                outcome = cell_outcome(spec, raw, letter, rows[index])
            self._take(index, outcome)

    def _take(self, index: int, outcome: CellOutcome) -> None:
        self.values.append(outcome.value)
        self.normalised += outcome.normalised
        self.code_errors += outcome.code_error
        if outcome.reason:
            self.refused[index] = (outcome.shown, outcome.reason)


_SLOW = object()
_DECIMAL = re.compile(r"[+-]?\d+[.,]\d+")


def _text(raw: str) -> Any:
    return raw


def _decimal(raw: str) -> Any:
    """A plain decimal ("20,912345" or "20.912345") as `cells.to_number` reads it; anything else the slow way."""
    if _DECIMAL.fullmatch(raw) is None:
        return _SLOW
    value = float(raw.replace(",", "."))
    return value if math.isfinite(value) else _SLOW  # 400 digits: refused the slow way, with its reason


def _fast_converter(spec: FieldSpec) -> Callable[[str], Any] | None:
    """For a column of clean text, the shortcut of an unconstrained text or number field (the cells every row
    has its own value of: names, keys, coordinates); None when every cell goes through `cell_outcome`."""
    if spec.constrained:
        return None
    if spec.type == "string":
        return _text
    return _decimal if spec.type == "number" else None


def _filled(line: list[Any]) -> bool:
    """A line with a cell that is not empty (`str(cell).strip()`; a number or date is never empty text)."""
    for cell in line:  # noqa: SIM110 - a loop: any() over a generator costs more, on every line of the file
        if cell is not None and (cell.__class__ is not str or cell.strip()):
            return True
    return False


def table_rows_check(checker: RowChecker, table: Table, columns: dict[str, int]) -> None:
    """Check the table's rows into `checker.result` (the header is already mapped to `columns`)."""
    lines = [(table.first_row + offset, line) for offset, line in enumerate(table.rows) if _filled(line)]
    rows = [row for row, _line in lines]
    judged = []
    for spec in checker.fields:
        at = columns[spec.name]
        raws = [line[at] if at < len(line) else None for _row, line in lines]
        judged.append(Column(spec, raws, rows, checker.letters.get(spec.name, "")))
    result = checker.result
    result.normalised += sum(column.normalised for column in judged)
    result.code_errors += sum(column.code_errors for column in judged)
    failed = {index for column in judged for index in column.refused}
    names = [spec.name for spec in checker.fields]
    for index, values in enumerate(zip(*(column.values for column in judged), strict=True)):
        result.total += 1
        if index in failed:
            for name, column in zip(names, judged, strict=True):
                if index in column.refused:
                    result.add(rows[index], name, *column.refused[index])
            continue
        data = dict(zip(names, values, strict=True))
        clean = checker.derive(rows[index], data)
        if clean is not None:
            checker.count_filled(data)
            result.rows.append(clean)
