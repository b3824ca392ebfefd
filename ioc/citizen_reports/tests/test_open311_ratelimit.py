"""Open311 POST rate limits: per key and per address in the shared cache, 429 in the spec's error format."""

import time
from unittest import mock

from django.test import TestCase, override_settings

from ioc.citizen_reports.models import Report
from ioc.citizen_reports.tests.test_open311_support import Open311Mixin, errors_of


class Open311RateLimitTest(Open311Mixin, TestCase):
    def setUp(self):
        super().setUp()
        # Fixed windows start on the epoch's minutes: on a busy machine the requests of one test could straddle a
        # boundary and see a fresh window. The limiter's clock stands still in the middle of one window instead.
        middle = (int(time.time()) // 3600) * 3600 + 30.0
        clock = mock.patch("ioc.common.ratelimit.time", mock.Mock(time=mock.Mock(return_value=middle)))
        clock.start()
        self.addCleanup(clock.stop)

    def assert_too_many(self, response, fmt: str) -> None:
        self.assertEqual(response.status_code, 429, response.content)
        [(code, description)] = errors_of(response, fmt)
        self.assertEqual(code, 429)
        self.assertIn("Too many requests", description)
        self.assertGreaterEqual(int(response["Retry-After"]), 1)

    @override_settings(RATE_LIMITS={"open311.post.key": (2, 60), "open311.post.addr": (100, 60)})
    def test_it_limits_posts_per_key(self):
        self.assertEqual(self.post_request("json").status_code, 200)
        self.assertEqual(self.post_request("xml").status_code, 200)
        self.assert_too_many(self.post_request("json"), "json")
        self.assert_too_many(self.post_request("xml"), "xml")
        self.assertEqual(Report.objects.count(), 2)

    @override_settings(RATE_LIMITS={"open311.post.key": (100, 60), "open311.post.addr": (2, 60)})
    def test_it_limits_posts_per_address_even_with_bad_keys(self):
        self.assertEqual(self.post_request(api_key="bad").status_code, 403)
        self.assertEqual(self.post_request().status_code, 200)
        self.assert_too_many(self.post_request(), "json")
        other = self.client.post("/open311/v2/requests.json", self.fields(), REMOTE_ADDR="198.51.100.9")
        self.assertEqual(other.status_code, 200, "another address has its own count")

    @override_settings(RATE_LIMITS={"open311.post.key": (1, 60), "open311.post.addr": (1, 60)})
    def test_it_raises_the_limits_of_an_overridden_token_prefix(self):
        prefix = self.system_token.split("_")[1]
        with self.settings(RATE_LIMIT_TOKEN_OVERRIDES={prefix: 1000}):
            for _i in range(3):
                self.assertEqual(self.post_request().status_code, 200)

    @override_settings(RATE_LIMITS={"open311.get.addr": (2, 60)})
    def test_it_can_limit_public_reads_per_address(self):
        self.assertEqual(self.get("services.json").status_code, 200)
        self.assertEqual(self.get("requests.xml").status_code, 200)
        self.assert_too_many(self.get("requests.xml"), "xml")

    def test_it_leaves_public_reads_unlimited_by_default(self):
        for _i in range(30):
            self.assertEqual(self.get("services.json").status_code, 200)
