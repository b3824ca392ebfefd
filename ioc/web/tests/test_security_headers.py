"""R7.4: every answer of every URL pattern (the access registry, `ioc.common.access.iter_patterns`) carries the security
headers — CSP with `script-src 'self'` and no inline or eval script, no framing, a same-origin referrer, nosniff, and
HSTS on HTTPS when IOC_TLS is on — whatever its status (pages, redirects to the login, 403, 404, API errors).

Each pattern is asked for anonymously and as a signed-in operator, with placeholder path values (an object that does
not exist answers 404, which must carry the headers as well).
"""

import re

from django.test import TestCase, override_settings
from django.urls import Resolver404, get_resolver, resolve

from ioc.accounts.testing import Personas
from ioc.common.access import iter_patterns

PLACEHOLDERS = {
    "int": "987654",
    "slug": "khong-ton-tai",
    "str": "khong-ton-tai",
    "uuid": "00000000-0000-4000-8000-000000000000",
    "path": "khong/ton-tai",
}
# Regular-expression routes (Open311, SensorThings, the admin): one sample path each.
REGEX_SAMPLES = [
    "/open311/v2/discovery.json",
    "/open311/v2/services.xml",
    "/open311/v2/requests.json",
    "/open311/v2/requests/khong-ton-tai.json",
    "/open311/v2/khong-ton-tai",
    "/sta/v1.1/Things",
    "/sta/v1.1/Datastreams(987654)/Observations",
    "/sta/v1.1/khong-ton-tai",
    "/admin/accounts/",
]
_PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")


def sample_paths() -> list[str]:
    """One concrete path per pattern of the registry (regex routes from REGEX_SAMPLES); each resolves."""
    paths = []
    for route, _pattern in iter_patterns(get_resolver().url_patterns):
        if "^" in route or "(?P" in route:
            continue
        paths.append("/" + _PARAM.sub(lambda m: PLACEHOLDERS.get(m.group("conv") or "str", "x"), route))
    return sorted(set(paths)) + REGEX_SAMPLES


def script_src(csp: str) -> str:
    for directive in csp.split(";"):
        name, _, value = directive.strip().partition(" ")
        if name == "script-src":
            return value
    return ""


HSTS = {"SECURE_HSTS_SECONDS": 31536000, "SECURE_HSTS_INCLUDE_SUBDOMAINS": True, "SECURE_HSTS_PRELOAD": True}


class SecurityHeadersTest(Personas, TestCase):
    def header_problems(self, path: str, response) -> list[str]:
        problems = []
        csp = response.get("Content-Security-Policy", "")
        src = script_src(csp)
        if src.split() != ["'self'"]:
            problems.append(f"script-src {src!r}")
        framing = response.get("X-Frame-Options", "") == "DENY" or "frame-ancestors 'none'" in csp
        if not framing:
            problems.append("framing allowed")
        if response.get("X-Content-Type-Options") != "nosniff":
            problems.append("no nosniff")
        if response.get("Referrer-Policy") != "same-origin":
            problems.append(f"Referrer-Policy {response.get('Referrer-Policy')!r}")
        if response.get("Strict-Transport-Security") != "max-age=31536000; includeSubDomains; preload":
            problems.append(f"HSTS {response.get('Strict-Transport-Security')!r}")
        return [f"{path} ({response.status_code}): {p}" for p in problems]

    def walk(self, client) -> tuple[int, list[str]]:
        problems, asked = [], 0
        for path in sample_paths():
            try:
                resolve(path)
            except Resolver404:
                problems.append(f"{path}: the sample path does not resolve (fix the placeholders)")
                continue
            response = client.get(path, secure=True)
            asked += 1
            problems += self.header_problems(path, response)
        return asked, problems

    @override_settings(**HSTS)
    def test_every_pattern_answers_an_anonymous_caller_with_the_headers(self):
        asked, problems = self.walk(self.client_class())
        self.assertGreater(asked, 400)
        self.assertEqual(problems, [])

    @override_settings(**HSTS)
    def test_every_pattern_answers_a_signed_in_operator_with_the_headers(self):
        client = self.client_class()
        self.sign_in(client, self.operator)
        asked, problems = self.walk(client)
        self.assertGreater(asked, 400)
        self.assertEqual(problems, [])

    def test_plain_http_gets_no_hsts_and_the_demo_without_tls_none_at_all(self):
        response = self.client_class().get("/")
        self.assertNotIn("Strict-Transport-Security", response)
        self.assertEqual(script_src(response["Content-Security-Policy"]), "'self'")

    def test_the_check_flags_a_bare_answer(self):
        from django.http import HttpResponse

        bare = HttpResponse("x")
        bare["Content-Security-Policy"] = "default-src 'self'; script-src 'self' 'unsafe-inline'"
        problems = self.header_problems("/bare/", bare)
        self.assertEqual(len(problems), 5, problems)
