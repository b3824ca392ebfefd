"""R4.6: the scenario configuration page is listed in the "Quản trị" hub for the roles that may edit scenarios
(the administrator and the IOC leader), and not for the operator, who cannot open the hub."""

from __future__ import annotations

from django.test import TestCase
from django.urls import reverse

from ioc.accounts.testing import Personas, sign_in
from ioc.scenarios.urls import CONFIG_POLICY
from ioc.web.administration import SECTIONS

HUB = "/quan-tri/"


class ScenarioSectionTests(Personas, TestCase):
    def test_the_section_opens_the_scenarios_for_the_roles_that_edit_them(self) -> None:
        section = next(s for s in SECTIONS if s.url_name == "scenarios:index")
        self.assertEqual(section.url(), reverse("scenarios:index"))
        self.assertEqual(set(section.roles), set(CONFIG_POLICY.roles))

    def test_the_administrator_and_the_leader_see_it_on_the_hub(self) -> None:
        for person in (self.admin, self.leader):
            with self.subTest(person=person.username):
                sign_in(self.client, person)
                response = self.client.get(HUB)
                self.assertContains(response, f'href="{reverse("scenarios:index")}"')
                self.assertContains(response, "Kịch bản điều hành")

    def test_the_operator_does_not_reach_the_hub(self) -> None:
        sign_in(self.client, self.operator)
        self.assertEqual(self.client.get(HUB).status_code, 403)
