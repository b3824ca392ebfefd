"""Each step's due time is computed when the clock starts and read by the sweep (R3.3, R4.5; issue 12 "Speed").

Same frozen calendar as test_escalation: forwarded Fri 24/4/2026 15:00 with 16 working hours across a weekend and
the Hùng Kings holiday.
"""

import datetime as dt

from django.db import transaction
from django.test import SimpleTestCase

from ioc.assignments import services
from ioc.assignments.choices import UpdateKind
from ioc.assignments.models import Assignment, AssignmentUpdate
from ioc.assignments.services import StepSpec, assignment_escalate_due, escalation_sweep
from ioc.assignments.services._base import local_text
from ioc.assignments.tests.support import WorkCase, frozen, local
from ioc.assignments.tests.test_escalation import STEP_1, STEP_2, STEP_3

CHAIN = [StepSpec(0.8, "agency_officer"), StepSpec(1.0, "agency_head"), StepSpec(1.5, "ioc_leader", True)]


class EscalationPlanTest(WorkCase):
    def setUp(self) -> None:
        super().setUp()
        self.set_chain(CHAIN)
        with frozen(local(2026, 4, 24, 15, 0)):
            self.work = self.forward(working_hours=16)

    def set_chain(self, steps: list[StepSpec]) -> None:
        services.escalation_chain_set(actor=self.leader, process="test", category_code="", name="Mặc định", steps=steps)

    def run_at(self, moment: dt.datetime) -> int:
        with frozen(moment):
            return assignment_escalate_due(now=moment)

    def fired(self) -> int:
        return AssignmentUpdate.objects.filter(assignment=self.work, kind=UpdateKind.ESCALATE).count()

    def test_the_clock_start_stores_every_steps_due_time(self):
        plan = Assignment.objects.get(pk=self.work.pk).escalation_due
        self.assertEqual(plan, [[0.8, STEP_1.isoformat()], [1.0, STEP_2.isoformat()], [1.5, STEP_3.isoformat()]])

    def test_the_sweep_reads_a_row_as_the_orm_does(self):
        # `_read` bypasses the ORM's converters: same values (aware moments, the plan decoded), on either database.
        Assignment.objects.filter(pk=self.work.pk).update(accept_deadline_at=STEP_1, accept_escalated_at=STEP_2)
        rows = Assignment.objects.filter(pk=self.work.pk)
        with transaction.atomic():
            (read,) = escalation_sweep._read(rows)
        expected = rows.values_list(*escalation_sweep._FIELDS).get()
        self.assertEqual(
            [getattr(read, name) for name in escalation_sweep.Claimed.__slots__[: len(expected)]], list(expected)
        )
        self.assertEqual((read.accept_deadline_at.utcoffset(), read.plan[0][1]), (dt.timedelta(0), STEP_1.isoformat()))

    def test_the_sweep_reads_the_stored_times(self):
        earlier = STEP_2 - dt.timedelta(hours=2)  # a stored time the calendar would not give: proves it is read
        plan = [[0.8, STEP_1.isoformat()], [1.0, earlier.isoformat()], [1.5, STEP_3.isoformat()]]
        Assignment.objects.filter(pk=self.work.pk).update(escalation_due=plan)
        self.assertEqual(self.run_at(STEP_1), 1)
        self.assertEqual(Assignment.objects.get(pk=self.work.pk).next_escalation_at, earlier)
        self.assertEqual(self.run_at(earlier), 1)

    def test_without_a_stored_plan_the_times_are_computed_as_before(self):
        Assignment.objects.filter(pk=self.work.pk).update(escalation_due=None)
        self.assertEqual(self.run_at(STEP_1), 1)
        self.assertEqual(Assignment.objects.get(pk=self.work.pk).next_escalation_at, STEP_2)
        self.assertEqual((self.run_at(STEP_2 - dt.timedelta(minutes=1)), self.run_at(STEP_2)), (0, 1))

    def test_a_step_edited_since_the_clock_started_is_computed_from_its_new_share(self):
        self.assertEqual(self.run_at(STEP_1), 1)
        self.set_chain([CHAIN[0], StepSpec(1.2, "agency_head"), CHAIN[2]])  # step 2 now at 120 %
        self.assertEqual(self.run_at(STEP_2), 0)  # the stored 100 % time no longer applies
        # 120 %: computed; then step 3 from its (unchanged) stored time: both due, one step to tier 3 (decision 0011)
        self.assertEqual(self.run_at(STEP_3), 1)
        self.assertEqual(self.fired(), 2)
        self.assertEqual(Assignment.objects.get(pk=self.work.pk).escalation_level, 3)


class LocalTextTest(SimpleTestCase):
    """The sweep reads a step's local time off its planned ISO text when that is in Vietnam's time: the same text
    as `local_text`, for every form the plans hold (seconds, microseconds, midnight, another offset, UTC)."""

    def test_it_agrees_with_local_text(self):
        moments = [
            local(2026, 4, 29, 10, 48),
            local(2026, 12, 31, 23, 59) + dt.timedelta(seconds=59, microseconds=344834),
            local(2027, 1, 1, 0, 0),
            dt.datetime(2026, 4, 29, 3, 48, tzinfo=dt.UTC),
            dt.datetime(2026, 4, 29, 20, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
        ]
        for moment in moments:
            with self.subTest(moment=moment.isoformat()):
                self.assertEqual(escalation_sweep._local_text(moment, moment.isoformat()), local_text(moment))
