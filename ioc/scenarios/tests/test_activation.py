"""R4.6: activation by the IOC leader (reason, refusals, already active), the immediate process dispatching 24/7
forces, chained scenarios, and versions recorded on each activation."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase

from ioc.assignments.models import Assignment
from ioc.audit.models import AuditEntry
from ioc.incidents.choices import IncidentState
from ioc.incidents.models import Incident
from ioc.scenarios import services
from ioc.scenarios.models import Activation, ChecklistItem
from ioc.scenarios.tests.support import ScenarioMixin


class LeaderActivationTests(ScenarioMixin, TestCase):
    def test_the_leader_activates_with_a_reason(self) -> None:
        scenario = self.scenario()
        activation = services.scenario_activate(scenario=scenario, actor=self.leader, reason="Mưa lớn kéo dài")
        self.assertEqual(activation.way, "leader")
        self.assertEqual(activation.incident.state, IncidentState.FORWARDED)
        self.assertEqual(getattr(activation.incident.unit, "code", None), scenario.definition["area"]["unit"])
        self.assertTrue(AuditEntry.objects.filter(action="scenario.activate", actor=self.leader).exists())

    def test_refusals_write_nothing(self) -> None:
        scenario = self.scenario()
        with self.assertRaises(PermissionDenied):
            services.scenario_activate(scenario=scenario, actor=self.operator, reason="x")
        with self.assertRaises(ValidationError) as caught:
            services.scenario_activate(scenario=scenario, actor=self.leader, reason="  ")
        self.assertIn("reason", caught.exception.message_dict)
        self.assertFalse(Incident.objects.exists())
        self.assertFalse(Activation.objects.exists())

    def test_an_active_scenario_is_not_activated_twice(self) -> None:
        scenario = self.scenario()
        services.scenario_activate(scenario=scenario, actor=self.leader, reason="Lần 1")
        with self.assertRaises(ValidationError) as caught:
            services.scenario_activate(scenario=scenario, actor=self.leader, reason="Lần 2")
        self.assertIn("scenario", caught.exception.message_dict)
        self.assertEqual(Incident.objects.count(), 1)

    def test_each_activation_records_its_version(self) -> None:
        scenario = self.scenario()
        first = services.scenario_activate(scenario=scenario, actor=self.leader, reason="Lần 1")
        services.scenario_update(
            actor=self.leader, scenario=scenario, name="Tên mới", definition={**scenario.definition, "message": "v2"}
        )
        first.refresh_from_db()
        self.assertEqual(first.version.number, 1)
        self.assertEqual(scenario.versions.count(), 2)


class ImmediateAndChainTests(ScenarioMixin, TestCase):
    def fire_definition(self) -> dict[str, object]:
        return {
            "incident": {"kind": "fire", "severity": 5, "title": "Cháy khu dân cư"},
            "process": "immediate",
            "triggers": [{"type": "alert", "kind": "fire", "min_severity": 4}],
            "area": None,
            "steps": [{"agency": self.agency_a.code, "title": "Chữa cháy", "deadline_hours": 0.25, "checklist": []}],
        }

    def test_the_immediate_process_dispatches_the_forces(self) -> None:
        scenario = services.scenario_create(
            actor=self.admin, code="chay", name="Cháy", definition=self.fire_definition()
        )
        activation = services.scenario_activate(scenario=scenario, actor=self.leader, reason="Cháy chợ")
        self.assertEqual(activation.incident.state, IncidentState.DISPATCHED)
        part = Assignment.objects.get(subject_id=str(activation.incident.pk))
        self.assertEqual(part.agency, self.agency_a)
        self.assertEqual(ChecklistItem.objects.filter(activation=activation).count(), 1)

    def test_an_immediate_scenario_refuses_an_agency_not_on_duty_round_the_clock(self) -> None:
        definition = self.fire_definition()
        definition["steps"] = [{"agency": self.agency_b.code, "title": "x", "deadline_hours": 1}]
        with self.assertRaises(ValidationError) as caught:
            services.scenario_create(actor=self.admin, code="chay", name="Cháy", definition=definition)
        self.assertIn("steps[0].agency", caught.exception.message_dict)

    def test_a_scenario_activates_the_scenarios_it_names(self) -> None:
        child = services.scenario_create(actor=self.admin, code="chay", name="Cháy", definition=self.fire_definition())
        parent = self.scenario(activates=["chay"])
        activation = services.scenario_activate(scenario=parent, actor=self.leader, reason="Bão lớn")
        chained = Activation.objects.get(scenario=child)
        self.assertEqual(chained.parent, activation)
        self.assertEqual(chained.way, "chained")
        self.assertEqual(Incident.objects.count(), 2)
