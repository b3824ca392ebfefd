"""R4.3: the accept deadline on a frozen clock across a weekend and a holiday; its breach escalates one tier of
the chain exactly once (durable, under the sweeper's lease), and the officer's one inbox shows it.

Forwarded Fri 24/4/2026 15:00, 16 working hours to resolve and 4 to accept (7:30–11:30, 13:30–17:00); 25–26/4
weekend, 27/4 Hùng Kings (observed). Accept deadline: Fri 2 h + Tue 28/4 7:30 + 2 h → Tue 28/4 9:30. The
chain's steps keep their times: step 1 (80 %) Wed 29/4 10:48, step 2 (100 %) Wed 16:00, step 3 (150 %) Mon 4/5
16:30.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.urls import reverse

from ioc.assignments import services
from ioc.assignments.choices import ESCALATION_LEASE_SECONDS, UpdateKind
from ioc.assignments.models import Assignment, AssignmentUpdate
from ioc.assignments.services import StepSpec, assignment_escalate_due, assignment_escalation_claim
from ioc.assignments.tests.support import WorkCase, frozen, local
from ioc.audit.models import AuditEntry
from ioc.notifications.models import Outbox

FORWARDED = local(2026, 4, 24, 15, 0)
ACCEPT_DUE = local(2026, 4, 28, 9, 30)
STEP_1, STEP_2, STEP_3 = local(2026, 4, 29, 10, 48), local(2026, 4, 29, 16, 0), local(2026, 5, 4, 16, 30)
MINUTE = dt.timedelta(minutes=1)


class AcceptDeadlineTest(WorkCase):
    def setUp(self) -> None:
        super().setUp()
        services.escalation_chain_set(
            actor=self.leader,
            process="test",
            category_code="",
            name="Mặc định",
            steps=[StepSpec(0.8, "agency_officer"), StepSpec(1.0, "agency_head"), StepSpec(1.5, "ioc_leader", True)],
        )
        with frozen(FORWARDED):
            self.work = self.forward(working_hours=16, accept_within=4)

    def run_at(self, moment: dt.datetime) -> int:
        with frozen(moment):
            return assignment_escalate_due(now=moment)

    def breaches(self) -> list[str]:
        rows = AssignmentUpdate.objects.filter(assignment=self.work, kind=UpdateKind.ESCALATE)
        return [text for text in rows.values_list("text", flat=True) if "tiếp nhận" in text]

    def test_it_counts_working_hours_across_the_weekend_and_the_holiday(self):
        self.assertEqual(self.work.accept_within_hours, 4.0)
        self.assertEqual(self.work.accept_deadline_at, ACCEPT_DUE)
        self.assertEqual(self.work.next_escalation_at, ACCEPT_DUE)  # before the first step (Wed 10:48)
        audit = AuditEntry.objects.get(action="assignment.forward", object_id=str(self.work.pk))
        self.assertEqual(audit.changes["accept_deadline_at"], ACCEPT_DUE.isoformat())

    def test_a_missed_acceptance_escalates_once_and_the_steps_keep_their_times(self):
        self.assertEqual(self.run_at(local(2026, 4, 27, 10, 0)), 0)  # the holiday Monday does not count
        self.assertEqual(self.run_at(ACCEPT_DUE - MINUTE), 0)
        self.assertEqual(self.run_at(ACCEPT_DUE), 1)
        self.assertEqual(self.run_at(ACCEPT_DUE), 0)
        self.assertEqual(self.run_at(ACCEPT_DUE + MINUTE), 0)
        self.work.refresh_from_db()
        self.assertEqual((self.work.accept_escalated_at, self.work.next_escalation_at), (ACCEPT_DUE, STEP_1))
        self.assertEqual(self.work.escalation_level, 0)
        told = Outbox.objects.filter(template="assignments.not_accepted")
        self.assertEqual([row.recipient_user for row in told], [self.officer_a])  # the chain's next tier
        for moment in (STEP_1, STEP_2, STEP_3):
            self.assertEqual(self.run_at(moment), 1)
        self.assertEqual(self.run_at(local(2026, 6, 1, 9, 0)), 0)
        self.assertEqual(len(self.breaches()), 1)
        self.assertIn("09:30 28/04/2026", self.breaches()[0])
        self.assertEqual(self.handler.kinds.count(str(UpdateKind.ESCALATE)), 4)

    def test_it_catches_up_after_an_outage_in_one_step_naming_the_breach_and_the_tiers(self):
        # docs/decisions/0011: the missed acceptance and tiers 1–2 are passed on the way to tier 3, in one step.
        self.assertEqual(self.run_at(local(2026, 5, 5, 9, 0)), 1)
        self.assertEqual(self.run_at(local(2026, 5, 5, 9, 0)), 0)
        (breach,) = self.breaches()
        self.assertIn("đã qua hạn tiếp nhận (09:30 28/04/2026), cấp 1, 2", breach)
        self.work.refresh_from_db()
        self.assertEqual((self.work.escalation_level, self.work.accept_escalated_at), (3, local(2026, 5, 5, 9, 0)))

    def test_work_accepted_in_time_never_breaches(self):
        with frozen(ACCEPT_DUE - MINUTE):
            services.assignment_accept(assignment=self.work, actor=self.officer_a)
        self.assertEqual(self.run_at(ACCEPT_DUE), 0)
        self.work.refresh_from_db()
        self.assertEqual((self.work.accept_escalated_at, self.work.next_escalation_at), (None, STEP_1))
        self.assertEqual(self.run_at(STEP_1), 1)
        self.assertEqual(self.breaches(), [])
        self.assertFalse(Outbox.objects.filter(template="assignments.not_accepted").exists())

    def test_returned_work_never_breaches(self):
        with frozen(ACCEPT_DUE - MINUTE):
            services.assignment_return(assignment=self.work, actor=self.officer_a, reason="Không đúng thẩm quyền")
        self.assertEqual(self.run_at(local(2026, 5, 5, 9, 0)), 0)
        self.assertEqual(self.breaches(), [])

    def test_a_held_lease_keeps_a_second_worker_out_until_it_expires(self):
        lease = assignment_escalation_claim(pk=self.work.pk, now=ACCEPT_DUE)  # a worker that then dies
        self.assertIsNotNone(lease)
        self.assertEqual(self.run_at(ACCEPT_DUE + MINUTE), 0)
        after = ACCEPT_DUE + dt.timedelta(seconds=ESCALATION_LEASE_SECONDS + 1)
        self.assertEqual(self.run_at(after), 1)
        self.assertEqual(self.run_at(after), 0)
        self.assertEqual(len(self.breaches()), 1)

    def test_without_a_chain_the_operators_are_told(self):
        with frozen(FORWARDED):
            other = self.forward(process="other", subject_id="S-2", working_hours=8, accept_within=1)
        self.assertIsNone(other.escalation_chain_id)
        self.assertEqual(other.accept_deadline_at, local(2026, 4, 24, 16, 0))
        self.assertEqual(self.run_at(local(2026, 4, 24, 16, 0)), 1)
        told = Outbox.objects.filter(template="assignments.not_accepted")
        self.assertEqual({row.recipient_user for row in told}, {self.operator})
        other.refresh_from_db()
        self.assertIsNone(other.next_escalation_at)

    def test_the_inbox_and_the_detail_show_the_accept_deadline(self):
        self.sign_in(self.client, self.officer_a)
        with frozen(ACCEPT_DUE + MINUTE):
            self.run_at(ACCEPT_DUE)
            inbox = self.client.get(reverse("assignments:inbox")).content.decode()
            detail = self.client.get(reverse("assignments:detail", args=[self.work.pk])).content.decode()
        for html in (inbox, detail):
            self.assertIn("data-accept-deadline", html)
            self.assertIn("09:30 28/04/2026", html)
            self.assertIn("Quá hạn tiếp nhận", html)

    def test_the_api_gives_the_accept_deadline(self):
        self.sign_in(self.client, self.officer_a)
        with frozen(ACCEPT_DUE + MINUTE):
            self.run_at(ACCEPT_DUE)
            body = self.client.get(reverse("assignments_api:list")).json()["results"][0]
        self.assertEqual(dt.datetime.fromisoformat(body["accept_deadline_at"]), ACCEPT_DUE)
        self.assertEqual(dt.datetime.fromisoformat(body["accept_escalated_at"]), ACCEPT_DUE)


class AcceptDeadlineInputTest(WorkCase):
    def test_it_refuses_a_bad_time_to_accept_and_writes_nothing(self):
        for value in (0, -1, 17, True, "2"):
            before = (Assignment.objects.count(), AuditEntry.objects.count(), Outbox.objects.count())
            with self.subTest(value=value), self.assertRaises(ValidationError) as caught:
                self.forward(working_hours=16, accept_within=value)
            self.assertIn("accept_within", caught.exception.message_dict)
            after = (Assignment.objects.count(), AuditEntry.objects.count(), Outbox.objects.count())
            self.assertEqual(before, after)

    def test_without_a_time_to_accept_nothing_changes(self):
        with frozen(FORWARDED):
            work = self.forward(working_hours=16)
        self.assertIsNone(work.accept_deadline_at)
        self.assertIsNone(work.accept_within_hours)
