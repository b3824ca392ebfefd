"""Escalation on a frozen clock across a weekend and Vietnamese holidays; durable, never twice (R3.3, R4.5).

Forwarded Fri 24/4/2026 15:00 with 16 working hours (7:30–11:30, 13:30–17:00); 25–26/4 weekend, 27/4 Hùng
Kings (observed), 30/4 and 1/5 holidays, 2–3/5 weekend. Step 1 (80 %, 12.8 h) → Wed 29/4 10:48; step 2 (100 %)
→ Wed 29/4 16:00; step 3 (150 %, 24 h) → Mon 4/5 16:30.
"""

import datetime as dt

from ioc.accounts.choices import SYSTEM_USERNAME
from ioc.assignments import services
from ioc.assignments.choices import ESCALATION_LEASE_SECONDS, UpdateKind
from ioc.assignments.models import Assignment, AssignmentUpdate
from ioc.assignments.services import StepSpec, assignment_escalate_due, assignment_escalation_claim, escalation
from ioc.assignments.tests.escalation_audit import escalation_audit
from ioc.assignments.tests.support import WorkCase, frozen, local
from ioc.notifications.models import Outbox

STEP_1, STEP_2, STEP_3 = local(2026, 4, 29, 10, 48), local(2026, 4, 29, 16, 0), local(2026, 5, 4, 16, 30)
MINUTE = dt.timedelta(minutes=1)


class EscalationTest(WorkCase):
    def setUp(self) -> None:
        super().setUp()
        services.escalation_chain_set(
            actor=self.leader,
            process="test",
            category_code="",
            name="Mặc định",
            steps=[StepSpec(0.8, "agency_officer"), StepSpec(1.0, "agency_head"), StepSpec(1.5, "ioc_leader", True)],
        )
        with frozen(local(2026, 4, 24, 15, 0)):
            self.work = self.forward(working_hours=16)

    def escalations(self) -> list[str]:
        return list(
            AssignmentUpdate.objects.filter(assignment=self.work, kind=UpdateKind.ESCALATE).values_list(
                "text", flat=True
            )
        )

    def run_at(self, moment: dt.datetime) -> int:
        with frozen(moment):
            return assignment_escalate_due(now=moment)

    def test_it_schedules_the_first_step_at_eighty_percent(self):
        self.assertEqual(self.work.next_escalation_at, STEP_1)
        self.assertEqual(self.work.at_risk_at, STEP_1)

    def test_it_fires_each_step_at_its_time_and_never_twice(self):
        self.assertEqual(self.run_at(local(2026, 4, 27, 9, 0)), 0)  # the holiday Monday: nothing due yet
        self.assertEqual(self.run_at(STEP_1 - MINUTE), 0)
        self.assertEqual(self.run_at(STEP_1), 1)
        self.assertEqual(self.run_at(STEP_1), 0)
        self.assertEqual(self.run_at(STEP_1 + MINUTE), 0)
        self.assertEqual(self.run_at(STEP_2), 1)
        self.assertEqual(self.run_at(local(2026, 5, 1, 12, 0)), 0)  # holidays and the weekend do not count
        self.assertEqual(self.run_at(STEP_3 - MINUTE), 0)
        self.assertEqual(self.run_at(STEP_3), 1)
        self.assertEqual(self.run_at(local(2026, 6, 1, 9, 0)), 0)
        self.work.refresh_from_db()
        self.assertEqual((self.work.escalation_level, self.work.next_escalation_at), (3, None))
        self.assertEqual(len(self.escalations()), 3)
        recorded = escalation_audit(assignment_pk=self.work.pk)  # one batch entry per sweep, listing its step
        self.assertEqual([(s["tier"], s["batch"]) for s in recorded], [(1, True), (2, True), (3, True)])
        self.assertEqual({s["actor"] for s in recorded}, {SYSTEM_USERNAME})  # the sweeper

    def test_it_tells_each_steps_role(self):
        for moment in (STEP_1, STEP_2, STEP_3):
            self.run_at(moment)
        at_risk = Outbox.objects.filter(template="assignments.at_risk")
        overdue = Outbox.objects.filter(template="assignments.overdue").order_by("pk")
        self.assertEqual([row.recipient_user for row in at_risk], [self.officer_a])
        self.assertEqual([row.recipient_user for row in overdue], [self.head_a, self.leader])
        self.assertEqual([row.urgent for row in overdue], [False, True])
        self.assertIn("Ổ gà", overdue[1].subject)

    def test_it_catches_up_after_an_outage_in_one_step_naming_the_tiers_passed(self):
        # docs/decisions/0011: one step straight to the highest tier due, the tiers passed named and recorded.
        self.assertEqual(self.run_at(local(2026, 5, 5, 9, 0)), 1)
        self.assertEqual(self.run_at(local(2026, 5, 5, 9, 0)), 0)
        (text,) = self.escalations()
        self.assertTrue(text.startswith("Bước 3:"))
        self.assertIn("quá hạn, chuyển thẳng cấp 3, đã qua cấp 1, 2", text)
        self.work.refresh_from_db()
        self.assertEqual((self.work.escalation_level, self.work.next_escalation_at), (3, None))
        self.assertEqual(
            [(s["tier"], s["passed"]) for s in escalation_audit(assignment_pk=self.work.pk)], [(3, [1, 2])]
        )
        told = Outbox.objects.filter(template__in=["assignments.at_risk", "assignments.overdue"])
        self.assertEqual([(row.template, row.recipient_user) for row in told], [("assignments.overdue", self.leader)])

    def test_it_gives_a_second_concurrent_claimer_nothing(self):
        lease = assignment_escalation_claim(pk=self.work.pk, now=STEP_1)  # worker A holds the row
        self.assertIsNotNone(lease)
        self.assertIsNone(assignment_escalation_claim(pk=self.work.pk, now=STEP_1))
        self.assertEqual(self.run_at(STEP_1), 0)  # worker B
        self.assertEqual(self.escalations(), [])

    def test_it_reclaims_a_row_whose_worker_died_and_the_stale_worker_writes_nothing(self):
        lease = assignment_escalation_claim(pk=self.work.pk, now=STEP_1)
        assert lease is not None
        later = STEP_1 + dt.timedelta(seconds=ESCALATION_LEASE_SECONDS + 1)
        self.assertEqual(self.run_at(later), 1)  # the sweeper takes it after the lease expired
        self.assertEqual(escalation._escalate_claimed(self.work.pk, lease, STEP_1), 0)  # worker A wakes up late
        self.assertEqual(len(self.escalations()), 1)

    def test_it_stops_when_the_agency_resolves_and_restarts_when_reopened(self):
        self.run_at(STEP_1)
        with frozen(STEP_1 + MINUTE):
            services.assignment_accept(assignment=self.work, actor=self.officer_a)
            services.assignment_resolve(assignment=self.work, actor=self.officer_a, resolution="Đã vá")
        self.assertEqual(self.run_at(STEP_3), 0)
        with frozen(local(2026, 5, 4, 8, 0)):
            services.assignment_reopen(assignment=self.work, actor=self.operator, reason="Chưa đạt")
        self.assertEqual((self.work.escalation_level, self.work.next_escalation_at), (0, local(2026, 5, 5, 15, 18)))
        self.assertEqual(self.run_at(local(2026, 5, 5, 15, 18)), 1)

    def test_it_skips_closed_work(self):
        services.assignment_return(assignment=self.work, actor=self.officer_a, reason="Sai thẩm quyền")
        self.assertEqual(self.run_at(STEP_3), 0)
        # Even with a due time left behind, closed work is not a candidate.
        Assignment.objects.filter(pk=self.work.pk).update(next_escalation_at=STEP_1)
        self.assertEqual(self.run_at(STEP_3), 0)
        self.assertEqual(self.escalations(), [])

    def test_it_runs_as_a_periodic_task(self):
        from ioc.assignments.tasks import escalate_due

        with frozen(STEP_2):
            escalate_due.call_local()
        (text,) = self.escalations()  # steps 1 and 2 due at once: one step to tier 2 (docs/decisions/0011)
        self.assertIn("chuyển thẳng cấp 2, đã qua cấp 1", text)
