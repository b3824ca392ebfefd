"""docs/decisions/0013: a sweep of several batches on SQLite keeps its temporary tables and statement journals in
memory and checkpoints every `CHECKPOINT_FRAMES` frames while its batches run; the connection's settings are put
back after it, also when a batch dies. A one-batch sweep (the periodic task) and a sweep inside a transaction leave
the connection as it is. Same frozen clock as test_escalation_sets: forwarded Fri 24/4/2026 15:00, 16 working
hours; step 1 (80 %) Wed 29/4 10:48. And the due query reads the partial index on `next_escalation_at`; the
timelines keep only the indexes they are read by.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection, transaction
from django.test import TestCase, TransactionTestCase

from ioc.accounts.testing import personas_create
from ioc.assignments import services
from ioc.assignments.models import Assignment
from ioc.assignments.services import StagedTransitions, StepSpec, assignment_escalate_due, escalation_sweep
from ioc.assignments.services.escalation_sql import CHECKPOINT_FRAMES, TEMP_IN_MEMORY
from ioc.assignments.tests.support import RecordingHandler, batch_size_set, forward_rows, frozen, local

STEP_1 = local(2026, 4, 29, 10, 48)
STEPS = [StepSpec(0.8, "agency_officer"), StepSpec(1.0, "agency_head")]
ROWS, BATCH_SIZE = 10, 4


def settings_now() -> tuple[int, int]:
    """(temp_store, wal_autocheckpoint) of the connection."""
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA temp_store")
        temp_store = int(cursor.fetchone()[0])
        cursor.execute("PRAGMA wal_autocheckpoint")
        return temp_store, int(cursor.fetchone()[0])


class SettingsSeen(RecordingHandler):
    """A set-based handler noting the connection's settings while each batch runs; `die` stands for a crash."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[int, int]] = []
        self.die = False

    def on_staged(self, *, staged: StagedTransitions, process: str) -> None:
        self.seen.append(settings_now())
        if self.die:
            raise RuntimeError("the subject's app failed")


class SqliteSessionTest(TransactionTestCase):
    def setUp(self) -> None:
        if connection.vendor != "sqlite":
            self.skipTest("SQLite's connection settings")
        people = personas_create()
        self.handler = SettingsSeen()
        services.register_subject_handler("seen", self.handler)
        self.addCleanup(services.unregister_subject_handler, "seen")
        services.escalation_chain_set(actor=people.leader, process="seen", category_code="", name="M", steps=STEPS)
        forward_rows(people=people, process="seen", rows=ROWS)
        batch_size_set(self, BATCH_SIZE)
        self.before = settings_now()
        self.assertNotEqual(self.before, (TEMP_IN_MEMORY, CHECKPOINT_FRAMES))  # the defaults differ

    def sweep(self, **options: Any) -> int:
        with frozen(STEP_1):
            return assignment_escalate_due(now=STEP_1, **options)

    def levels(self) -> list[int]:
        return sorted(Assignment.objects.values_list("escalation_level", flat=True))

    def test_several_batches_change_the_settings_while_they_run_and_one_batch_does_not(self) -> None:
        self.assertEqual(self.sweep(limit=BATCH_SIZE), BATCH_SIZE)  # the periodic task's kind of call
        self.assertEqual(self.handler.seen, [self.before])
        self.assertEqual(self.sweep(limit=100), ROWS - BATCH_SIZE)  # a drain: two batches, 4 rows then 2
        self.assertEqual(self.handler.seen[1:], [(TEMP_IN_MEMORY, CHECKPOINT_FRAMES)] * 2)
        self.assertEqual(settings_now(), self.before)
        self.assertEqual(self.levels(), [1] * ROWS)

    def test_settings_are_put_back_after_failed_batches_and_left_alone_inside_a_transaction(self) -> None:
        self.handler.die = True  # every batch fails, then every row alone: nothing escalates
        with self.assertLogs("ioc.assignments", level="WARNING"):
            self.assertEqual(self.sweep(limit=100), 0)
        self.assertEqual(self.handler.seen[:2], [(TEMP_IN_MEMORY, CHECKPOINT_FRAMES)] * 2)
        self.assertEqual(settings_now(), self.before)
        self.assertEqual(self.levels(), [0] * ROWS)
        self.handler.die, self.handler.seen = False, []
        later = STEP_1 + dt.timedelta(hours=1)  # the failed rows' leases have expired
        with frozen(later), transaction.atomic():  # SQLite refuses temp_store here: the sweep writes as it is
            self.assertEqual(assignment_escalate_due(now=later, limit=100), ROWS)
        self.assertEqual(self.handler.seen, [self.before] * 3)  # batches of 4, 4 and 2 rows
        self.assertEqual(self.levels(), [1] * ROWS)


class DueQueryPlanTest(TestCase):
    """The sweep's due query reads the partial index on `next_escalation_at` (set values only, decision 0013): its
    condition `next_escalation_at <= now` implies the index's `IS NOT NULL`, on both databases."""

    def test_the_due_query_uses_the_partial_index(self) -> None:
        due = Assignment.objects.filter(escalation_sweep._due(STEP_1)).order_by("next_escalation_at", "pk")
        query, params = due[:2000].values_list("id").query.sql_with_params()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL enable_seqscan = off")  # an empty table: make the planner show its choice
                cursor.execute("EXPLAIN " + query, params)
            else:
                cursor.execute("EXPLAIN QUERY PLAN " + query, params)
            plan = " ".join(str(row) for row in cursor.fetchall())
        self.assertIn("assign_next_escalation_idx", plan)


class WrittenIndexesTest(TestCase):
    """Decision 0013: the migrations dropped the timelines' unread indexes by name on this database too, kept the
    ones their pages read, and left one index on `next_escalation_at`, the partial one."""

    def indexed_columns(self, table: str) -> list[list[str]]:
        with connection.cursor() as cursor:
            found = connection.introspection.get_constraints(cursor, table)
        return sorted(c["columns"] for c in found.values() if c["index"] and not c["primary_key"] and not c["unique"])

    def test_the_timelines_keep_only_the_indexes_they_are_read_by(self) -> None:
        self.assertEqual(self.indexed_columns("incidents_incidentevent"), [["incident_id"]])
        self.assertEqual(self.indexed_columns("assignments_assignmentupdate"), [["assignment_id"]])
        self.assertEqual(self.indexed_columns("assignments_assignment").count(["next_escalation_at"]), 1)

    def test_the_assignments_keep_no_index_a_composite_one_leads_or_nothing_reads(self) -> None:
        """Decision 0017: process and agency_id are read through the composite indexes they lead; forwarded_by_id
        and handled_by_id are read by nothing; every escalation step writes each index the table keeps."""
        self.assertEqual(
            self.indexed_columns("assignments_assignment"),
            [
                ["agency_id", "status", "deadline_at"],
                ["deadline_at"],
                ["escalation_chain_id"],
                ["next_escalation_at"],
                ["process", "subject_id"],
                ["unit_id"],
            ],
        )
