"""The set-based escalation sweep (R3.3, R4.5; issue 12 "Speed"): a batch mixing processes (a handler told per row
and one told per batch), rows with several steps due in one sweep, a crash between the claim and the firing, and
one bad row among good ones. Same frozen clock as test_escalation: forwarded Fri 24/4/2026 15:00, 16 working
hours; step 1 (80 %) Wed 29/4 10:48, step 2 (100 %) Wed 16:00, step 3 (150 %) Mon 4/5 16:30.
"""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from ioc.accounts.choices import SYSTEM_USERNAME
from ioc.assignments import services
from ioc.assignments.choices import ESCALATION_LEASE_SECONDS, UpdateKind
from ioc.assignments.models import Assignment, AssignmentUpdate
from ioc.assignments.services import StepSpec, Transition, assignment_escalate_due, escalation_sweep
from ioc.assignments.tests.escalation_audit import escalation_audit
from ioc.assignments.tests.support import RecordingHandler, WorkCase, batch_size_set, frozen, local
from ioc.notifications.models import Outbox

STEP_1, STEP_2, STEP_3 = local(2026, 4, 29, 10, 48), local(2026, 4, 29, 16, 0), local(2026, 5, 4, 16, 30)
LEASE = dt.timedelta(seconds=ESCALATION_LEASE_SECONDS)
STEPS = [StepSpec(0.8, "agency_officer"), StepSpec(1.0, "agency_head"), StepSpec(1.5, "ioc_leader", True)]


class BatchHandler(RecordingHandler):
    """A handler that takes batches: records each batch's size and every transition."""

    def __init__(self) -> None:
        super().__init__()
        self.batches: list[int] = []

    def on_transitions(self, *, transitions: Sequence[Transition]) -> None:
        self.batches.append(len(transitions))
        for t in transitions:
            self.calls.append((str(t.kind), t.actor, t.text))


class FailingHandler(RecordingHandler):
    """Refuses the transitions of one subject (raising refuses the whole transition)."""

    def __init__(self, bad_subject: str) -> None:
        super().__init__()
        self.bad_subject = bad_subject

    def on_transition(self, *, assignment: Assignment, kind: str, actor: Any, text: str) -> None:
        if assignment.subject_id == self.bad_subject:
            raise RuntimeError("the subject's app refuses")
        super().on_transition(assignment=assignment, kind=kind, actor=actor, text=text)


def sweep(moment: dt.datetime, limit: int = 100) -> int:
    with frozen(moment):
        return assignment_escalate_due(now=moment, limit=limit)


class BatchSweepTest(WorkCase):
    def setUp(self) -> None:
        super().setUp()
        self.batch_handler = BatchHandler()
        services.register_subject_handler("batchy", self.batch_handler)
        self.addCleanup(services.unregister_subject_handler, "batchy")
        for process in ("test", "batchy"):
            services.escalation_chain_set(actor=self.leader, process=process, category_code="", name="M", steps=STEPS)
        with frozen(local(2026, 4, 24, 15, 0)):
            self.works = [
                self.forward(process=process, subject_id=f"{process}-{n}")
                for n in range(3)
                for process in ("test", "batchy")
            ]

    def escalations(self, work: Assignment) -> list[str]:
        rows = AssignmentUpdate.objects.filter(assignment=work, kind=UpdateKind.ESCALATE).order_by("pk")
        return list(rows.values_list("text", flat=True))

    def test_a_batch_mixing_processes_tells_each_handler_its_own_rows_once(self):
        self.assertEqual(sweep(STEP_1), 6)
        self.assertEqual(self.handler.kinds[3:], [str(UpdateKind.ESCALATE)] * 3)  # per row (no batch method)
        self.assertEqual(self.batch_handler.batches, [3])  # one call for its three rows
        for work in self.works:
            self.assertEqual([t.split(":")[0] for t in self.escalations(work)], ["Bước 1"])
            update = AssignmentUpdate.objects.get(assignment=work, kind=UpdateKind.ESCALATE)
            self.assertEqual(  # listed once, by the batch's entry, with its subject
                escalation_audit(assignment_pk=work.pk),
                [
                    {
                        "assignment": work.pk,
                        "process": work.process,
                        "subject": work.subject_id,
                        "tier": 1,
                        "role": "agency_officer",
                        "due": STEP_1.isoformat(),
                        "update": update.pk,
                        "passed": [],
                        "actor": SYSTEM_USERNAME,
                        "batch": True,
                    }
                ],
            )
        # The officer is told of the six in one digest (docs/decisions/0011), naming them all.
        (digest,) = Outbox.objects.filter(event="assignment.escalate")
        self.assertEqual((digest.template, digest.recipient_user), ("assignments.escalated_digest", self.officer_a))
        self.assertEqual(digest.context["count"], 6)
        titles = digest.context["titles"]  # "<subject> (<agency>): <the step's text>", one per item
        self.assertEqual(len(titles), 6)
        self.assertTrue(all(t.startswith(f"{self.works[0].subject_label} (") and "Bước 1" in t for t in titles))
        self.assertEqual(sweep(STEP_1), 0)

    def test_rows_with_several_steps_due_catch_up_in_one_step_each(self):
        # docs/decisions/0011: three tiers due at once are one step to tier 3 per row, naming tiers 1 and 2.
        self.assertEqual(sweep(local(2026, 5, 5, 9, 0)), 6)
        self.assertEqual(sweep(local(2026, 5, 5, 9, 0)), 0)
        for work in self.works:
            (text,) = self.escalations(work)
            self.assertTrue(text.startswith("Bước 3:") and text.endswith("đã qua cấp 1, 2"))
            work.refresh_from_db()
            self.assertEqual(
                (work.escalation_level, work.next_escalation_at, work.escalation_lease_until), (3, None, None)
            )
        self.assertEqual({tuple(s["passed"]) for s in escalation_audit()}, {(1, 2)})
        (digest,) = Outbox.objects.filter(event="assignment.escalate")  # the leader, told of the six at once
        self.assertEqual((digest.recipient_user, digest.context["count"], digest.urgent), (self.leader, 6, True))

    def test_small_batches_and_a_limit_take_every_row_once(self):
        batch_size_set(self, 4)
        self.assertEqual(sweep(STEP_2, limit=5), 5)  # five rows claimed (4 + 1), one step each (tier 2, passing 1)
        self.assertEqual(sweep(STEP_2, limit=5), 1)  # the sixth
        self.assertEqual(sweep(STEP_2), 0)
        self.assertEqual(sorted(len(self.escalations(w)) for w in self.works), [1] * 6)
        self.assertEqual(set(Assignment.objects.values_list("escalation_level", flat=True)), {2})

    def test_a_crash_between_claim_and_fire_leaves_rows_that_are_retaken_once(self):
        lease, pks = escalation_sweep.escalation_claim_batch(now=STEP_1, limit=100)  # then the worker dies
        self.assertEqual(sorted(pks), sorted(w.pk for w in self.works))
        self.assertEqual(sweep(STEP_1 + dt.timedelta(minutes=1)), 0)  # held by the dead worker's lease
        self.assertEqual(AssignmentUpdate.objects.filter(kind=UpdateKind.ESCALATE).count(), 0)
        after = STEP_1 + LEASE + dt.timedelta(seconds=1)
        self.assertEqual(sweep(after), 6)  # the lease expired: the rows are taken again
        # The dead worker wakes up with its old lease: it writes nothing.
        self.assertEqual(escalation_sweep.escalate_claimed_batch(pks, lease, STEP_1, escalation_sweep.Sweep()), 0)
        self.assertEqual(sweep(after), 0)
        for work in self.works:
            self.assertEqual(len(self.escalations(work)), 1)
            self.assertEqual([s["tier"] for s in escalation_audit(assignment_pk=work.pk)], [1])
        (digest,) = Outbox.objects.filter(event="assignment.escalate")  # the officer, told of the six at once
        self.assertEqual((digest.recipient_user, digest.context["count"]), (self.officer_a, 6))

    def test_one_bad_row_does_not_hold_back_the_others(self):
        failing = FailingHandler(bad_subject="test-1")
        services.register_subject_handler("test", failing)
        self.assertEqual(sweep(STEP_1), 5)
        bad = next(w for w in self.works if w.subject_id == "test-1")
        self.assertEqual(self.escalations(bad), [])
        self.assertEqual(escalation_audit(assignment_pk=bad.pk), [])
        # The failed batch was retried row by row: each good row's step has an entry of its own (decision 0009).
        recorded = escalation_audit()
        self.assertEqual(sorted(s["assignment"] for s in recorded), sorted(w.pk for w in self.works if w != bad))
        self.assertEqual({(s["tier"], s["batch"]) for s in recorded}, {(1, False)})
        bad.refresh_from_db()
        self.assertEqual((bad.escalation_level, bad.next_escalation_at), (0, STEP_1))  # still due, lease held
        self.assertIsNotNone(bad.escalation_lease_until)
        services.register_subject_handler("test", self.handler)  # the subject's app recovers
        self.assertEqual(sweep(STEP_1 + LEASE + dt.timedelta(seconds=1)), 1)
        self.assertEqual(len(self.escalations(bad)), 1)
