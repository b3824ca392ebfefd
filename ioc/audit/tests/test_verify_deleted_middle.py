"""R7.3: a row removed from the middle of the chain leaves a gap that audit_verify names."""

from django.test import TestCase

from ioc.audit.selectors import audit_verify
from ioc.audit.tests.support import SealingMixin, raw_sql
from ioc.audit.verify import EDITED, MISSING


class VerifyDeletedMiddleTest(SealingMixin, TestCase):
    def setUp(self):
        super().setUp()
        self.record(6)
        self.seal()

    def test_it_names_the_removed_position(self):
        self.assertEqual(raw_sql("DELETE FROM audit_auditentry WHERE position = 3"), 1)
        result = audit_verify()
        self.assertEqual((result.ok, result.problem, result.broken_position), (False, MISSING, 3))
        self.assertIn("vị trí 3", result.message)
        self.assertEqual(result.entries, 2)

    def test_it_names_the_first_entry_when_it_is_removed(self):
        raw_sql("DELETE FROM audit_auditentry WHERE position = 1")
        self.assertEqual(audit_verify().broken_position, 1)

    def test_it_catches_a_removal_hidden_by_renumbering(self):
        raw_sql("DELETE FROM audit_auditentry WHERE position = 3")
        raw_sql("UPDATE audit_auditentry SET position = position - 1 WHERE position > 3")
        result = audit_verify()
        self.assertEqual((result.ok, result.problem, result.broken_position), (False, EDITED, 3))
