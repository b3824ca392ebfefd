"""R4.5 (issue 12 "Speed"): the escalation sweep writes the incidents' timeline lines set-wise (`on_staged`, one
INSERT … SELECT from the sweep's staged steps), with no batch falling back to row by row, each line as a one-by-one
call writes it; a move that settles the incident is never staged. Same clock as test_escalation_batch: forwarded
Fri 24/4/2026 15:00 to agency B with 5 working hours; the accept deadline and tier 1 both due Tue 28/4 10:30: one
step each (docs/decisions/0011)."""

from __future__ import annotations

import importlib

from django.test import TestCase

from ioc.accounts.selectors import system_account
from ioc.assignments import services as assignment_services
from ioc.assignments.choices import UpdateKind
from ioc.assignments.models import AssignmentUpdate
from ioc.assignments.services import StagedTransitions, StepSpec
from ioc.incidents import services
from ioc.incidents.choices import PROCESS
from ioc.incidents.models import IncidentEvent
from ioc.incidents.tests.support import IncidentsMixin
from ioc.incidents.tests.test_escalation import frozen, local, sweep

DEFAULT = importlib.import_module("ioc.incidents.migrations.0002_default_incidents_chain")


class StagedFollowTest(IncidentsMixin, TestCase):
    def setUp(self) -> None:
        assignment_services.escalation_chain_set(
            actor=self.leader,
            process="incidents",
            category_code="",
            name=DEFAULT.NAME,
            steps=[StepSpec(share, role, urgent) for _order, share, role, urgent in DEFAULT.STEPS],
        )

    def test_the_sweep_writes_the_lines_set_wise_in_order(self) -> None:
        with frozen(local(2026, 4, 24, 15, 0)):
            incidents = [self.open_incident(kind=kind) for kind in ("env.flood_level", "env.air_quality")]
            parts = [
                services.incident_forward(incident=i, agencies=[self.agency_b], actor=self.operator, working_hours=5)[0]
                for i in incidents
            ]
        moment = local(2026, 4, 28, 10, 30)
        with self.assertNoLogs("ioc.assignments", level="WARNING"):  # no batch retried row by row
            self.assertEqual(sweep(moment), 2)  # the missed acceptance passed on the way to tier 1 (decision 0011)
        for incident, part in zip(incidents, parts, strict=True):
            updates = AssignmentUpdate.objects.filter(assignment=part, kind=UpdateKind.ESCALATE).order_by("pk")
            expected = [f"{self.agency_b.name}: {UpdateKind.ESCALATE.label} — {u.text}" for u in updates]
            lines = IncidentEvent.objects.filter(incident=incident, kind="assignment", assignment=part)
            lines = lines.exclude(text__contains=str(UpdateKind.FORWARD.label)).order_by("pk")
            self.assertEqual([line.text for line in lines], expected)
            self.assertEqual({(line.actor, line.at) for line in lines}, {(system_account(), moment)})

    def test_a_settling_move_is_refused_as_staged(self) -> None:
        staged = StagedTransitions("escalation_steps", UpdateKind.RESOLVE, system_account(), local(2026, 4, 28, 9, 0))
        with self.assertRaises(ValueError):
            services.incident_follow_staged(staged=staged, process=PROCESS)
