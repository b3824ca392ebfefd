"""R7.3: deleting the last entries (a truncated tail) is caught through the chain head and the anchor file."""

from django.test import TestCase

from ioc.audit.models import AuditEntry, ChainHead
from ioc.audit.selectors import audit_verify
from ioc.audit.services import audit_record
from ioc.audit.tests.support import SealingMixin, raw_sql
from ioc.audit.verify import ANCHOR_MISMATCH, TRUNCATED


class VerifyDeletedTailTest(SealingMixin, TestCase):
    def setUp(self):
        super().setUp()
        self.record(5)
        self.seal()
        self.record(3)
        self.seal()

    def test_it_catches_a_deleted_tail_even_when_the_head_row_is_rewound(self):
        raw_sql("DELETE FROM audit_auditentry WHERE position > 6")
        sixth = AuditEntry.objects.get(position=6)
        raw_sql("UPDATE audit_chainhead SET position = 6, link = %s WHERE id = 1", [sixth.link])
        result = audit_verify()
        self.assertFalse(result.ok)
        self.assertEqual((result.problem, result.broken_position, result.anchor_position), (TRUNCATED, 7, 8))
        self.assertIn("vị trí 7", result.message)
        self.assertIn("tail truncated", result.message)

    def test_it_catches_a_deleted_tail_from_the_head_row_alone(self):
        raw_sql("DELETE FROM audit_auditentry WHERE position > 5")
        self.anchor_path.unlink()
        result = audit_verify()
        self.assertEqual((result.ok, result.problem, result.broken_position), (False, TRUNCATED, 6))

    def test_it_catches_a_whole_trail_deleted(self):
        raw_sql("DELETE FROM audit_auditentry")
        raw_sql("DELETE FROM audit_chainhead")
        result = audit_verify()
        self.assertEqual((result.ok, result.problem, result.broken_position), (False, TRUNCATED, 1))

    def test_it_catches_a_deleted_tail_after_new_entries_were_written(self):
        raw_sql("DELETE FROM audit_auditentry WHERE position > 6")
        raw_sql("DELETE FROM audit_chainhead")
        audit_record(actor=None, action="thing.create")
        self.seal()
        self.assertEqual(ChainHead.objects.get(id=1).position, 7)
        result = audit_verify()
        self.assertEqual((result.ok, result.problem, result.broken_position), (False, TRUNCATED, 8))

    def test_it_catches_a_tail_replaced_by_new_entries(self):
        raw_sql("DELETE FROM audit_auditentry WHERE position > 5")
        raw_sql("DELETE FROM audit_chainhead")
        self.record(3, action="thing.forged")
        self.seal()
        result = audit_verify()
        self.assertEqual((result.ok, result.problem, result.broken_position), (False, ANCHOR_MISMATCH, 8))
