"""docs/decisions/0017, issue 12 "Speed": a drain or catch-up on PostgreSQL, outside a transaction, runs
`ESCALATION_SWEEPERS` sweeps at once, each in its own thread and connection; `FOR UPDATE SKIP LOCKED` keeps their
batches apart, so every due step fires once. Inside a transaction, on SQLite, or for one batch, the sweep is the
caller's own. Same frozen clock as test_escalation_sqlite_session."""

from __future__ import annotations

import threading
from typing import Any

from django.db import connection
from django.test import TransactionTestCase

from ioc.accounts.testing import personas_create
from ioc.assignments import services
from ioc.assignments.models import Assignment
from ioc.assignments.services import StagedTransitions, StepSpec, assignment_escalate_due
from ioc.assignments.tests.support import RecordingHandler, batch_size_set, forward_rows, frozen, local
from ioc.audit.models import AuditEntry

STEP_1 = local(2026, 4, 29, 10, 48)
STEPS = [StepSpec(0.8, "agency_officer"), StepSpec(1.0, "agency_head")]
ROWS, BATCH_SIZE = 23, 4


class ThreadsSeen(RecordingHandler):
    """Notes the thread each staged batch ran in."""

    def __init__(self) -> None:
        super().__init__()
        self.threads: list[str] = []

    def on_staged(self, *, staged: StagedTransitions, process: str) -> None:
        self.threads.append(threading.current_thread().name)


class ParallelSweepTest(TransactionTestCase):
    def setUp(self) -> None:
        people = personas_create()
        self.handler = ThreadsSeen()
        services.register_subject_handler("par", self.handler)
        self.addCleanup(services.unregister_subject_handler, "par")
        services.escalation_chain_set(actor=people.leader, process="par", category_code="", name="M", steps=STEPS)
        forward_rows(people=people, process="par", rows=ROWS)
        batch_size_set(self, BATCH_SIZE)

    def sweep(self, **options: Any) -> int:
        with frozen(STEP_1):
            return assignment_escalate_due(now=STEP_1, **options)

    def escalated(self) -> list[int]:
        """Every assignment id each batch's audit entry lists, all batches together."""
        entries = AuditEntry.objects.filter(action="assignment.escalate")
        return sorted(step[0] for entry in entries for step in entry.changes["steps"])

    def test_a_drain_fires_every_due_step_once(self) -> None:
        self.assertEqual(self.sweep(limit=100, sweepers=2), ROWS)
        self.assertEqual(self.escalated(), sorted(Assignment.objects.values_list("pk", flat=True)))  # once each
        self.assertEqual(sorted(set(Assignment.objects.values_list("escalation_level", flat=True))), [1])
        sweepers = {name for name in self.handler.threads if name.startswith("escalation-sweeper-")}
        if connection.vendor == "postgresql":
            self.assertTrue(sweepers)  # the batches ran in the sweepers' threads
            self.assertEqual(len(self.handler.threads), len([n for n in self.handler.threads if n in sweepers]))
        else:
            self.assertEqual(sweepers, set())  # SQLite: one writer, the caller's own sweep
        self.assertEqual(self.sweep(limit=100, sweepers=2), 0)

    def test_one_batch_is_the_callers_own(self) -> None:
        self.assertEqual(self.sweep(limit=BATCH_SIZE, sweepers=2), BATCH_SIZE)
        self.assertEqual(self.handler.threads, [threading.current_thread().name])
