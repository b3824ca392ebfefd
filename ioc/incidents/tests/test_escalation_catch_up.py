"""docs/decisions/0011 (issue 12 "Speed"): a sweep that finds an incident's part due at several tiers takes one step
to the highest, naming on the timeline what it passed; a recipient told of several items in one sweep gets one
digest naming them, of one item today's message; a crash mid-sweep leaves no half-written step.

Same clock as test_escalation: agency B, forwarded Fri 24/4/2026 15:00 with 5 working hours; the acceptance (1
working hour) runs out Fri 16:00; tier 1 (IOC leader) Tue 28/4 10:30, tier 2 Tue 15:00, tier 3 Wed 29/4 8:00."""

from __future__ import annotations

from typing import Any
from unittest import mock

from django.test import TestCase

from ioc.assignments import services as assignment_services
from ioc.assignments.choices import UpdateKind
from ioc.assignments.models import Assignment, AssignmentUpdate
from ioc.assignments.services import StepSpec, escalation_sweep
from ioc.audit.models import AuditEntry
from ioc.incidents import services
from ioc.incidents.models import Incident, IncidentEvent
from ioc.incidents.tests.support import COMMUNE, OTHER_COMMUNE, IncidentsMixin
from ioc.incidents.tests.test_escalation import DEFAULT, frozen, local, sweep
from ioc.notifications.models import Outbox

FORWARDED, ACCEPT_DUE = local(2026, 4, 24, 15, 0), local(2026, 4, 24, 16, 0)
TIER_3 = local(2026, 4, 29, 8, 0)


class WorkerDies(BaseException):
    """Stands for the worker being killed mid-batch: nothing in the sweep catches it."""


class CatchUpTest(IncidentsMixin, TestCase):
    def setUp(self) -> None:
        assignment_services.escalation_chain_set(
            actor=self.leader,
            process="incidents",
            category_code="",
            name=DEFAULT.NAME,
            steps=[StepSpec(share, role, urgent) for _order, share, role, urgent in DEFAULT.STEPS],
        )

    def forward(self, commune: str = COMMUNE, title: str = "Ngập sâu đường Lê Lợi") -> tuple[Incident, Any]:
        with frozen(FORWARDED):
            incident = self.open_incident(commune=commune, title=title)
            part = services.incident_forward(
                incident=incident, agencies=[self.agency_b], actor=self.operator, working_hours=5
            )[0]
        return incident, part

    def escalations(self) -> list[str]:
        return list(AssignmentUpdate.objects.filter(kind=UpdateKind.ESCALATE).values_list("text", flat=True))

    def test_a_catch_up_over_three_tiers_is_one_step_naming_what_it_passed(self) -> None:
        incident, part = self.forward()
        self.assertEqual(sweep(TIER_3), 1)  # the sweeper was down from Friday: one step, to tier 3
        self.assertEqual(sweep(TIER_3), 0)
        (text,) = self.escalations()
        self.assertTrue(text.startswith("Bước 3: đã dùng 200% thời hạn (lúc 08:00 29/04/2026)"), text)
        self.assertTrue(
            text.endswith("; quá hạn, chuyển thẳng cấp 3, đã qua hạn tiếp nhận (16:00 24/04/2026), cấp 1, 2")
        )
        line = IncidentEvent.objects.get(incident=incident, kind="assignment", text__contains="Bước")
        self.assertEqual(line.text, f"{self.agency_b.name}: {UpdateKind.ESCALATE.label} — {text}")
        part.refresh_from_db()
        self.assertEqual((part.escalation_level, part.accept_escalated_at, part.next_escalation_at), (3, TIER_3, None))
        (entry,) = AuditEntry.objects.filter(action="assignment.escalate")
        step = dict(zip(entry.changes["columns"], entry.changes["steps"][0], strict=True))
        self.assertEqual((step["tier"], step["role"], step["passed"]), (3, "province_leader", ["accept", 1, 2]))

    def test_two_items_to_one_leader_in_one_sweep_are_one_digest_naming_both(self) -> None:
        self.forward(title="Ngập sâu đường Lê Lợi")
        self.forward(commune=OTHER_COMMUNE, title="Ngập sâu đường Nguyễn Văn Linh")
        self.assertEqual(sweep(ACCEPT_DUE), 2)  # both missed their acceptance: tier 1's IOC leader is told
        (digest,) = Outbox.objects.filter(event="assignment.escalate")
        self.assertEqual((digest.recipient_user, digest.template), (self.leader, "assignments.escalated_digest"))
        self.assertIsNotNone(digest.delivery_id)
        self.assertEqual(digest.subject, "[IOC] 2 việc được báo lên cấp trên")
        for title in ("Ngập sâu đường Lê Lợi", "Ngập sâu đường Nguyễn Văn Linh"):
            self.assertIn(f" {title} ({self.agency_b.name}): Chưa tiếp nhận", digest.body)  # after its code
        self.assertEqual(digest.body.count("\n- SC-"), 2)
        self.assertIn("Xem tất cả: /xu-ly/?escalated=1", digest.body)
        self.assertEqual(sweep(ACCEPT_DUE), 0)
        self.assertEqual(Outbox.objects.filter(event="assignment.escalate").count(), 1)

    def test_one_item_in_a_sweep_reads_as_before(self) -> None:
        _incident, part = self.forward()
        self.assertEqual(sweep(ACCEPT_DUE), 1)
        update = AssignmentUpdate.objects.get(kind=UpdateKind.ESCALATE)
        (message,) = Outbox.objects.filter(event="assignment.escalate")
        self.assertEqual(
            (message.recipient_user, message.template, message.dedup_key),
            (self.leader, "assignments.not_accepted", f"assignment:{part.pk}:update:{update.pk}"),
        )
        self.assertIn("Ngập sâu đường Lê Lợi", message.subject)

    def test_a_crash_mid_sweep_leaves_no_half_written_step(self) -> None:
        incident, part = self.forward()
        written: list[tuple[int, int]] = []

        def dies(*_args: Any) -> None:  # the worker is killed once the timeline rows and lines are in
            lines = IncidentEvent.objects.filter(incident=incident, text__contains="Bước").count()
            written.append((len(self.escalations()), lines))
            raise WorkerDies

        with mock.patch.object(escalation_sweep, "_notify", dies), self.assertRaises(WorkerDies):
            sweep(TIER_3)
        self.assertEqual(written, [(1, 1)])  # it died after writing the step's timeline row and incident line
        self.assertEqual(self.escalations(), [])  # … all rolled back with the batch
        self.assertFalse(IncidentEvent.objects.filter(incident=incident, text__contains="Bước").exists())
        self.assertFalse(Outbox.objects.filter(event="assignment.escalate").exists())
        self.assertFalse(AuditEntry.objects.filter(action="assignment.escalate").exists())
        row = Assignment.objects.get(pk=part.pk)
        self.assertEqual((row.escalation_level, row.accept_escalated_at, row.escalation_lease_until), (0, None, None))
        self.assertEqual(sweep(TIER_3), 1)  # the next worker takes it at once, whole
        self.assertEqual(len(self.escalations()), 1)
        self.assertEqual(IncidentEvent.objects.filter(incident=incident, text__contains="Bước").count(), 1)
