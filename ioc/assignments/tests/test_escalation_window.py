"""A sweep of several batches (a drain, a catch-up) fires its rows in batches of neighbouring ids (R3.3, R4.5;
issue 12 "Speed", docs/decisions/0015): it takes the same rows as before — the `limit` oldest due — and each
batch still lists its steps in due order; only which rows share a batch changes. A one-batch call (the periodic
sweep) still takes the oldest due first. Here the due times run against the ids: the later a row was forwarded,
the lower its id's rank in due order.
"""

import datetime as dt

from ioc.assignments import services
from ioc.assignments.services import StepSpec, assignment_escalate_due
from ioc.assignments.tests.support import WorkCase, batch_size_set, frozen, local
from ioc.audit.models import AuditEntry

STEP_1 = local(2026, 4, 29, 10, 48)  # step 1 (80 % of 16 working hours) of the first row forwarded
STEPS = [StepSpec(0.8, "agency_officer"), StepSpec(1.0, "agency_head")]
ROWS, BATCH_SIZE = 23, 5


def sweep(limit: int) -> int:
    with frozen(STEP_1):
        return assignment_escalate_due(now=STEP_1, limit=limit)


class WindowTest(WorkCase):
    def setUp(self) -> None:
        super().setUp()
        services.escalation_chain_set(actor=self.leader, process="test", category_code="", name="M", steps=STEPS)
        self.works = []
        for n in range(ROWS):  # forwarded a minute earlier each: the higher the id, the earlier its step is due
            with frozen(local(2026, 4, 24, 15, 0) - dt.timedelta(minutes=n)):
                self.works.append(self.forward(subject_id=f"s-{n}"))
        batch_size_set(self, BATCH_SIZE)

    def batches(self) -> list[list[int]]:
        """The assignments each batch's audit entry lists, in the order recorded."""
        entries = AuditEntry.objects.filter(action="assignment.escalate").order_by("pk")
        return [[step[0] for step in entry.changes["steps"]] for entry in entries]

    def test_a_drain_takes_the_oldest_due_in_batches_of_neighbouring_ids(self):
        ids = [work.pk for work in self.works]  # ascending; due order is the reverse
        self.assertEqual(sweep(limit=12), 12)
        oldest = sorted(ids[-12:])  # the twelve due first: the highest ids
        chunks = [oldest[0:5], oldest[5:10], oldest[10:12]]
        self.assertEqual(self.batches(), [sorted(chunk, reverse=True) for chunk in chunks])  # each in due order
        self.assertEqual(sweep(limit=100), ROWS - 12)
        rest = sorted(ids[:-12])
        chunks += [rest[0:5], rest[5:10], rest[10:11]]
        self.assertEqual(self.batches(), [sorted(chunk, reverse=True) for chunk in chunks])
        self.assertEqual(sweep(limit=100), 0)

    def test_a_one_batch_sweep_takes_the_oldest_due_first(self):
        self.assertEqual(sweep(limit=BATCH_SIZE), BATCH_SIZE)
        self.assertEqual(self.batches(), [[work.pk for work in reversed(self.works[-BATCH_SIZE:])]])
