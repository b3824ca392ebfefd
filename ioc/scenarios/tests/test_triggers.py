"""R4.6: each trigger type activates its scenario once (dedup of repeats); the activation opens an incident
recording the scenario version, its checklist per agency and each agency's assignment."""

from __future__ import annotations

from django.test import TestCase

from ioc.accounts.testing import system_actor
from ioc.assignments.models import Assignment
from ioc.incidents.choices import IncidentState
from ioc.incidents.models import Incident
from ioc.indicators.models import IndicatorWarning
from ioc.indicators.testing import sample_catalogue
from ioc.scenarios import services
from ioc.scenarios.models import Activation, ChecklistItem
from ioc.scenarios.tests.support import OTHER_COMMUNE, ScenarioMixin, point_in, unit


class AlertTriggerTests(ScenarioMixin, TestCase):
    def test_alert_in_the_watched_area_opens_an_incident_with_checklist_and_assignment(self) -> None:
        scenario = self.scenario()
        alert = self.raise_alert()
        activation = Activation.objects.get(scenario=scenario)
        incident = activation.incident
        self.assertEqual(activation.version.number, 1)
        self.assertEqual(activation.way, "trigger")
        self.assertEqual(incident.state, IncidentState.FORWARDED)
        self.assertEqual(incident.severity, 4)
        alert.refresh_from_db()
        self.assertEqual(alert.incident_id, incident.pk)
        items = list(ChecklistItem.objects.filter(activation=activation).values_list("text", flat=True))
        self.assertEqual(items, ["Sơ tán dân khỏi vùng ngập", "Lập danh sách hộ dân", "Bố trí điểm sơ tán"])
        part = Assignment.objects.get(process="incidents", subject_id=str(incident.pk))
        self.assertEqual(part.agency, self.agency_b)
        self.assertTrue(ChecklistItem.objects.filter(activation=activation, assignment=part).count() == 3)

    def test_alert_outside_the_area_or_below_the_severity_does_not_fire(self) -> None:
        self.scenario()
        self.raise_alert(dedup_key="far", point=point_in(OTHER_COMMUNE))
        self.raise_alert(dedup_key="low", severity=2)
        self.raise_alert(dedup_key="other-kind", kind="env.air_quality")
        self.assertFalse(Activation.objects.exists())

    def test_repeated_triggers_join_the_open_activation(self) -> None:
        scenario = self.scenario()
        first = self.raise_alert()
        self.raise_alert()  # the same alert again (its repeat)
        self.raise_alert(dedup_key="station-8:flood", severity=4)  # another alert, same area
        services.scenario_alert_hook(first.pk)  # a hook run twice
        self.assertEqual(Activation.objects.filter(scenario=scenario).count(), 1)
        self.assertEqual(Incident.objects.count(), 1)
        self.assertEqual(Activation.objects.get().trigger_count, 2)

    def test_the_sweep_catches_up_a_lost_hook(self) -> None:
        self.scenario()
        self.raise_alert(run_hooks=False)
        self.assertFalse(Activation.objects.exists())
        services.scenario_triggers_sweep()
        services.scenario_triggers_sweep()
        self.assertEqual(Activation.objects.count(), 1)

    def test_a_retired_scenario_does_not_fire(self) -> None:
        scenario = self.scenario()
        services.scenario_update(
            actor=self.admin, scenario=scenario, name=scenario.name, definition=scenario.definition, is_active=False
        )
        self.raise_alert()
        self.assertFalse(Activation.objects.exists())


class SurgeTriggerTests(ScenarioMixin, TestCase):
    def test_a_surge_of_citizen_reports_of_the_category_fires(self) -> None:
        surge = [{"type": "surge", "category": "ngap-ung", "min_count": 10}]
        scenario = self.scenario(triggers=surge)
        self.raise_alert(
            source="citizen_reports",
            dedup_key="surge:ngap-ung:small",
            kind="citizen_reports.surge",
            payload={"category": "ngap-ung", "count": 5},
        )
        self.assertFalse(Activation.objects.exists())
        self.raise_alert(
            source="citizen_reports",
            dedup_key="surge:ngap-ung:big",
            kind="citizen_reports.surge",
            payload={"category": "ngap-ung", "count": 14},
            point=None,
            unit=unit(),
        )
        activation = Activation.objects.get(scenario=scenario)
        self.assertEqual(activation.incident.kind, "env.flood_level")  # the scenario's kind, at the surge's commune
        self.assertEqual(activation.incident.unit, unit())


class IndicatorTriggerTests(ScenarioMixin, TestCase):
    def test_an_indicator_warning_fires_once(self) -> None:
        communes = [unit()]
        indicator = sample_catalogue(actor=system_actor(), agency=self.agency_a, communes=communes)
        IndicatorWarning.objects.create(
            indicator=indicator, unit=communes[0], period="2025", kind="not_met", dedup_key="k1", value=1, target=2
        )
        scenario = self.scenario(
            code="kinh-te",
            incident={"kind": "indicator.target_miss", "severity": 2, "title": "Chỉ tiêu không đạt"},
            triggers=[{"type": "indicator_warning", "indicator": indicator.code}],
            area=None,
        )
        self.assertEqual(services.scenario_triggers_sweep(), 1)
        self.assertEqual(services.scenario_triggers_sweep(), 0)
        activation = Activation.objects.get(scenario=scenario)
        self.assertEqual(activation.incident.kind, "indicator.target_miss")
        self.assertEqual(activation.hits.get().key, f"warning:{IndicatorWarning.objects.get().pk}")
