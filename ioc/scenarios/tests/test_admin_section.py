"""R4.6: the scenario configuration page is listed in the "Quản trị" hub (`ioc.web.administration.SECTIONS`) for
the roles that may edit scenarios (the administrator and the IOC leader), and not for the operator, who cannot
open the hub. Read through the hub page (a feature app's tests import no `ioc.web` module)."""

from __future__ import annotations

from django.test import TestCase
from django.urls import reverse

from ioc.accounts.testing import Personas, sign_in
from ioc.common.roles import Role
from ioc.scenarios.urls import CONFIG_POLICY

HUB = "/quan-tri/"


class ScenarioSectionTests(Personas, TestCase):
    def test_the_administrator_and_the_leader_see_it_on_the_hub(self) -> None:
        self.assertEqual(set(CONFIG_POLICY.roles), {Role.SYSTEM_ADMIN, Role.IOC_LEADER})
        for person in (self.admin, self.leader):
            with self.subTest(person=person.username):
                sign_in(self.client, person)
                response = self.client.get(HUB)
                self.assertContains(response, f'href="{reverse("scenarios:index")}"')
                self.assertContains(response, "vùng theo dõi vẽ trên bản đồ")  # the section's own description

    def test_the_operator_does_not_reach_the_hub(self) -> None:
        sign_in(self.client, self.operator)
        self.assertEqual(self.client.get(HUB).status_code, 403)
