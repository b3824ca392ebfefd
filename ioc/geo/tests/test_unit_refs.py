"""A unit is identified by (hierarchy, code): a bare code is 2025, `legacy:<code>` the legacy hierarchy (R6.1)."""

import datetime as dt

from django.test import TestCase

from ioc.geo import selectors


class UnitRefTest(TestCase):
    def test_it_resolves_a_bare_code_to_the_2025_unit(self):
        unit = selectors.unit_get(ref="25270")
        self.assertEqual(unit.full_name, "Phường Lộc Ninh")
        self.assertEqual((unit.hierarchy, unit.level, unit.path), ("2025", "commune", "75/25270"))
        self.assertEqual(unit.valid_from, dt.date(2025, 7, 1))
        self.assertIsNone(unit.valid_to)

    def test_it_resolves_a_legacy_ref_to_the_legacy_unit(self):
        unit = selectors.unit_get(ref="legacy:25270")
        self.assertEqual(unit.full_name, "Thị trấn Lộc Ninh")
        self.assertEqual((unit.hierarchy, unit.path), ("legacy", "70/692/25270"))
        self.assertEqual(unit.valid_to, dt.date(2025, 6, 30))
        self.assertEqual(unit.qualified_code, "legacy:25270")

    def test_it_links_the_legacy_unit_to_its_successor(self):
        legacy = selectors.unit_get(ref="legacy:25270")
        successors = [s.new.qualified_code for s in selectors.unit_successors(unit=legacy)]
        self.assertEqual(successors, ["25270"])
        predecessors = [s.old.qualified_code for s in selectors.unit_predecessors(unit=selectors.unit_get(ref="25270"))]
        self.assertIn("legacy:25270", predecessors)

    def test_it_raises_a_clear_error_for_an_unknown_code(self):
        with self.assertRaises(selectors.UnitNotFoundError) as caught:
            selectors.unit_get(ref="99999")
        self.assertIn("99999", str(caught.exception))

    def test_it_raises_a_clear_error_for_a_malformed_ref(self):
        for ref in ["", "abc", "legacy:", "old:25270", "25270 ", "1234567", "legacy:2a"]:
            with self.subTest(ref=ref), self.assertRaises(selectors.UnitRefError) as caught:
                selectors.unit_get(ref=ref)
            self.assertEqual(caught.exception.field, "ref")

    def test_it_finds_units_by_name_without_diacritics(self):
        codes = list(selectors.unit_list(q="hoan kiem").values_list("code", flat=True))
        self.assertEqual(codes, ["00070"])
        self.assertEqual(list(selectors.unit_list(q="Hoàn Kiếm").values_list("code", flat=True)), ["00070"])

    def test_it_lists_children_of_a_parent(self):
        province = selectors.unit_get(ref="33")
        children = selectors.unit_children(unit=province)
        self.assertEqual(children.count(), 20)
        self.assertTrue(all(c.level == "commune" and c.hierarchy == "2025" for c in children))
        self.assertEqual(list(selectors.unit_list(parent="33")), list(children))
