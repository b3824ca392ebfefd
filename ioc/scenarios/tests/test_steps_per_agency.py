"""R4.6: several steps of one agency are several assignments — one per step, each with its own deadline and its own
checklist — in the time-bound and the immediate process; the command view shows each step's part; closing the
incident settles every part; the assignments service still refuses a second open part outside a scenario."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.test import TestCase

from ioc.assignments import services as assignment_services
from ioc.assignments.models import Assignment
from ioc.incidents import services as incident_services
from ioc.incidents.choices import PROCESS
from ioc.scenarios import selectors, services
from ioc.scenarios.models import Activation, ChecklistItem
from ioc.scenarios.tests.support import ScenarioMixin


def _step(agency: str, title: str, hours: float, *checklist: str) -> dict[str, Any]:
    return {"agency": agency, "title": title, "deadline_hours": hours, "checklist": list(checklist)}


class StepsPerAgencyTests(ScenarioMixin, TestCase):
    def activate(self, steps: list[dict[str, Any]], **overrides: Any) -> Activation:
        scenario = self.scenario(steps=steps, **overrides)
        return services.scenario_activate(scenario=scenario, actor=self.leader, reason="Mưa lớn kéo dài")

    def parts(self, activation: Activation) -> list[Assignment]:
        qs = Assignment.objects.filter(process=PROCESS, subject_id=str(activation.incident_id))
        return list(qs.order_by("pk"))

    def test_two_steps_of_one_agency_are_two_assignments_with_their_own_deadlines(self) -> None:
        b = self.agency_b.code
        activation = self.activate(
            [_step(b, "Sơ tán dân", 4, "Lập danh sách"), _step(b, "Khắc phục hậu quả", 16, "Vệ sinh", "Báo cáo")]
        )
        first, second = self.parts(activation)
        self.assertEqual((first.agency, second.agency), (self.agency_b, self.agency_b))
        self.assertEqual((first.working_hours, second.working_hours), (4.0, 16.0))
        self.assertLess(first.deadline_at, second.deadline_at)
        self.assertIn("Sơ tán dân", first.instructions)
        self.assertIn("Khắc phục hậu quả", second.instructions)
        self.assertNotIn("Sơ tán dân", second.instructions)
        by_step = {
            step: set(
                ChecklistItem.objects.filter(activation=activation, step=step).values_list("assignment", flat=True)
            )
            for step in (0, 1)
        }
        self.assertEqual(by_step, {0: {first.pk}, 1: {second.pk}})
        self.assertEqual(ChecklistItem.objects.filter(assignment=second).count(), 3)  # its title and two items

    def test_steps_of_two_agencies_and_a_repeat_keep_their_order(self) -> None:
        a, b = self.agency_a.code, self.agency_b.code
        activation = self.activate([_step(b, "Một", 2), _step(a, "Hai", 3), _step(b, "Ba", 5)])
        parts = self.parts(activation)
        self.assertEqual([p.agency.code for p in parts], [b, a, b])
        self.assertEqual([p.working_hours for p in parts], [2.0, 3.0, 5.0])
        view = selectors.command_view(activation=activation)
        self.assertEqual(
            {step: part.pk for step, part in view.assignments.items()}, {i: p.pk for i, p in enumerate(parts)}
        )

    def test_the_immediate_process_dispatches_one_part_per_step(self) -> None:
        a = self.agency_a.code
        definition = {
            "incident": {"kind": "fire", "severity": 5, "title": "Cháy khu dân cư"},
            "process": "immediate",
            "triggers": [],
            "area": None,
            "steps": [_step(a, "Chữa cháy", 0.25, "Có mặt"), _step(a, "Cứu nạn", 1, "Tìm người mắc kẹt")],
        }
        scenario = services.scenario_create(actor=self.admin, code="chay", name="Cháy", definition=definition)
        activation = services.scenario_activate(scenario=scenario, actor=self.leader, reason="Cháy chợ")
        first, second = self.parts(activation)
        self.assertEqual((first.agency, second.agency), (self.agency_a, self.agency_a))
        self.assertEqual(round((first.deadline_at - first.forwarded_at).total_seconds() / 60), 15)
        self.assertEqual(round((second.deadline_at - second.forwarded_at).total_seconds() / 60), 60)

    def test_closing_the_incident_settles_every_part(self) -> None:
        b = self.agency_b.code
        activation = self.activate([_step(b, "Một", 2), _step(b, "Hai", 3)])
        incident = activation.incident
        incident_services.incident_cancel(incident=incident, actor=self.operator, reason="Báo nhầm")
        self.assertEqual({p.status for p in self.parts(activation)}, {"cancelled"})

    def test_outside_a_scenario_an_agency_still_holds_one_open_part(self) -> None:
        activation = self.activate([_step(self.agency_b.code, "Một", 2)])
        with self.assertRaises(ValidationError) as caught:
            assignment_services.assignment_forward(
                process=PROCESS,
                subject_id=str(activation.incident_id),
                subject_label="x",
                category_code="env.flood_level",
                agency=self.agency_b,
                working_hours=2,
                actor=self.operator,
            )
        self.assertIn("agency", caught.exception.message_dict)
        self.assertEqual(len(self.parts(activation)), 1)
