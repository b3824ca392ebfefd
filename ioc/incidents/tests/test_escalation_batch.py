"""R4.5 (issue 12 "Speed"): the escalation sweep tells the incidents' handler of a whole batch at once; each
incident's timeline gets exactly the line a one-by-one call writes (who, when, text, which part), in order.

Three incidents, each forwarded Fri 24/4/2026 15:00 to agency B with 5 working hours: the accept deadline (Fri
16:00) and tier 1 (Tue 28/4 10:30) both fall due in one sweep on Tue 28/4 10:30 (one step each, passing the
acceptance: docs/decisions/0011)."""

from __future__ import annotations

import datetime as dt
import importlib

from django.test import TestCase

from ioc.accounts.selectors import system_account
from ioc.assignments import services as assignment_services
from ioc.assignments.choices import UpdateKind
from ioc.assignments.models import AssignmentUpdate
from ioc.assignments.services import StepSpec, Transition
from ioc.incidents import services
from ioc.incidents.handlers import HANDLER
from ioc.incidents.models import IncidentEvent
from ioc.incidents.tests.support import OTHER_COMMUNE, IncidentsMixin
from ioc.incidents.tests.test_escalation import frozen, local, sweep

DEFAULT = importlib.import_module("ioc.incidents.migrations.0002_default_incidents_chain")


class BatchFollowTest(IncidentsMixin, TestCase):
    def setUp(self) -> None:
        assignment_services.escalation_chain_set(
            actor=self.leader,
            process="incidents",
            category_code="",
            name=DEFAULT.NAME,
            steps=[StepSpec(share, role, urgent) for _order, share, role, urgent in DEFAULT.STEPS],
        )

    def test_one_sweep_writes_each_incidents_lines_as_one_by_one_would(self) -> None:
        with frozen(local(2026, 4, 24, 15, 0)):
            incidents = [self.open_incident(kind=kind) for kind in ("env.flood_level", "env.air_quality")]
            incidents.append(self.open_incident(commune=OTHER_COMMUNE))
            parts = [
                services.incident_forward(incident=i, agencies=[self.agency_b], actor=self.operator, working_hours=5)[0]
                for i in incidents
            ]
        moment = local(2026, 4, 28, 10, 30)
        # Tier 1, passing the missed acceptance on the way, one step for each of the three (docs/decisions/0011)
        self.assertEqual(sweep(moment), 3)
        for incident, part in zip(incidents, parts, strict=True):
            updates = AssignmentUpdate.objects.filter(assignment=part, kind=UpdateKind.ESCALATE).order_by("pk")
            expected = [f"{self.agency_b.name}: {UpdateKind.ESCALATE.label} — {u.text}" for u in updates]
            lines = IncidentEvent.objects.filter(incident=incident, kind="assignment", assignment=part)
            lines = lines.exclude(text__contains=str(UpdateKind.FORWARD.label)).order_by("at", "pk")
            self.assertEqual([line.text for line in lines], expected)
            self.assertEqual({(line.actor, line.at) for line in lines}, {(system_account(), moment)})
            self.assertIn("chuyển thẳng cấp 1, đã qua hạn tiếp nhận (", expected[0])

    def test_a_settling_move_in_a_batch_goes_one_by_one(self) -> None:
        with frozen(local(2026, 4, 24, 15, 0)):
            incident = self.open_incident()
            part = services.incident_forward(
                incident=incident, agencies=[self.agency_b], actor=self.operator, working_hours=5
            )[0]
        before = IncidentEvent.objects.filter(incident=incident).count()
        moment = local(2026, 4, 24, 16, 0) + dt.timedelta(minutes=1)
        with frozen(moment):
            HANDLER.on_transitions(
                transitions=[
                    Transition(part, UpdateKind.PROGRESS, self.officer_b, "Đang xử lý"),
                    Transition(part, UpdateKind.FORWARD, self.operator, "bỏ qua"),  # recorded by incident_forward
                ]
            )
        lines = IncidentEvent.objects.filter(incident=incident).order_by("pk")[before:]
        self.assertEqual(
            [line.text for line in lines], [f"{self.agency_b.name}: {UpdateKind.PROGRESS.label} — Đang xử lý"]
        )
