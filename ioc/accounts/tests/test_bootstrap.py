"""R7.2: the first administrator comes from `bootstrap_admin` on a document; once only; createsuperuser is off."""

import os
from io import StringIO
from unittest import mock

from django.core.management import CommandError, call_command, get_commands
from django.test import TestCase

from ioc.accounts.choices import SYSTEM_USERNAME, RequestKind, RequestStatus, Role
from ioc.accounts.models import AccountRequest, User

PASSWORD = "Bootstrap-Pass-2025!"


def bootstrap(username: str = "root-admin", date: str = "2025-07-01") -> str:
    out = StringIO()
    with mock.patch.dict(os.environ, {"IOC_BOOTSTRAP_PASSWORD": PASSWORD}):
        call_command(
            "bootstrap_admin",
            "--document-no",
            "12/QĐ-UBND",
            "--document-date",
            date,
            "--username",
            username,
            "--email",
            f"{username}@canary.invalid",
            stdout=out,
        )
    return out.getvalue()


class BootstrapTest(TestCase):
    def test_it_creates_the_first_administrator_on_a_bootstrap_request(self):
        self.assertIn("root-admin", bootstrap())
        user = User.objects.get(username="root-admin")
        self.assertEqual(user.role_codes, {Role.SYSTEM_ADMIN})
        self.assertTrue(user.check_password(PASSWORD))
        request = AccountRequest.objects.get(subject=user)
        self.assertEqual(
            (request.kind, request.status, request.document_no),
            (RequestKind.BOOTSTRAP, RequestStatus.APPLIED, "12/QĐ-UBND"),
        )

    def test_it_refuses_a_second_bootstrap(self):
        bootstrap()
        requests = AccountRequest.objects.count()
        with self.assertRaises(CommandError) as caught:
            bootstrap(username="second-admin")
        self.assertIn("văn bản đề nghị", str(caught.exception))
        self.assertFalse(User.objects.filter(username="second-admin").exists())
        self.assertEqual(AccountRequest.objects.count(), requests)

    def test_it_refuses_a_malformed_date(self):
        with self.assertRaises(CommandError) as caught:
            bootstrap(date="01/07/2025")
        self.assertIn("YYYY-MM-DD", str(caught.exception))
        self.assertFalse(User.objects.exclude(username=SYSTEM_USERNAME).exists())

    def test_it_refuses_createsuperuser(self):
        self.assertEqual(get_commands()["createsuperuser"], "ioc.accounts")
        with self.assertRaises(CommandError) as caught:
            call_command("createsuperuser", "--noinput", "--username", "x", "--email", "x@canary.invalid")
        self.assertIn("bootstrap_admin", str(caught.exception))
        self.assertFalse(User.objects.exclude(username=SYSTEM_USERNAME).exists())
