"""R4.6 "Bad input": a scenario naming an unknown kind, agency, indicator or unit, a cycle of scenarios activating
each other, a refused persona: a clear error naming the place, and nothing written."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase

from ioc.scenarios import services
from ioc.scenarios.models import Scenario, ScenarioVersion
from ioc.scenarios.tests.support import ScenarioMixin, flood_definition


class ScenarioConfigTests(ScenarioMixin, TestCase):
    def refused(self, definition: dict[str, Any], code: str = "x") -> dict[str, list[str]]:
        before = (Scenario.objects.count(), ScenarioVersion.objects.count())
        with self.assertRaises(ValidationError) as caught:
            services.scenario_create(actor=self.admin, code=code, name="X", definition=definition)
        self.assertEqual((Scenario.objects.count(), ScenarioVersion.objects.count()), before)
        return caught.exception.message_dict

    def test_unknown_kind_agency_indicator_and_unit_are_named(self) -> None:
        base = flood_definition(self.agency_b.code)
        errors = self.refused(
            {
                **base,
                "incident": {"kind": "volcano", "severity": 4, "title": "x"},
                "triggers": [
                    {"type": "alert", "kind": "meteor", "min_severity": 3},
                    {"type": "indicator_warning", "indicator": "khong-co"},
                    {"type": "telepathy"},
                ],
                "steps": [{"agency": "khong-co", "title": "x", "deadline_hours": 2}],
                "area": {"type": "unit", "unit": "99999"},
            }
        )
        for place in (
            "incident.kind",
            "triggers[0].kind",
            "triggers[1].indicator",
            "triggers[2].type",
            "steps[0].agency",
            "area",
        ):
            self.assertIn(place, errors)

    def test_a_polygon_that_is_not_valid_is_refused(self) -> None:
        bowtie = {"type": "Polygon", "coordinates": [[[106, 20], [106.1, 20.1], [106.1, 20], [106, 20.1], [106, 20]]]}
        errors = self.refused({**flood_definition(self.agency_b.code), "area": {"type": "polygon", "geojson": bowtie}})
        self.assertIn("area", errors)

    def test_a_cycle_of_scenarios_is_refused(self) -> None:
        services.scenario_create(actor=self.admin, code="a", name="A", definition=flood_definition(self.agency_b.code))
        b = services.scenario_create(
            actor=self.admin, code="b", name="B", definition=flood_definition(self.agency_b.code, activates=["a"])
        )
        a = Scenario.objects.get(code="a")
        with self.assertRaises(ValidationError) as caught:
            services.scenario_update(
                actor=self.admin,
                scenario=a,
                name="A",
                definition=flood_definition(self.agency_b.code, activates=["b"]),
            )
        self.assertIn("a → b → a", caught.exception.message_dict["activates"][0])
        a.refresh_from_db()
        self.assertEqual((a.version, a.definition["activates"]), (1, []))
        self.assertEqual(b.version, 1)
        errors = self.refused(flood_definition(self.agency_b.code, activates=["c"]), code="c")
        self.assertIn("activates", errors)

    def test_only_administrators_and_the_ioc_leader_configure(self) -> None:
        with self.assertRaises(PermissionDenied):
            services.scenario_create(
                actor=self.operator, code="x", name="X", definition=flood_definition(self.agency_b.code)
            )
        self.assertFalse(Scenario.objects.exists())

    def test_a_bad_code_is_refused(self) -> None:
        errors = self.refused(flood_definition(self.agency_b.code), code="Có Dấu")
        self.assertIn("code", errors)
