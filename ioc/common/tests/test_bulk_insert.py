"""`insert_returning` (issue 12 "Speed"): rows stored exactly as the ORM stores them, each pk set in order."""

import datetime as dt

from django.test import TestCase

from ioc.audit.models import AuditEntry
from ioc.common.bulk import insert_returning
from ioc.geo.models import AdminUnit

MOMENT = dt.datetime(2026, 4, 24, 8, 0, tzinfo=dt.UTC)


class InsertReturningTest(TestCase):
    def test_each_row_gets_its_own_pk_and_reads_back_as_the_orm_wrote_it(self):
        fields = ("created_at", "action", "object_id", "changes", "row_count")
        by_orm = AuditEntry.objects.create(created_at=MOMENT, action="t.orm", object_id="0", changes={"ờ": [1, "a"]})
        entries = [
            AuditEntry(
                created_at=MOMENT + dt.timedelta(minutes=n), action=f"t.{n}", object_id=str(n), changes={"ờ": [1, "a"]}
            )
            for n in range(1200)  # more than one statement
        ]
        insert_returning(entries)
        stored = AuditEntry.objects.in_bulk([e.pk for e in entries])
        self.assertEqual(len(stored), 1200)
        for entry in entries:
            row = stored[entry.pk]
            self.assertEqual(
                (row.action, row.object_id, row.created_at), (entry.action, entry.object_id, entry.created_at)
            )
            self.assertFalse(entry._state.adding)
        first = AuditEntry.objects.filter(pk=entries[0].pk).values(*fields).get()
        orm = AuditEntry.objects.filter(pk=by_orm.pk).values(*fields).get()
        self.assertEqual({**first, "action": "", "object_id": ""}, {**orm, "action": "", "object_id": ""})

    def test_it_refuses_a_mix_of_models_and_writes_nothing_for_none(self):
        insert_returning([])
        with self.assertRaises(TypeError):
            insert_returning([AuditEntry(action="x"), AdminUnit()])
        self.assertFalse(AuditEntry.objects.filter(action="x").exists())
