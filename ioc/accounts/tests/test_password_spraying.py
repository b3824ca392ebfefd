"""R7.4, issue 16 part 5: password spraying — one address trying one password on many accounts. The axes lockout
counts per username (and username + address), so it never trips; the per-address sign-in limit
(`accounts.login.addr` in ioc.common.ratelimit) answers 429 past the limit, and the address recovers after the
window (a frozen clock, no sleeping)."""

from __future__ import annotations

from unittest import mock

from django.conf import settings
from django.core.cache import cache
from django.test import TestCase, override_settings
from django.urls import reverse

from ioc.accounts.testing import Personas
from ioc.common.ratelimit import DEFAULT_RATE_LIMITS

T0 = 1_800_000_000.0  # the start of a 600-second window


@override_settings(RATE_LIMITS={"accounts.login.addr": (20, 600)})
class PasswordSprayingTest(Personas, TestCase):
    def setUp(self) -> None:
        super().setUp()
        cache.clear()

    def attempt(self, username: str, password: str, address: str = "203.0.113.9", at: float = T0):  # type: ignore[no-untyped-def]
        with mock.patch("ioc.common.ratelimit.time.time", return_value=at):
            return self.client.post(
                reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=address
            )

    def test_spraying_many_accounts_from_one_address_gets_429_then_recovers(self) -> None:
        statuses = [self.attempt(f"khong-co-{n}", "Matkhau2025!").status_code for n in range(30)]
        self.assertLess(settings.AXES_FAILURE_LIMIT, 20)  # each username is tried once: axes alone never trips
        self.assertEqual(statuses[:20], [200] * 20)  # a form error for each wrong guess
        self.assertEqual(set(statuses[20:]), {429})
        refused = self.attempt(self.operator.username, self.password)
        self.assertEqual(refused.status_code, 429)
        self.assertEqual(refused["Retry-After"], "600")
        self.assertNotIn("_auth_user_id", self.client.session)
        # Another address is not affected; the sprayer's address recovers in the next window.
        self.assertEqual(self.attempt("khong-co-x", "Matkhau2025!", address="198.51.100.7").status_code, 200)
        later = self.attempt(self.operator.username, self.password, at=T0 + 600)
        self.assertEqual(later.status_code, 302)
        self.assertIn("_auth_user_id", self.client.session)

    def test_the_limits_are_on_by_default(self) -> None:
        self.assertEqual(DEFAULT_RATE_LIMITS["accounts.login.addr"], (60, 600))
        self.assertEqual(DEFAULT_RATE_LIMITS["api.token_fail.addr"], (30, 600))

    def test_the_sign_in_page_itself_is_not_counted(self) -> None:
        for _ in range(30):
            with mock.patch("ioc.common.ratelimit.time.time", return_value=T0):
                self.assertEqual(self.client.get(reverse("accounts:login")).status_code, 200)
        self.assertEqual(self.attempt(self.operator.username, self.password).status_code, 302)
