"""R4.2, R5.3 (004:6.4): violations verified by the IOC — confirmed (a time-bound one forwarded to the agency,
escalated when late, handled when its result is confirmed) or dismissed with a reason; an immediate one is in
the incidents inbox at once, once per agency, rule and day."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.utils import timezone

from ioc.accounts.testing import Personas
from ioc.assignments.models import Assignment, EscalationChain
from ioc.assignments.services import (
    StepSpec,
    assignment_accept,
    assignment_confirm,
    assignment_escalate_due,
    assignment_resolve,
    escalation_chain_set,
)
from ioc.audit.models import AuditEntry
from ioc.dossiers.models import Violation
from ioc.dossiers.services import dossier_event_receive, violation_confirm, violation_dismiss
from ioc.dossiers.tests.helpers import event, local, procedure_create, receipt
from ioc.incidents.models import Alert


class VerifyTests(Personas, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        procedure_create(cls.admin)

    def receive(self, *rows: dict[str, object]) -> None:
        summary = dossier_event_receive(agency=self.agency_a, rows=list(rows), actor=self.system_user)
        self.assertEqual(summary["rejected"], 0, summary)

    def skipped(self, code: str) -> Violation:
        self.receive(
            receipt(code, local("2026-03-02", 8)),
            event(code, "step_done", local("2026-03-02", 9), f"{code}-1", step="tiep-nhan"),
            event(code, "step_done", local("2026-03-02", 10), f"{code}-2", step="phe-duyet"),
        )
        return Violation.objects.get(dossier__code=code, rule="step_skipped")

    def test_confirm_forwards_a_time_bound_violation_and_escalation_follows(self):
        escalation_chain_set(
            actor=self.leader,
            process="dossiers",
            category_code="",
            name="Vi phạm hồ sơ",
            steps=[StepSpec(0.5, "agency_head"), StepSpec(1.0, "ioc_leader", True)],
        )
        violation = violation_confirm(violation=self.skipped("V-1"), actor=self.operator)
        self.assertEqual(violation.state, "confirmed")
        work = Assignment.objects.get(pk=violation.assignment_id)
        self.assertEqual((work.process, work.subject_id, work.agency), ("dossiers", str(violation.pk), self.agency_a))
        self.assertIsNotNone(work.deadline_at)
        fired = assignment_escalate_due(now=work.deadline_at + dt.timedelta(minutes=1))
        self.assertGreaterEqual(fired, 1)
        work.refresh_from_db()
        self.assertGreaterEqual(work.escalation_level, 1)
        self.assertTrue(AuditEntry.objects.filter(action="violation.confirm", actor=self.operator).exists())

    def test_the_default_chain_escalates_to_the_agency_head_first(self):
        chain = EscalationChain.objects.get(process="dossiers", category_code="")  # migration 0003
        self.assertEqual([s.role for s in chain.steps.order_by("order")], ["agency_head", "ioc_leader",
                                                                           "province_leader"])  # fmt: skip
        violation = violation_confirm(violation=self.skipped("V-9"), actor=self.operator)
        work = Assignment.objects.get(pk=violation.assignment_id)
        self.assertGreaterEqual(assignment_escalate_due(now=work.deadline_at + dt.timedelta(minutes=1)), 1)
        work.refresh_from_db()
        self.assertEqual(work.escalation_level, 1)

    def test_the_agency_answers_and_the_violation_is_handled(self):
        violation = violation_confirm(violation=self.skipped("V-2"), actor=self.operator)
        work = Assignment.objects.get(pk=violation.assignment_id)
        work = assignment_accept(assignment=work, actor=self.officer_a)
        work = assignment_resolve(assignment=work, actor=self.officer_a, resolution="Đã giải trình, chấn chỉnh")
        assignment_confirm(assignment=work, actor=self.operator)
        violation.refresh_from_db()
        self.assertEqual(violation.state, "handled")

    def test_dismiss_needs_a_reason_and_writes_nothing_without(self):
        violation = self.skipped("V-3")
        with self.assertRaises(ValidationError) as caught:
            violation_dismiss(violation=violation, reason="  ", actor=self.operator)
        self.assertIn("reason", caught.exception.message_dict)
        violation.refresh_from_db()
        self.assertEqual(violation.state, "open")
        reason = "Bước thẩm định gộp theo quy trình"
        violation = violation_dismiss(violation=violation, reason=reason, actor=self.leader)
        self.assertEqual((violation.state, violation.verified_by), ("dismissed", self.leader))
        with self.assertRaises(ValidationError):
            violation_confirm(violation=violation, actor=self.operator)

    def test_only_ioc_staff_verify(self):
        violation = self.skipped("V-4")
        for person in (self.officer_a, self.citizen):
            with self.assertRaises(PermissionDenied):
                violation_confirm(violation=violation, actor=person)
        violation.refresh_from_db()
        self.assertEqual(violation.state, "open")
        self.assertFalse(Assignment.objects.filter(process="dossiers").exists())

    def test_an_immediate_violation_is_in_the_incidents_inbox_once_per_agency_rule_and_day(self):
        moment = local("2026-03-02", 9)
        for code in ("V-5", "V-6"):
            self.receive(receipt(code, local("2026-03-02", 8)), event(code, "refusal", moment, f"{code}-x"))
        alert = Alert.objects.get(source="dossiers")
        self.assertEqual(alert.kind, "dossiers.refusal_without_reason")
        self.assertEqual(alert.dedup_key, f"{self.agency_a.code}:refusal_without_reason:2026-03-02")
        self.assertEqual(alert.count, 2)
        self.assertEqual(Violation.objects.filter(rule="refusal_without_reason", state="open").count(), 2)
        # Confirming an immediate one forwards nothing: its handling is the inbox's.
        first = Violation.objects.filter(rule="refusal_without_reason")[0]
        violation = violation_confirm(violation=first, actor=self.operator)
        self.assertIsNone(violation.assignment_id)

    def test_every_immediate_rule_has_an_alert_kind(self):
        from ioc.dossiers.rules import RULES, alert_kind
        from ioc.incidents.choices import KINDS

        for rule in RULES:
            if rule.handling == "immediate":
                self.assertIn(alert_kind(rule.code), KINDS)
        self.assertTrue(timezone.now())
