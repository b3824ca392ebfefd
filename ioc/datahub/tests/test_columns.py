"""Issue 10 "Speed": a file's cells checked column by column give exactly what the row-by-row check gives —
values, key hashes, the conflicts (same reasons, same order) and the quality counts — on crafted cells."""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from typing import Any

from django.test import SimpleTestCase

from ioc.datahub.columns import plain_column, table_rows_check
from ioc.datahub.reading import Table
from ioc.datahub.validation import Checked, RowChecker, column_letter, header_map

SCHEMA: dict[str, Any] = {
    "fields": [
        {"name": "k", "type": "string", "constraints": {"required": True, "pattern": "[A-Z]{2}\\d+", "maxLength": 9}},
        {"name": "ten", "type": "string"},
        {"name": "loai", "type": "string", "constraints": {"enum": ["a", "b", "1"]}},
        {"name": "n", "type": "integer", "constraints": {"minimum": 0, "maximum": 5000}},
        {"name": "x", "type": "number"},
        {"name": "d", "type": "date"},
        {"name": "b", "type": "boolean", "constraints": {"required": True}},
        {"name": "g", "type": "geopoint"},
        {"name": "ky", "type": "string", "ioc:role": "period"},
        {"name": "lat", "type": "number", "ioc:role": "lat"},
    ],
    "primaryKey": ["k", "loai"],
}
POOLS: dict[str, list[Any]] = {
    "k": ["AB1", "ab1", "AB12345678", "", None, " AB2 ", "=cmd|' /C calc'!A0", "+84 912", "-5", "AB\t5", "Hµ Néi", 12],
    "ten": [
        "Trạm y tế",
        unicodedata.normalize("NFD", "Trạm y tế"),
        "  Trạm   y tế ",
        "x\u00a0y",
        "",
        "@SUM(A1)",
        "Vieät Nam",
        3.0,
        dt.date(2025, 1, 1),
        "Aµb",
    ],
    "loai": ["a", "b", "c", "1", 1, 1.0, True, "", None, " a", "khac"],
    "n": ["1.234", "12", "-3", "5001", "1.234,5", "abc", "", 7, 7.5, True, "1 000", "+7", "1_000", "١٢"],
    "x": ["1,5", "20.912345", "-2", "1.234,5", "x", "", 2.5, "1" * 400 + ".5", "1.2.3", "-0,5"],
    "d": ["01/07/2025", "2025-07-01", "31/02/2025", "hôm nay", "", dt.datetime(2025, 5, 5, 3, 4)],
    "b": ["có", "Không", "x", "maybe", "", None, True, 2],
    "g": ["106.1, 20.9", "200, 10", "a,b", ""],
    "ky": ["202507", "2025Q3", "2025X", ""],
    "lat": ["20,912", "x", "", 20.9],
}


def _lines(count: int, seed: int) -> list[list[Any]]:
    rng = random.Random(seed)
    names = [f["name"] for f in SCHEMA["fields"]]
    lines = []
    for i in range(count):
        line = [rng.choice(POOLS[n]) if rng.random() < 0.1 else POOLS[n][0] for n in names]
        line[0] = f"AB{i}" if rng.random() < 0.9 else line[0]
        lines.append(line)
    lines += [[None] * len(names), ["", " "], ["AB9"], ["Hµ Néi", *lines[0][1:]], ["Hµ Néi", *lines[1][1:]]]
    return lines


def _by_rows(table: Table) -> Checked:
    checker = RowChecker(SCHEMA, default_period="2025")
    columns = header_map(table.header, checker.fields, checker.result)
    assert columns is not None
    checker.letters = {name: column_letter(index) for name, index in columns.items()}
    for offset, line in enumerate(table.rows):
        if any(cell is not None and str(cell).strip() for cell in line):
            values = {name: (line[i] if i < len(line) else None) for name, i in columns.items()}
            checker.check(table.first_row + offset, values, columns)
    return checker.result


def _by_columns(table: Table) -> Checked:
    checker = RowChecker(SCHEMA, default_period="2025")
    columns = header_map(table.header, checker.fields, checker.result)
    assert columns is not None
    checker.letters = {name: column_letter(index) for name, index in columns.items()}
    table_rows_check(checker, table, columns)
    return checker.result


def _seen(checked: Checked) -> tuple[Any, ...]:
    rows = [(r.row, r.data, r.pk_hash, r.period, r.lat, r.lon) for r in checked.rows]
    counts = (checked.total, checked.filled_cells, checked.cells, checked.normalised, checked.duplicates)
    return rows, [dict(c) for c in checked.conflicts], counts, checked.code_errors


class ColumnsTest(SimpleTestCase):
    def test_columns_give_what_rows_give(self) -> None:
        header = [f["name"] for f in SCHEMA["fields"]]
        for seed in (1, 2, 3):
            with self.subTest(seed=seed):
                table = Table(header=header, rows=_lines(3000, seed))
                expected = _seen(_by_rows(table))
                self.assertEqual(_seen(_by_columns(table)), expected)
                self.assertGreater(len(expected[0]), 1000)
                self.assertGreater(len(expected[1]), 300)

    def test_a_legacy_font_reason_names_each_of_its_cells(self) -> None:
        table = Table(header=[f["name"] for f in SCHEMA["fields"]], rows=_lines(10, 4))
        reasons = [c["reason"] for c in _by_columns(table).conflicts if c["value"] == "Hµ Néi"]
        self.assertEqual(len(reasons), 2)
        self.assertIn("(ô A15)", reasons[0])  # the header is row 1: ten lines, three short ones, then these two
        self.assertIn("(ô A16)", reasons[1])

    def test_a_plain_column_has_no_text_to_clean_nor_legacy_letters(self) -> None:
        self.assertTrue(plain_column(["Trạm y tế", "CS01", "1,5"]))
        for dirty in (" a", "a ", "a  b", "a\tb", unicodedata.normalize("NFD", "Trạm"), "Hµ Néi", "Vieät"):
            with self.subTest(dirty=dirty):
                self.assertFalse(plain_column(["CS01", dirty, "x"]))
