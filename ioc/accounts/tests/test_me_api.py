"""R7.1: `GET /api/v1/accounts/me/` tells an account who it is, its roles, agency and scope."""

from django.test import TestCase

from ioc.accounts.testing import SYSTEM_SCOPES, Personas

ME = "/api/v1/accounts/me/"


class MeApiTest(Personas, TestCase):
    def test_it_describes_an_officer(self):
        self.sign_in(self.client, self.officer_a)
        body = self.client.get(ME).json()
        self.assertEqual(body["username"], self.officer_a.username)
        self.assertEqual(body["roles"], ["agency_officer"])
        self.assertEqual(body["agency"], {"code": self.agency_a.code, "name": self.agency_a.name})
        self.assertEqual(body["scope"], {"everything": False, "agencies": [self.agency_a.code], "units": []})
        self.assertEqual(body["token_scopes"], [])

    def test_it_describes_an_information_system_by_its_token(self):
        body = self.client.get(ME, HTTP_AUTHORIZATION=f"Bearer {self.system_token}").json()
        self.assertEqual(body["roles"], ["information_system"])
        self.assertEqual(body["token_scopes"], SYSTEM_SCOPES)

    def test_it_says_an_operator_sees_everything(self):
        self.sign_in(self.client, self.operator)
        body = self.client.get(ME).json()
        self.assertTrue(body["scope"]["everything"])
        self.assertIsNone(body["agency"])
