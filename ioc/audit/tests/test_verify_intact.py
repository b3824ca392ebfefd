"""R7.3: audit_verify passes on an intact chain."""

import datetime as dt
from decimal import Decimal

from django.test import TestCase

from ioc.audit.selectors import audit_verify
from ioc.audit.services import audit_record, audit_record_bulk
from ioc.audit.tests.support import SealingMixin, make_user


class VerifyIntactTest(SealingMixin, TestCase):
    def test_it_passes_on_an_empty_trail_without_an_anchor(self):
        result = audit_verify()
        self.assertTrue(result.ok, result.message)
        self.assertEqual((result.entries, result.head_position), (0, 0))

    def test_it_passes_on_an_intact_chain_sealed_in_several_batches(self):
        actor = make_user("van.hanh")
        self.record(4, actor=actor)
        self.seal()
        audit_record(
            actor=actor,
            action="thing.update",
            changes={"tên": "Phường Lộc Ninh", "when": dt.datetime(2025, 7, 1, tzinfo=dt.UTC), "n": Decimal("1.50")},
        )
        audit_record_bulk(actor=None, action="thing.import", object_type="tests.thing", rows=[{"a": 1}, (2, "b")])
        self.seal(batch=1)
        result = audit_verify()
        self.assertTrue(result.ok, result.message)
        self.assertEqual((result.entries, result.head_position, result.anchor_position), (6, 6, 6))
        self.assertIn("Chuỗi nhật ký toàn vẹn / Audit chain intact (6 entries)", result.message)
        self.assertIsNone(result.broken_position)

    def test_it_counts_only_sealed_entries_and_accepts_a_lagging_anchor(self):
        self.record(2)
        self.seal()
        self.record(3)
        result = audit_verify()
        self.assertTrue(result.ok, result.message)
        self.assertEqual(result.entries, 2)
        self.assertEqual(result.anchor_lag, 0)
