"""Every URL pattern declares its access policy; undeclared ones are denied (DESIGN "Conventions")."""

from django.test import Client, TestCase
from django.urls import get_resolver

from ioc.common.access import iter_patterns, policy_of


class UrlPolicyRegistryTest(TestCase):
    def test_it_finds_a_policy_on_every_pattern(self):
        missing = [
            route
            for route, pattern in iter_patterns(get_resolver().url_patterns)
            if policy_of(pattern.callback) is None
        ]
        self.assertEqual(missing, [], f"URL patterns without an access policy: {missing}")

    def test_it_denies_an_anonymous_caller_the_home_page(self):
        response = Client().get("/")
        self.assertEqual(response.status_code, 302)
        self.assertIn("/tai-khoan/", response["Location"])

    def test_it_lets_anyone_reach_healthz(self):
        response = Client().get("/healthz")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"status": "ok"})
