"""Forwarding: deadline in the agency's working hours, chain lookup, notification, refusals (R3.3, R4.2)."""

from django.core.exceptions import PermissionDenied, ValidationError

from ioc.agencies.models import Agency
from ioc.assignments.choices import AssignmentStatus, UpdateKind
from ioc.assignments.models import Assignment, AssignmentUpdate, EscalationChain
from ioc.assignments.services import StepSpec, escalation_chain_set
from ioc.assignments.tests.support import WorkCase, frozen, local
from ioc.audit.models import AuditEntry
from ioc.notifications.models import Outbox


class ForwardTest(WorkCase):
    def test_it_counts_the_deadline_in_working_hours_across_a_weekend_and_holidays(self):
        # Fri 24/4 15:00 + 16 working hours: 2 h on Friday; 25–26 weekend, 27/4 (Hùng Kings, observed) off;
        # Tue 28 7.5 h; Wed 29 6.5 h → 16:00. 80 % (12.8 h) falls on Wed 29 at 10:48.
        with frozen(local(2026, 4, 24, 15, 0)):
            work = self.forward(working_hours=16)
        self.assertEqual(work.deadline_at, local(2026, 4, 29, 16, 0))
        self.assertEqual(work.at_risk_at, local(2026, 4, 29, 10, 48))
        self.assertEqual(work.forwarded_at, local(2026, 4, 24, 15, 0))
        self.assertEqual(work.started_at, work.forwarded_at)
        self.assertEqual(work.status, AssignmentStatus.FORWARDED)

    def test_it_counts_plain_hours_for_an_agency_that_works_around_the_clock(self):
        police = Agency.objects.create(code="assign-police", name="Công an tỉnh", works_24x7=True)
        with frozen(local(2026, 4, 30, 22, 0)):
            work = self.forward(agency=police, working_hours=4)
        self.assertEqual(work.deadline_at, local(2026, 5, 1, 2, 0))

    def test_it_writes_the_timeline_the_audit_entry_and_calls_the_handler(self):
        work = self.forward()
        update = AssignmentUpdate.objects.get(assignment=work)
        self.assertEqual(
            (update.kind, update.actor, update.text), (UpdateKind.FORWARD, self.operator, "Kiểm tra và xử lý")
        )
        self.assertTrue(AuditEntry.objects.filter(action="assignment.forward", object_id=str(work.pk)).exists())
        self.assertEqual(self.handler.kinds, [UpdateKind.FORWARD])

    def test_it_notifies_the_officers_of_the_agency_only(self):
        with frozen(local(2026, 4, 24, 15, 0)):
            work = self.forward()
        rows = Outbox.objects.filter(template="assignments.new_work")
        self.assertEqual({row.recipient_user for row in rows}, {self.officer_a})
        self.assertIn("Ổ gà", rows[0].subject)
        self.assertIn(f"/xu-ly/{work.pk}/", rows[0].body)
        self.assertIn("16:00 29/04/2026", rows[0].body)

    def test_it_takes_the_category_chain_before_the_process_default(self):
        default = escalation_chain_set(
            actor=self.leader, process="test", category_code="", name="Mặc định", steps=[StepSpec(1.0, "agency_head")]
        )
        road = escalation_chain_set(
            actor=self.leader,
            process="test",
            category_code="road",
            name="Đường",
            steps=[StepSpec(0.5, "agency_officer")],
        )
        self.assertEqual(self.forward(subject_id="1", category_code="road").escalation_chain, road)
        self.assertEqual(self.forward(subject_id="2", category_code="tree").escalation_chain, default)

    def test_it_has_no_escalation_without_a_chain(self):
        EscalationChain.objects.filter(process="test").delete()
        work = self.forward()
        self.assertIsNone(work.escalation_chain)
        self.assertIsNone(work.next_escalation_at)

    def test_it_refuses_an_actor_who_is_not_ioc_and_writes_nothing(self):
        for actor in (self.officer_a, self.citizen):
            with self.assertRaises(PermissionDenied):
                self.forward(actor=actor)
        self.assertFalse(Assignment.objects.exists())
        self.assertFalse(Outbox.objects.filter(template="assignments.new_work").exists())

    def test_it_refuses_bad_input_naming_the_field(self):
        cases = {
            "working_hours": {"working_hours": 0},
            "instructions": {"instructions": "<script>alert(1)</script>"},
            "subject_id": {"subject_id": ""},
            "subject_label": {"subject_label": "x" * 201},
        }
        for field, override in cases.items():
            with self.subTest(field=field), self.assertRaises(ValidationError) as caught:
                self.forward(**override)
            self.assertIn(field, caught.exception.message_dict)
        self.assertFalse(Assignment.objects.exists())

    def test_it_refuses_an_inactive_agency(self):
        Agency.objects.filter(pk=self.agency_b.pk).update(is_active=False)
        self.agency_b.refresh_from_db()
        with self.assertRaises(ValidationError) as caught:
            self.forward(agency=self.agency_b)
        self.assertIn("agency", caught.exception.message_dict)

    def test_it_refuses_to_forward_the_same_subject_twice_to_an_agency_holding_it(self):
        self.forward()
        with self.assertRaises(ValidationError) as caught:
            self.forward()
        self.assertIn("agency", caught.exception.message_dict)
        self.forward(agency=self.agency_b)  # another agency's part of the same subject is fine
        self.assertEqual(Assignment.objects.count(), 2)
