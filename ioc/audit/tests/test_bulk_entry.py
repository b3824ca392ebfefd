"""R7.3: a bulk write records one entry per batch with its row count and a SHA-256 digest of the rows."""

import datetime as dt
import hashlib
import json
from typing import Any

from django.test import TestCase

from ioc.audit.chain import rows_digest
from ioc.audit.models import AuditEntry, ChainHead
from ioc.audit.services import audit_record_bulk
from ioc.audit.tests.support import clear_trail


def expected_digest(rows: list[Any]) -> str:
    lines = b"".join(
        json.dumps(row, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode() + b"\n" for row in rows
    )
    return hashlib.sha256(lines).hexdigest()


class BulkEntryTest(TestCase):
    def setUp(self):
        clear_trail()

    def test_it_records_one_entry_with_the_row_count_and_digest(self):
        rows = [{"code": "00070", "tên": "Phường Hoàn Kiếm", "n": 1}, {"n": 2, "code": "25270", "tên": "Lộc Ninh"}]
        entry = audit_record_bulk(actor=None, action="geo.units_load", object_type="geo.adminunit", rows=rows)
        self.assertEqual(AuditEntry.objects.count(), 1)
        entry.refresh_from_db()
        self.assertEqual((entry.action, entry.object_type, entry.row_count), ("geo.units_load", "geo.adminunit", 2))
        self.assertEqual(entry.digest, expected_digest(rows))

    def test_it_reads_tuples_as_arrays_and_consumes_a_generator_once(self):
        rows = ((i, f"row {i}") for i in range(1000))
        entry = audit_record_bulk(actor=None, action="tests.import", object_type="tests.thing", rows=rows)
        self.assertEqual(entry.row_count, 1000)
        self.assertEqual(entry.digest, expected_digest([[i, f"row {i}"] for i in range(1000)]))

    def test_it_gives_a_different_digest_when_one_value_or_the_order_changes(self):
        base = [{"a": 1}, {"a": 2}]
        self.assertNotEqual(rows_digest(base)[1], rows_digest([{"a": 1}, {"a": 3}])[1])
        self.assertNotEqual(rows_digest(base)[1], rows_digest(list(reversed(base)))[1])
        self.assertEqual(rows_digest([{"b": 1, "a": 2}])[1], rows_digest([{"a": 2, "b": 1}])[1])

    def test_it_encodes_dates_in_rows(self):
        count, digest = rows_digest([{"at": dt.date(2025, 7, 1)}])
        self.assertEqual((count, digest), (1, expected_digest([{"at": "2025-07-01"}])))

    def test_it_records_an_empty_batch_as_zero_rows(self):
        entry = audit_record_bulk(actor=None, action="tests.import", object_type="tests.thing", rows=[])
        self.assertEqual((entry.row_count, entry.digest), (0, hashlib.sha256(b"").hexdigest()))


class ManyEntriesTest(TestCase):
    """R7.3: `audit_record_many` writes one entry per item, as `audit_record` would, in one INSERT."""

    def setUp(self):
        clear_trail()

    def test_each_item_gets_the_entry_audit_record_would_write(self):
        from ioc.audit.services import AuditItem, audit_record, audit_record_many

        head = ChainHead.objects.get_or_create(pk=1)[0]
        fields = ("actor", "actor_label", "action", "object_type", "object_id", "object_repr", "changes", "row_count")
        one = audit_record(actor=None, action="x.one", obj=head, changes={"a": 1})
        expected = AuditEntry.objects.filter(pk=one.pk).values(*fields).get()
        with self.assertNumQueries(1):
            entries = audit_record_many(
                actor=None,
                items=[
                    AuditItem(action="x.one", obj=head, changes={"a": 1}),
                    AuditItem(action="x.two", object_type="t"),
                ],
            )
        rows = list(AuditEntry.objects.filter(pk__in=[e.pk for e in entries]).order_by("pk").values(*fields))
        self.assertEqual(rows[0], expected)
        self.assertEqual((rows[1]["action"], rows[1]["object_type"], rows[1]["changes"]), ("x.two", "t", {}))
        self.assertEqual(audit_record_many(actor=None, items=[]), [])

    def test_a_batch_item_keeps_its_digest_and_row_count_as_audit_record_does(self):
        from ioc.audit.services import AuditItem, audit_record, audit_record_many

        fields = ("action", "object_type", "row_count", "digest")
        one = audit_record(actor=None, action="x.batch", object_type="t", row_count=3, digest="ab" * 32)
        [many] = audit_record_many(
            actor=None, items=[AuditItem(action="x.batch", object_type="t", row_count=3, digest="ab" * 32)]
        )
        rows = AuditEntry.objects.filter(pk__in=[one.pk, many.pk]).order_by("pk").values_list(*fields)
        self.assertEqual(list(rows), [("x.batch", "t", 3, "ab" * 32)] * 2)

    def test_an_unknown_or_missing_keyword_is_refused_before_anything_is_written(self):
        from ioc.audit.services import audit_entry_new, audit_record, audit_record_many

        before = AuditEntry.objects.count()
        with self.assertRaisesMessage(TypeError, "['objet']"):
            audit_record(actor=None, action="x.one", objet="typo")
        with self.assertRaisesMessage(TypeError, "action is required"):
            audit_entry_new(actor=None, object_type="t")
        with self.assertRaisesMessage(TypeError, "['when']"):
            audit_record_many(actor=None, items=[{"action": "x.one", "when": 1}])  # type: ignore[typeddict-unknown-key]
        self.assertEqual(AuditEntry.objects.count(), before)
