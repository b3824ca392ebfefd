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

    def test_it_sends_an_anonymous_caller_of_a_signed_in_page_to_the_login(self):
        response = Client().get("/tai-khoan/doi-mat-khau/")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(response["Location"], "/tai-khoan/dang-nhap/?next=/tai-khoan/doi-mat-khau/")

    def test_it_declares_the_home_page_public_and_lets_the_view_decide(self):
        # `/` answers an anonymous visitor with the citizens' portal and a signed-in account with its home.
        pattern = dict(iter_patterns(get_resolver().url_patterns))[""]
        self.assertEqual(policy_of(pattern.callback).kind, "public")
        self.assertEqual(Client().get("/").status_code, 200)

    def test_it_lets_anyone_reach_healthz(self):
        response = Client().get("/healthz")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"status": "ok"})
