"""The sweep's set-based batches (R3.3, R4.5; issue 12 "Speed"): many rows across several batches escalate exactly
once (timeline row, audit entry and handler line per step, one message per recipient and batch, nothing twice),
and a worker dying in the middle of a batch — after its timeline rows and audit entries were inserted — leaves
nothing written and nothing held: the next sweep fires every step once. Same frozen clock as test_escalation:
forwarded Fri 24/4/2026 15:00, 16 working hours; step 1 (80 %) Wed 29/4 10:48, step 2 (100 %) Wed 16:00.
"""

import datetime as dt
from collections import Counter
from typing import Any

from django.db import connection

from ioc.assignments import services
from ioc.assignments.choices import UpdateKind
from ioc.assignments.models import Assignment, AssignmentUpdate
from ioc.assignments.services import StagedTransitions, StepSpec, assignment_escalate_due
from ioc.assignments.tests.escalation_audit import escalation_audit
from ioc.assignments.tests.support import RecordingHandler, WorkCase, batch_size_set, frozen, local
from ioc.audit.models import AuditEntry
from ioc.notifications.models import Outbox

STEP_1, STEP_2 = local(2026, 4, 29, 10, 48), local(2026, 4, 29, 16, 0)
STEPS = [StepSpec(0.8, "agency_officer"), StepSpec(1.0, "agency_head"), StepSpec(1.5, "ioc_leader", True)]
ROWS = 23  # over several batches of BATCH_SIZE, the last one partial
BATCH_SIZE = 5


class StagedHandler(RecordingHandler):
    """A set-based handler: reads the staged rows of its process, in order (what `on_staged` is given)."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[int, str]] = []

    def on_staged(self, *, staged: StagedTransitions, process: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT assignment_id, text FROM {staged.table} WHERE process = %s ORDER BY seq",
                [process],
            )
            self.seen.extend((int(pk), text) for pk, text in cursor.fetchall())


class WorkerDies(BaseException):
    """Stands for the worker being killed: not an Exception, so nothing in the sweep catches it."""


class DyingHandler(StagedHandler):
    """Dies in the middle of the batch, once the batch's timeline rows and audit entries are already inserted."""

    def on_staged(self, *, staged: StagedTransitions, process: str) -> None:
        written = AssignmentUpdate.objects.filter(kind=UpdateKind.ESCALATE).count()
        self.seen.append((written, str(len(escalation_audit()))))
        raise WorkerDies


def sweep(moment: dt.datetime, limit: int = 1000) -> int:
    with frozen(moment):
        return assignment_escalate_due(now=moment, limit=limit)


class SetBasedSweepTest(WorkCase):
    def setUp(self) -> None:
        super().setUp()
        self.staged = StagedHandler()
        services.register_subject_handler("staged", self.staged)
        self.addCleanup(services.unregister_subject_handler, "staged")
        for process in ("test", "staged"):
            services.escalation_chain_set(actor=self.leader, process=process, category_code="", name="M", steps=STEPS)
        with frozen(local(2026, 4, 24, 15, 0)):
            self.works = [self.forward(process="staged" if n % 3 else "test", subject_id=f"s-{n}") for n in range(ROWS)]
        batch_size_set(self, BATCH_SIZE)

    def counts(self) -> dict[str, Any]:
        updates = AssignmentUpdate.objects.filter(kind=UpdateKind.ESCALATE)
        return {
            "updates": Counter(updates.values_list("assignment_id", flat=True)),
            "audit": Counter(step["assignment"] for step in escalation_audit()),
            "outbox": Counter(Outbox.objects.filter(event="assignment.escalate").values_list("dedup_key", flat=True)),
        }

    def test_many_rows_over_several_batches_escalate_exactly_once(self):
        with self.assertNoLogs("ioc.assignments", level="WARNING"):  # set-wise: no batch fell back to row by row
            self.assertEqual(sweep(STEP_2), ROWS)  # tiers 1 and 2 due: one step per row (decision 0011)
        self.assertEqual(sweep(STEP_2), 0)
        counts = self.counts()
        self.assertEqual(counts["updates"], Counter({w.pk: 1 for w in self.works}))
        self.assertEqual(counts["audit"], Counter({w.pk: 1 for w in self.works}))
        batches = AuditEntry.objects.filter(action="assignment.escalate").values_list("object_id", "row_count")
        expected = [("", BATCH_SIZE)] * (ROWS // BATCH_SIZE) + [("", ROWS % BATCH_SIZE)]
        self.assertEqual(sorted(batches), sorted(expected))  # one entry per batch, counting its steps
        # One head is told: one digest per batch (five rows), no repeats.
        self.assertEqual(set(counts["outbox"].values()), {1})
        self.assertEqual(len(counts["outbox"]), -(-ROWS // BATCH_SIZE))
        for work in self.works:
            work.refresh_from_db()
            self.assertEqual((work.escalation_level, work.escalation_lease_until), (2, None))
            texts = list(
                AssignmentUpdate.objects.filter(assignment=work, kind=UpdateKind.ESCALATE)
                .order_by("pk")
                .values_list("text", flat=True)
            )
            self.assertEqual([t.split(":")[0] for t in texts], ["Bước 2"])
        # The set-based handler saw each of its rows' steps once, in order; the other one was called per row.
        staged = [w.pk for w in self.works if w.process == "staged"]
        self.assertEqual(Counter(pk for pk, _text in self.staged.seen), Counter({pk: 1 for pk in staged}))
        self.assertEqual(self.handler.kinds.count(str(UpdateKind.ESCALATE)), ROWS - len(staged))

    def test_a_worker_dying_mid_batch_leaves_nothing_written_and_nothing_held(self):
        dying = DyingHandler()
        services.register_subject_handler("staged", dying)
        with self.assertRaises(WorkerDies):
            sweep(STEP_1)
        self.assertEqual(dying.seen[0][0], BATCH_SIZE)  # it died after the batch's timeline rows were inserted
        self.assertEqual(dying.seen[0][1], str(BATCH_SIZE))  # and its audit entry listing them
        self.assertEqual(self.counts(), {"updates": Counter(), "audit": Counter(), "outbox": Counter()})
        for work in Assignment.objects.filter(pk__in=[w.pk for w in self.works]):
            self.assertEqual((work.escalation_level, work.next_escalation_at), (0, STEP_1))
            self.assertIsNone(work.escalation_lease_until)  # taken without a lease: retaken at once, not later
        services.register_subject_handler("staged", self.staged)  # a new worker starts
        self.assertEqual(sweep(STEP_1), ROWS)
        self.assertEqual(sweep(STEP_1), 0)
        counts = self.counts()
        self.assertEqual(counts["updates"], Counter({w.pk: 1 for w in self.works}))
        self.assertEqual(counts["audit"], Counter({w.pk: 1 for w in self.works}))
        self.assertEqual(len(counts["outbox"]), -(-ROWS // BATCH_SIZE))  # the officer: one digest per batch
