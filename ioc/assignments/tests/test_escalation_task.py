"""R3.3, R4.5, issue 12: the every-minute task fires every due step, a backlog included, in one run (in batches of
their own transactions), not 100 a minute: 100,000 deadlines due at once were 1,000 minutes of sweeps."""

from __future__ import annotations

from ioc.assignments import services
from ioc.assignments.models import Assignment
from ioc.assignments.services import StepSpec
from ioc.assignments.tasks import escalate_due
from ioc.assignments.tests.support import WorkCase, batch_size_set, frozen, local

STEP_1 = local(2026, 4, 29, 10, 48)  # step 1 (80 % of 16 working hours) of work forwarded Fri 24/4/2026 15:00
ROWS, BATCH_SIZE = 130, 40


class EveryMinuteTaskTest(WorkCase):
    def test_one_run_drains_a_backlog_of_more_than_a_hundred_in_batches(self) -> None:
        services.escalation_chain_set(
            actor=self.leader, process="test", category_code="", name="M", steps=[StepSpec(0.8, "agency_officer")]
        )
        with frozen(local(2026, 4, 24, 15, 0)):
            for n in range(ROWS):
                self.forward(subject_id=f"s-{n}")
        batch_size_set(self, BATCH_SIZE)
        with frozen(STEP_1):
            self.assertEqual(escalate_due.call_local(), ROWS)
            self.assertEqual(escalate_due.call_local(), 0)
        self.assertEqual(set(Assignment.objects.values_list("escalation_level", flat=True)), {1})
