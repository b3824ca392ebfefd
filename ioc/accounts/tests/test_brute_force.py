"""R7.4: a brute-force run against the sign-in is stopped by the lockout (django-axes, shared through the database):
rotating the client address does not help, the right password is refused once locked, and nobody gets signed in."""

from django.conf import settings
from django.test import TestCase
from django.urls import reverse

from ioc.accounts.testing import Personas

GUESSES = [f"Matkhau{n:04d}!" for n in range(40)]


class BruteForceTest(Personas, TestCase):
    def attempt(self, username: str, password: str, address: str):
        return self.client.post(
            reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=address
        )

    def test_a_guessing_run_from_rotating_addresses_is_locked_out(self):
        statuses = []
        for n, guess in enumerate(GUESSES):
            statuses.append(self.attempt(self.operator.username, guess, f"203.0.113.{n % 20 + 1}").status_code)
        limit = settings.AXES_FAILURE_LIMIT
        self.assertEqual(statuses[: limit - 1], [200] * (limit - 1))  # a form error for each wrong guess
        self.assertEqual(set(statuses[limit:]), {429})
        # The right password, from a fresh address, mid-run: still refused.
        self.assertEqual(self.attempt(self.operator.username, self.password, "198.51.100.7").status_code, 429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_the_lockout_of_one_account_leaves_the_others_alone(self):
        for guess in GUESSES[:10]:
            self.attempt(self.operator.username, guess, "203.0.113.9")
        response = self.attempt(self.leader.username, self.password, "203.0.113.10")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.client.session["_auth_user_id"], str(self.leader.pk))
