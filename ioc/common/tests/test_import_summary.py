"""The shared import-summary shape."""

from django.test import SimpleTestCase

from ioc.common.imports import import_summary


class ImportSummaryTest(SimpleTestCase):
    def test_it_accepts_a_clean_import(self):
        summary = import_summary(imported=3)
        self.assertEqual(summary["status"], "accepted")
        self.assertEqual(summary["rejected"], 0)

    def test_it_counts_rejected_rows_once_per_row(self):
        conflicts = [
            {"row": 2, "field": "code", "value": "x", "reason": "unknown"},
            {"row": 2, "field": "value", "value": "-", "reason": "not a number"},
        ]
        summary = import_summary(imported=1, conflicts=conflicts)
        self.assertEqual((summary["status"], summary["rejected"]), ("partial", 1))

    def test_it_rejects_when_nothing_went_in(self):
        summary = import_summary(conflicts=[{"row": 1, "field": "a", "value": "", "reason": "required"}])
        self.assertEqual(summary["status"], "rejected")
