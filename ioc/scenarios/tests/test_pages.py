"""R4.4, R4.6, R5.2: the scenario pages (list, editor with validation and dry run, the leader's activation), the
command view (its data, its actions and refusals) and the warning pages, as the personas the policies admit."""

from __future__ import annotations

import json

from django.test import TestCase
from django.urls import reverse

from ioc.audit.models import AuditEntry
from ioc.scenarios import selectors, services
from ioc.scenarios.models import Activation, PublicWarning, Resource, Scenario
from ioc.scenarios.tests.support import ScenarioMixin, flood_definition, territory


class ScenarioPagesTests(ScenarioMixin, TestCase):
    def form(self, definition: object, **extra: str) -> dict[str, str]:
        return {
            "code": "moi",
            "name": "Kịch bản mới",
            "group": "",
            "description": "",
            "definition": json.dumps(definition),
            **extra,
        }

    def test_the_admin_creates_a_scenario_and_bad_input_names_the_place(self) -> None:
        self.sign_in(self.client, self.admin)
        bad = flood_definition("khong-co")
        response = self.client.post(reverse("scenarios:new"), self.form(bad))
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "steps[0].agency", status_code=400)
        self.assertFalse(Scenario.objects.exists())
        response = self.client.post(reverse("scenarios:new"), self.form(flood_definition(self.agency_b.code)))
        scenario = Scenario.objects.get(code="moi")
        self.assertRedirects(response, reverse("scenarios:detail", args=[scenario.pk]))
        self.assertTrue(AuditEntry.objects.filter(action="scenario.create", actor=self.admin).exists())
        response = self.client.post(reverse("scenarios:new"), self.form("{not json"), follow=False)
        self.assertEqual(response.status_code, 400)

    def test_the_dry_run_shows_when_it_would_have_fired_and_saves_nothing(self) -> None:
        self.raise_alert(run_hooks=False)
        self.sign_in(self.client, self.admin)
        response = self.client.post(
            reverse("scenarios:new"), self.form(flood_definition(self.agency_b.code), dry_run="1")
        )
        self.assertContains(response, 'id="dry-run"')
        self.assertContains(response, "Mực nước trạm 7")
        self.assertFalse(Scenario.objects.exists())

    def test_an_operator_may_not_edit_and_an_agency_may_not_look(self) -> None:
        self.sign_in(self.client, self.operator)
        self.assertEqual(self.client.get(reverse("scenarios:new")).status_code, 403)
        self.assertEqual(self.client.get(reverse("scenarios:index")).status_code, 200)
        self.sign_in(self.client, self.officer_b)
        self.assertEqual(self.client.get(reverse("scenarios:index")).status_code, 403)

    def test_the_leader_activates_from_the_page_and_directs_in_the_command_view(self) -> None:
        scenario = self.scenario()
        self.sign_in(self.client, self.leader)
        response = self.client.post(reverse("scenarios:activate", args=[scenario.pk]), {"reason": ""})
        self.assertEqual(response.status_code, 400)
        response = self.client.post(reverse("scenarios:activate", args=[scenario.pk]), {"reason": "Mưa lớn"})
        activation = Activation.objects.get()
        self.assertRedirects(response, reverse("scenarios:command", args=[activation.pk]))
        page = self.client.get(reverse("scenarios:command", args=[activation.pk]))
        self.assertContains(page, "Sơ tán dân khỏi vùng ngập")
        self.assertContains(page, f'data-progress="{self.agency_b.code}">0/3')
        action = reverse("scenarios:command_action", args=[activation.pk, "resource"])
        bad = self.client.post(action, {"unit_name": "Đội 1", "kind": "Xuồng", "count": "0", "status": "standby"})
        self.assertEqual(bad.status_code, 400)
        self.client.post(action, {"unit_name": "Đội 1", "kind": "Xuồng", "count": "3", "status": "deployed"})
        self.assertEqual(Resource.objects.get().count, 3)
        item = activation.checklist.first()
        assert item is not None
        self.client.post(
            reverse("scenarios:command_action", args=[activation.pk, "checklist"]), {"item": item.pk, "done": "1"}
        )
        self.client.post(
            reverse("scenarios:command_action", args=[activation.pk, "decision"]),
            {"text": "Huy động thêm lực lượng", "is_decision": "1"},
        )
        view = selectors.command_view(activation=activation)
        self.assertEqual((view.progress[0].done, len(view.progress[0].items)), (1, 3))
        self.assertEqual(view.decisions[0].text, "Huy động thêm lực lượng")
        self.assertTrue(any("Huy động thêm lực lượng" in line.text for line in view.timeline))
        self.assertIsNotNone(view.area)

    def test_the_command_view_reads_in_a_fixed_number_of_queries(self) -> None:
        activation = services.scenario_activate(scenario=self.scenario(), actor=self.leader, reason="x")
        with self.assertNumQueries(6):
            selectors.command_view(activation=activation)


class WarningPagesTests(ScenarioMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        territory()

    def test_an_invalid_polygon_is_a_form_error_and_nothing_is_written(self) -> None:
        self.sign_in(self.client, self.operator)
        data = {
            "event": "Ngập",
            "category": "Met",
            "severity": "3",
            "urgency": "Expected",
            "certainty": "Likely",
            "headline_vi": "Ngập",
            "description_vi": "Nước dâng",
            "instruction_vi": "Tránh xa",
            "area_desc": "Ven sông",
            "area_geojson": json.dumps(
                {"type": "Polygon", "coordinates": [[[106, 20], [106.1, 20.1], [106.1, 20], [106, 20.1], [106, 20]]]}
            ),
            "unit_codes": "",
            "onset": "2030-01-01 08:00",
            "expires": "2030-01-01 20:00",
        }
        response = self.client.post(reverse("scenarios:warnings"), data)
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, 'data-error-for="area_geojson"', status_code=400)
        self.assertFalse(PublicWarning.objects.exists())
        self.assertEqual(self.client.get(reverse("scenarios:warnings")).status_code, 200)
