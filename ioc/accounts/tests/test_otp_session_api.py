"""R7.4: the API's session authentication refuses a staff session that has not passed the second factor."""

from django.test import TestCase

from ioc.accounts.testing import Personas

ME = "/api/v1/accounts/me/"


class OtpSessionApiTest(Personas, TestCase):
    def test_it_refuses_a_staff_session_without_the_second_factor(self):
        self.sign_in(self.client, self.operator, verified=False)
        response = self.client.get(ME)
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response.json()["error"]["code"], "not_authenticated")

    def test_it_accepts_a_verified_staff_session(self):
        self.sign_in(self.client, self.operator)
        self.assertEqual(self.client.get(ME).json()["username"], self.operator.username)

    def test_it_accepts_a_citizen_session_without_a_second_factor(self):
        self.sign_in(self.client, self.citizen)
        self.assertEqual(self.client.get(ME).status_code, 200)
