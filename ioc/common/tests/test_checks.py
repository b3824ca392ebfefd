"""The settings' system checks (ioc/common/checks.py): production refuses missing or weak secrets and a public
address on the loopback; the demo's environment passes (issue 8, part 5)."""

import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import SimpleTestCase, override_settings

from ioc.common import checks

ROOT = Path(__file__).resolve().parents[3]
STRONG = {name: secrets.token_urlsafe(48) for name in checks.SECRETS}
PRODUCTION = {
    "DEBUG": "0",
    "IOC_TLS": "1",
    "ALLOWED_HOSTS": "ioc.example.gov.vn",
    "IOC_PUBLIC_BASE_URL": "https://ioc.example.gov.vn",
    **STRONG,
}
# What scripts/demo exports before it starts anything (step 3 of the script).
DEMO = {
    "DEBUG": "0",
    "IOC_TLS": "0",
    "IOC_PUBLIC_BASE_URL": "http://127.0.0.1:8765",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,[::1]",
    "NOTIFICATIONS_TRANSPORTS": "console",
    **STRONG,
}
SETTINGS_VARIABLES = {"DJANGO_SETTINGS_MODULE", "DEBUG", "IOC_TLS", "IOC_PUBLIC_BASE_URL", "DATABASE_URL", "REDIS_URL"}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`manage.py <args>` in a fresh interpreter with config.settings and exactly `env` on top of a clean base."""
    base = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES and k not in checks.SECRETS}
    with tempfile.TemporaryDirectory() as var:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env={**base, "IOC_VAR_DIR": var, **env},
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )


def without(env: dict[str, str], name: str) -> dict[str, str]:
    return {k: v for k, v in env.items() if k != name}


class CheckDeployCommandTest(SimpleTestCase):
    """`manage.py check --deploy` exactly as an operator runs it (a subprocess with the production settings)."""

    def test_production_passes_when_everything_is_set(self):
        result = manage("check", "--deploy", env=PRODUCTION)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertNotIn("ioc.E", result.stdout + result.stderr)

    def test_the_demo_environment_passes(self):
        result = manage("check", "--deploy", env=DEMO)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertNotIn("ioc.E", result.stdout + result.stderr)

    def test_missing_secrets_fail_each_with_its_id(self):
        result = manage("check", "--deploy", env={k: v for k, v in PRODUCTION.items() if k not in checks.SECRETS})
        self.assertNotEqual(result.returncode, 0)
        for name, error_id in checks.SECRETS.items():
            self.assertIn(f"({error_id}) Thiếu khóa bí mật {name}", result.stderr)

    def test_a_weak_secret_key_fails(self):
        result = manage("check", "--deploy", env={**PRODUCTION, "SECRET_KEY": "p" * 40})
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("(ioc.E005) Khóa bí mật SECRET_KEY yếu", result.stderr)

    def test_a_missing_public_address_fails(self):
        result = manage("check", "--deploy", env=without(PRODUCTION, "IOC_PUBLIC_BASE_URL"))
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("(ioc.E006) IOC_PUBLIC_BASE_URL", result.stderr)
        self.assertIn("127.0.0.1", result.stderr)

    def test_other_commands_refuse_to_start_without_a_secret(self):
        result = manage("migrate", "--noinput", env=without(PRODUCTION, "AUDIT_KEY"))
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("ImproperlyConfigured: ioc.E002", result.stderr)
        self.assertNotIn("ioc.E001", result.stderr)


PRODUCTION_SETTINGS = {
    "DEBUG": False,
    "IOC_TLS": True,
    "IOC_PUBLIC_BASE_URL": "https://ioc.example.gov.vn",
    **STRONG,
}


@override_settings(**PRODUCTION_SETTINGS)
class ChecksTest(SimpleTestCase):
    """The same checks in-process, for every kind of weak value."""

    def assert_fails(self, error_id: str, **values: object) -> None:
        with override_settings(**values), self.assertRaisesMessage(SystemCheckError, f"({error_id})"):
            call_command("check", "--deploy", tags=["security"])

    def test_production_settings_pass(self):
        self.assertEqual(checks.check_missing_secrets(), [])
        self.assertEqual(checks.check_weak_secrets(), [])
        self.assertEqual(checks.check_public_base_url(), [])

    def test_weak_secret_keys(self):
        cases = {
            "short": "a1B2c3D4e5" * 4,
            "few distinct characters": "abab" * 20,
            "django's insecure prefix": "django-insecure-" + secrets.token_urlsafe(48),
            "the debug-only default": "insecure-debug-only-" + "x" * 40,
        }
        for case, value in cases.items():
            with self.subTest(case):
                self.assert_fails(checks.WEAK_SECRET_ID, SECRET_KEY=value)

    def test_other_secrets_may_be_shorter_but_not_guessable(self):
        with override_settings(AUDIT_KEY=secrets.token_urlsafe(24)):
            self.assertEqual(checks.check_weak_secrets(), [])
        self.assert_fails(checks.WEAK_SECRET_ID, AUDIT_KEY="a" * 40)
        self.assert_fails(checks.WEAK_SECRET_ID, FIELD_ENCRYPTION_KEY="insecure-debug-field-key-" + "w" * 40)

    def test_public_addresses_citizens_cannot_reach(self):
        for url in ("", "ioc.example.gov.vn", "http://127.0.0.1:8000", "https://localhost", "https://[::1]/",
                    "http://ioc.example.gov.vn"):  # fmt: skip
            with self.subTest(url):
                self.assert_fails(checks.PUBLIC_BASE_URL_ID, IOC_PUBLIC_BASE_URL=url)

    def test_the_weak_values_and_the_address_are_fine_without_tls_or_with_debug(self):
        weak = {"SECRET_KEY": "p" * 40, "IOC_PUBLIC_BASE_URL": "http://127.0.0.1:8000"}
        for relaxed in ({"IOC_TLS": False}, {"DEBUG": True}):
            with self.subTest(relaxed), override_settings(**weak, **relaxed):
                self.assertEqual(checks.check_weak_secrets() + checks.check_public_base_url(), [])

    def test_each_missing_secret_has_its_own_id(self):
        for name, error_id in checks.SECRETS.items():
            with self.subTest(name), override_settings(**{name: ""}):
                self.assert_fails(error_id)
                self.assertEqual([e.id for e in checks.check_missing_secrets()], [error_id])

    def test_a_missing_secret_is_an_error_outside_debug_even_without_tls(self):
        with override_settings(IOC_TLS=False, TOKEN_HMAC_KEY=""):
            self.assertEqual([e.id for e in checks.check_missing_secrets()], ["ioc.E004"])
        with override_settings(DEBUG=True, TOKEN_HMAC_KEY=""):
            self.assertEqual(checks.check_missing_secrets(), [])

    def test_refuse_to_start_names_the_missing_secret_except_for_the_check_command(self):
        with override_settings(FIELD_ENCRYPTION_KEY=""):
            with self.assertRaisesMessage(ImproperlyConfigured, "ioc.E003"):
                checks.refuse_to_start(["gunicorn"])
            checks.refuse_to_start(["manage.py", "check", "--deploy"])
        checks.refuse_to_start(["gunicorn"])


class SqliteVersionTest(SimpleTestCase):
    def test_a_library_older_than_the_json_operators_is_refused_by_name(self):
        self.assertIn("3.37.2", checks.sqlite_version_problem((3, 37, 2)))
        self.assertIn("3.38.0", checks.sqlite_version_problem((3, 35, 5)))
        self.assertEqual(checks.sqlite_version_problem((3, 38, 0)), "")
        self.assertEqual(checks.sqlite_version_problem((3, 40, 1)), "")

    def test_this_machine_passes(self):
        self.assertEqual(checks.check_sqlite_version(), [])
