"""The one rule for formula-like text in an export (`ioc.common.spreadsheet`), and that no app keeps its own."""

import re
from pathlib import Path

from django.test import SimpleTestCase

from ioc.common.spreadsheet import export_cell, is_formula

ROOT = Path(__file__).resolve().parents[3]


class ExportCellTest(SimpleTestCase):
    def test_formula_like_text_gets_a_leading_apostrophe(self):
        for text in ("=cmd|' /C calc'!A0", "@SUM(A1)", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "\tx", "\rx"):
            with self.subTest(text=text):
                self.assertTrue(is_formula(text))
                self.assertEqual(export_cell(text), "'" + text)

    def test_numbers_phone_numbers_and_other_values_are_kept(self):
        for value in ("-5", "+84 912 345 678", "-1.234,5", "Lũ lụt", "", -5, 2.5, None):
            with self.subTest(value=value):
                self.assertEqual(export_cell(value), value)

    def test_no_export_keeps_its_own_list_of_formula_characters(self):
        own = re.compile(r"""\(\s*["']=["']\s*,\s*["'][+@-]["']|frozenset\(["']=""")
        found = [
            str(path.relative_to(ROOT))
            for path in sorted(ROOT.glob("ioc/**/*.py"))
            if "/tests/" not in str(path) and path.name != "spreadsheet.py" and own.search(path.read_text("utf-8"))
        ]
        self.assertEqual(found, [], "use ioc.common.spreadsheet.export_cell")
