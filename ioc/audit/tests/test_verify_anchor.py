"""R7.3: the anchor file itself: edited, unreadable or missing is reported."""

from django.test import TestCase

from ioc.audit.selectors import audit_verify
from ioc.audit.tests.support import SealingMixin
from ioc.audit.verify import ANCHOR_MISMATCH, ANCHOR_MISSING, ANCHOR_UNREADABLE


class VerifyAnchorTest(SealingMixin, TestCase):
    def setUp(self):
        super().setUp()
        self.record(3)
        self.seal()
        self.record(2)
        self.seal()

    def test_it_catches_an_edited_link_in_the_anchor_file(self):
        lines = self.anchor_path.read_text().splitlines()
        position, link, sealed_at = lines[0].split(" ")
        forged = ("0" if link[0] != "0" else "1") + link[1:]
        lines[0] = f"{position} {forged} {sealed_at}"
        self.anchor_path.write_text("\n".join(lines) + "\n")
        result = audit_verify()
        self.assertEqual((result.ok, result.problem, result.broken_position), (False, ANCHOR_MISMATCH, 3))
        self.assertIn("Tệp neo", result.message)

    def test_it_catches_an_unreadable_anchor_line(self):
        with self.anchor_path.open("a") as handle:
            handle.write("garbage written by hand\n")
        result = audit_verify()
        self.assertEqual((result.ok, result.problem), (False, ANCHOR_UNREADABLE))
        self.assertIn("3", result.message)

    def test_it_reports_a_missing_anchor_file_while_entries_are_sealed(self):
        self.anchor_path.unlink()
        result = audit_verify()
        self.assertEqual((result.ok, result.problem), (False, ANCHOR_MISSING))
        self.assertIn("5", result.message)

    def test_it_accepts_anchor_lines_written_out_of_order_by_two_sealers(self):
        lines = self.anchor_path.read_text().splitlines()
        self.anchor_path.write_text("\n".join(reversed(lines)) + "\n")
        self.assertTrue(audit_verify().ok)
