"""R7.3: an entry edited behind the application's back breaks its link, and audit_verify names its position."""

from django.test import TestCase

from ioc.audit.models import AuditEntry
from ioc.audit.selectors import audit_verify
from ioc.audit.tests.support import SealingMixin, raw_sql
from ioc.audit.verify import EDITED, HEAD_MISMATCH


class VerifyEditedRowTest(SealingMixin, TestCase):
    def setUp(self):
        super().setUp()
        self.record(6)
        self.seal()
        self.assertTrue(audit_verify().ok)

    def test_it_catches_changed_changes_at_their_position(self):
        raw_sql("UPDATE audit_auditentry SET changes = %s WHERE position = 4", ['{"i": 99}'])
        result = audit_verify()
        self.assertFalse(result.ok)
        self.assertEqual((result.broken_position, result.problem), (4, EDITED))
        self.assertIn("vị trí 4", result.message)
        self.assertIn("position 4", result.message)

    def test_it_catches_a_changed_action(self):
        raw_sql("UPDATE audit_auditentry SET action = 'thing.delete' WHERE position = 2")
        result = audit_verify()
        self.assertEqual((result.ok, result.broken_position), (False, 2))

    def test_it_catches_a_changed_time_or_actor_label(self):
        raw_sql("UPDATE audit_auditentry SET actor_label = 'someone.else' WHERE position = 5")
        self.assertEqual(audit_verify().broken_position, 5)

    def test_it_catches_two_entries_swapped(self):
        first, second = AuditEntry.objects.get(position=2), AuditEntry.objects.get(position=3)
        raw_sql("UPDATE audit_auditentry SET position = -1 WHERE id = %s", [first.id])
        raw_sql("UPDATE audit_auditentry SET position = 2, link = %s WHERE id = %s", [first.link, second.id])
        raw_sql("UPDATE audit_auditentry SET position = 3, link = %s WHERE id = %s", [second.link, first.id])
        result = audit_verify()
        self.assertEqual((result.ok, result.broken_position, result.problem), (False, 2, EDITED))

    def test_it_catches_a_forged_link(self):
        raw_sql("UPDATE audit_auditentry SET link = %s WHERE position = 6", ["f" * 64])
        self.assertEqual(audit_verify().broken_position, 6)

    def test_it_catches_a_rewound_chain_head(self):
        raw_sql("UPDATE audit_chainhead SET position = 4 WHERE id = 1")
        result = audit_verify()
        self.assertEqual((result.ok, result.problem), (False, HEAD_MISMATCH))
