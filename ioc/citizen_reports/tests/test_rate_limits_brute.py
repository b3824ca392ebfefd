"""Issue 16 part 5, R7.4: brute-force runs against the rate-limited citizen endpoints (ioc.common.ratelimit) —
the public report form and Open311 POST (good and bad keys) — answer 429 with Retry-After once past the limit,
write nothing more, and recover in the next window. The clock is frozen (patched), never slept on."""

from __future__ import annotations

from typing import Any
from unittest import mock

from django.test import TestCase, override_settings

from ioc.citizen_reports.models import Report
from ioc.citizen_reports.tests.test_open311_support import Open311Mixin
from ioc.citizen_reports.tests.test_public_support import PublicPagesMixin

T0 = 1_800_000_000.0  # the start of a 600-second window (and of a 60-second one)


def at(moment: float) -> Any:
    return mock.patch("ioc.common.ratelimit.time.time", return_value=moment)


@override_settings(RATE_LIMITS={"public.report.addr": (5, 600)})
class PublicFormFloodTest(PublicPagesMixin, TestCase):
    def test_a_flood_of_reports_from_one_address_gets_429_and_recovers_next_window(self) -> None:
        with at(T0):
            statuses = [self.client.post("/phan-anh/gui/", self.form_data()).status_code for _ in range(12)]
        self.assertEqual(statuses[:5], [302] * 5)
        self.assertEqual(set(statuses[5:]), {429})
        self.assertEqual(Report.objects.count(), 5)
        with at(T0 + 599):
            response = self.client.post("/phan-anh/gui/", self.form_data())
        self.assertEqual((response.status_code, response["Retry-After"]), (429, "1"))
        with at(T0 + 600):
            self.assertEqual(self.client.post("/phan-anh/gui/", self.form_data()).status_code, 302)
        self.assertEqual(Report.objects.count(), 6)


@override_settings(RATE_LIMITS={"open311.post.key": (100, 60), "open311.post.addr": (5, 60)})
class Open311FloodTest(Open311Mixin, TestCase):
    def test_guessing_api_keys_then_posting_is_limited_per_address_and_recovers(self) -> None:
        with at(T0):
            guesses = [self.post_request(api_key=f"ioc_guess{n}_x").status_code for n in range(5)]
            after = [self.post_request().status_code for _ in range(3)]
        self.assertEqual(guesses, [403] * 5)
        self.assertEqual(after, [429] * 3)  # the right key too, from the guessing address
        self.assertEqual(Report.objects.count(), 0)
        with at(T0 + 60):
            self.assertEqual(self.post_request().status_code, 200)
        self.assertEqual(Report.objects.count(), 1)
