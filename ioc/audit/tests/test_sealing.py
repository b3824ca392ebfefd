"""R7.3: the sealer gives committed entries consecutive positions and valid HMAC links, then anchors the head."""

from django.test import TestCase, override_settings

from ioc.audit.chain import GENESIS_LINK, anchor_read, link_of
from ioc.audit.models import AuditEntry, ChainHead
from ioc.audit.services import audit_record, audit_seal
from ioc.audit.tests.support import SealingMixin

FIELDS = [
    "position",
    "created_at",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "changes",
    "address",
    "request_id",
    "row_count",
    "digest",
]


class SealingTest(SealingMixin, TestCase):
    def test_it_gives_consecutive_positions_in_id_order(self):
        entries = self.record(7)
        self.assertEqual(self.seal(), 7)
        positions = list(AuditEntry.objects.order_by("id").values_list("id", "position"))
        self.assertEqual([p for _id, p in positions], list(range(1, 8)))
        self.assertEqual([i for i, _p in positions], [e.id for e in entries])

    def test_it_links_each_entry_to_the_one_before_with_the_audit_key(self):
        self.record(3)
        self.seal()
        previous = GENESIS_LINK
        for row in AuditEntry.objects.order_by("position").values("link", *FIELDS):
            self.assertEqual(row["link"], link_of(previous, row))
            self.assertRegex(row["link"], r"^[0-9a-f]{64}$")
            previous = row["link"]
        with override_settings(AUDIT_KEY="another-key-" + "k" * 40):
            first = AuditEntry.objects.filter(position=1).values("link", *FIELDS).get()
            self.assertNotEqual(first["link"], link_of(GENESIS_LINK, first))

    def test_it_continues_the_chain_across_sealings_and_moves_the_head(self):
        self.record(2)
        self.seal()
        self.record(3)
        self.assertEqual(self.seal(), 3)
        head = ChainHead.objects.get(id=1)
        last = AuditEntry.objects.get(position=5)
        self.assertEqual((head.position, head.link), (5, last.link))
        self.assertIsNotNone(head.sealed_at)

    def test_it_seals_nothing_twice(self):
        self.record(2)
        self.seal()
        self.assertEqual(self.seal(), 0)
        self.assertEqual(AuditEntry.objects.filter(position__isnull=True).count(), 0)

    def test_it_respects_the_limit_of_one_batch(self):
        self.record(5)
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(audit_seal(limit=2), 2)
        self.assertEqual(AuditEntry.objects.filter(position__isnull=True).count(), 3)
        self.assertEqual(self.seal(batch=2), 3)

    def test_it_refuses_a_limit_below_one(self):
        with self.assertRaises(ValueError):
            audit_seal(limit=0)

    def test_it_appends_one_anchor_line_per_sealing_after_the_commit(self):
        self.record(2)
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            audit_seal()
        self.assertFalse(self.anchor_path.exists(), "the anchor is written only after the commit")
        for callback in callbacks:
            callback()
        self.record(1)
        self.seal()
        lines = anchor_read()
        assert lines is not None
        self.assertEqual([line.position for line in lines], [2, 3])
        self.assertEqual(lines[-1].link, ChainHead.objects.get(id=1).link)
        self.assertRegex(self.anchor_path.read_text(), r"^2 [0-9a-f]{64} \d{4}-\d\d-\d\dT\S+\n3 ")

    def test_it_writes_no_anchor_line_when_nothing_was_sealed(self):
        self.seal()
        self.assertFalse(self.anchor_path.exists())

    def test_it_creates_the_chain_head_when_missing(self):
        ChainHead.objects.all().delete()
        audit_record(actor=None, action="thing.create")
        self.seal()
        self.assertEqual(ChainHead.objects.get(id=1).position, 1)
