"""The shared personas are created through the services and have the roles their names say."""

from django.test import TestCase

from ioc.accounts.choices import Role
from ioc.accounts.models import AccountRequest
from ioc.accounts.testing import Personas


class PersonasTest(Personas, TestCase):
    def test_it_gives_each_persona_its_role(self):
        self.assertEqual(self.admin.role_codes, {Role.SYSTEM_ADMIN})
        self.assertEqual(self.operator.role_codes, {Role.IOC_OPERATOR})
        self.assertEqual(self.leader.role_codes, {Role.IOC_LEADER})
        self.assertEqual(self.officer_a.role_codes, {Role.AGENCY_OFFICER})
        self.assertEqual(self.officer_b.agency, self.agency_b)
        self.assertEqual(self.citizen.role_codes, {Role.CITIZEN})
        self.assertEqual(self.system_user.role_codes, {Role.INFORMATION_SYSTEM})
        self.assertEqual(self.screen_user.role_codes, {Role.DISPLAY_SCREEN})
        self.assertEqual(self.system.service_user, self.system_user)

    def test_it_backs_every_change_with_an_applied_request(self):
        self.assertFalse(AccountRequest.objects.exclude(status="applied").exists())
        self.assertTrue(self.system_token.startswith("ioc_"))
