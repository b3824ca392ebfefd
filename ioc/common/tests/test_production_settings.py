"""The production settings keep the security choices of DESIGN.md (tests may relax speed, never these)."""

import os
import sqlite3
import subprocess
import sys
import tempfile
from contextlib import closing
from pathlib import Path

from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parents[3]


def production_value(expression: str, **env: str) -> str:
    return run_with_production_settings(f"import config.settings as s; print({expression})", **env)


def run_with_production_settings(code: str, **env: str) -> str:
    """What `code` prints in a fresh interpreter with the production settings (and `env`)."""
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "IOC_TLS"}}
    base.update({"SECRET_KEY": "p" * 40, "AUDIT_KEY": "a" * 40, "TOKEN_HMAC_KEY": "t" * 40})
    base.update({"FIELD_ENCRYPTION_KEY": "f" * 40, "IOC_VAR_DIR": "/tmp/ioc-prod-settings-test", **env})
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=base, capture_output=True, text=True, check=False
    )
    return (result.stdout + result.stderr).strip()


class ProductionSettingsTest(SimpleTestCase):
    def test_it_hashes_passwords_with_argon2(self):
        self.assertEqual(production_value("s.PASSWORD_HASHERS[0]"), "django.contrib.auth.hashers.Argon2PasswordHasher")

    def test_it_turns_tls_settings_on_by_default(self):
        self.assertEqual(
            production_value("(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0)"),
            "(True, True, True)",
        )

    def test_it_refuses_to_start_without_secrets(self):
        # The settings read a missing secret as "" so that `manage.py check` can name it (ioc/common/checks.py);
        # starting Django (gunicorn, any other command) refuses.
        out = run_with_production_settings(
            "import django; django.setup(); print('started')", SECRET_KEY="", DJANGO_SETTINGS_MODULE="config.settings"
        )
        self.assertIn("ImproperlyConfigured: ioc.E001", out)
        self.assertIn("SECRET_KEY", out)
        self.assertNotIn("started", out)

    def test_it_runs_sqlite_in_wal_with_immediate_transactions(self):
        options = "s.DATABASES['default']['OPTIONS']"
        out = production_value(
            f"({options}['transaction_mode'], 'journal_mode=WAL' in {options}['init_command'],"
            f" 'synchronous=FULL' in {options}['init_command'])"
        )
        self.assertEqual(out, "('IMMEDIATE', True, True)")

    def test_it_keeps_rate_limits_and_sessions_in_a_shared_store(self):
        self.assertEqual(
            production_value("s.CACHES['default']['BACKEND']"), "django.core.cache.backends.db.DatabaseCache"
        )
        self.assertEqual(
            production_value("s.CACHES['default']['BACKEND']", REDIS_URL="redis://127.0.0.1:6379/0"),
            "ioc.common.cache_redis.RedisCache",
        )

    def test_it_gives_the_cache_of_a_sqlite_deployment_its_own_database_file(self):
        with tempfile.TemporaryDirectory() as var:
            code = (
                "import django; django.setup(); from django.core.management import call_command; "
                "call_command('createcachetable'); call_command('createcachetable', database='cache'); "
                "from ioc.common.ratelimit import rate_limit_hit; "
                "print(rate_limit_hit(key='k', limit=5, window_seconds=60).count)"
            )
            out = run_with_production_settings(code, IOC_VAR_DIR=var, DJANGO_SETTINGS_MODULE="config.settings")
            self.assertEqual(out, "1")
            with closing(sqlite3.connect(Path(var) / "cache.sqlite3")) as cache_db:
                self.assertEqual(cache_db.execute("SELECT COUNT(*) FROM ioc_cache").fetchone(), (1,))
                self.assertEqual(cache_db.execute("PRAGMA journal_mode").fetchone(), ("wal",))
            with closing(sqlite3.connect(Path(var) / "ioc.sqlite3")) as main_db:
                tables = {row[0] for row in main_db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            self.assertNotIn("ioc_cache", tables)

    def test_it_keeps_the_cache_in_the_main_database_with_postgresql(self):
        out = production_value(
            "('cache' in s.DATABASES, getattr(s, 'DATABASE_ROUTERS', []))",
            DATABASE_URL="postgresql://ioc@127.0.0.1:5432/ioc",
        )
        self.assertEqual(out, "(False, [])")


class DeployCheckTest(SimpleTestCase):
    """R7.4: `manage.py check --deploy` is clean in production settings, and names what a deployment got wrong."""

    PRODUCTION = {
        "SECRET_KEY": "Prod-Secret-" + "k7Q!x9Z-" * 8,
        "AUDIT_KEY": "Prod-Audit-" + "a8W#" * 8,
        "TOKEN_HMAC_KEY": "Prod-Token-" + "t6E%" * 8,
        "FIELD_ENCRYPTION_KEY": "Prod-Field-" + "f5R&" * 8,
        "IOC_PUBLIC_BASE_URL": "https://ioc.hungyen.gov.vn",
        "ALLOWED_HOSTS": "ioc.hungyen.gov.vn",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }

    def deploy_check(self, **env: str) -> str:
        code = (
            "import sys; from django.core.management import execute_from_command_line; "
            "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])"
        )
        with tempfile.TemporaryDirectory() as var:
            return run_with_production_settings(code, **{**self.PRODUCTION, "IOC_VAR_DIR": var, **env})

    def test_it_is_clean_in_production_settings(self):
        out = self.deploy_check()
        self.assertIn("System check identified no issues", out)

    def test_it_is_clean_with_scheduled_backups_and_their_key(self):
        out = self.deploy_check(IOC_BACKUP_EVERY_HOURS="24", IOC_BACKUP_KEY="Backup-Key-" + "b4T*" * 8)
        self.assertIn("System check identified no issues", out)

    def test_it_names_what_a_deployment_got_wrong(self):
        cases = {
            "IOC_TLS=0 (HSTS, secure cookies, redirect off)": ({"IOC_TLS": "0"}, "security.W004"),
            "DEBUG on": ({"DEBUG": "1"}, "security.W018"),
            "a plain-http public address": ({"IOC_PUBLIC_BASE_URL": "http://ioc.hungyen.gov.vn"}, "ioc.E006"),
            "scheduled backups without a key": ({"IOC_BACKUP_EVERY_HOURS": "24"}, "backups.E001"),
        }
        for name, (env, check_id) in cases.items():
            with self.subTest(name):
                self.assertIn(check_id, self.deploy_check(**env))
