"""Issue 16 part 5, R7.4: guessing API bearer tokens from one address — 401 for each wrong token up to the limit
(`api.token_fail.addr` in ioc.common.ratelimit), then 429 with Retry-After; other addresses and the next window
are not affected. The clock is frozen (patched), never slept on."""

from __future__ import annotations

from typing import Any
from unittest import mock

from django.core.cache import cache
from django.test import TestCase, override_settings

from ioc.accounts.testing import Personas

T0 = 1_800_000_000.0
URL = "/api/v1/accounts/me/"


def at(moment: float) -> Any:
    return mock.patch("ioc.common.ratelimit.time.time", return_value=moment)


@override_settings(RATE_LIMITS={"api.token_fail.addr": (10, 600)})
class TokenGuessingTest(Personas, TestCase):
    def setUp(self) -> None:
        super().setUp()
        cache.clear()

    def call(self, token: str, address: str = "203.0.113.5"):  # type: ignore[no-untyped-def]
        return self.client.get(URL, HTTP_AUTHORIZATION=f"Bearer {token}", REMOTE_ADDR=address)

    def test_a_guessing_run_gets_429_after_the_limit_and_recovers_next_window(self) -> None:
        with at(T0):
            statuses = [self.call(f"ioc_guess{n:03d}_secret").status_code for n in range(15)]
            self.assertEqual(statuses[:10], [401] * 10)
            self.assertEqual(set(statuses[10:]), {429})
            throttled = self.call("ioc_guess999_secret")
            self.assertEqual(throttled.status_code, 429)
            self.assertGreaterEqual(int(throttled["Retry-After"]), 1)
            self.assertEqual(self.call("ioc_other_secret", address="198.51.100.7").status_code, 401)
            self.assertEqual(self.call(self.system_token).status_code, 200)  # a real token is never refused
        with at(T0 + 600):
            self.assertEqual(self.call("ioc_guess000_secret").status_code, 401)
