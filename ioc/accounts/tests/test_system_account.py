"""R7.2, R7.3: every write has a real actor; setup and background work act as the system account `he-thong`,
which holds the administrator role on a recorded request and can never sign in."""

from __future__ import annotations

from io import StringIO

from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import RequestFactory, TestCase
from django.urls import reverse
from django.utils import timezone

from ioc.accounts import selectors, services
from ioc.accounts.choices import SYSTEM_FULL_NAME, SYSTEM_USERNAME, RequestKind, Role
from ioc.accounts.models import AccountRequest, RoleAssignment
from ioc.accounts.testing import DOCUMENT, Personas
from ioc.audit.models import AuditEntry
from ioc.audit.services import ANONYMOUS_CITIZEN_LABEL, audit_record


class SystemAccountTest(Personas, TestCase):
    def test_it_is_an_administrator_on_a_bootstrap_request_that_cannot_sign_in(self):
        system = selectors.system_account()
        self.assertEqual((system.username, system.full_name), (SYSTEM_USERNAME, SYSTEM_FULL_NAME))
        self.assertEqual(system.role_codes, {Role.SYSTEM_ADMIN})
        self.assertFalse(system.has_usable_password())
        grant = RoleAssignment.objects.get(user=system, role=Role.SYSTEM_ADMIN, revoked_at__isnull=True)
        self.assertEqual(grant.granted_by.kind, RequestKind.BOOTSTRAP)
        self.assertEqual(self.system_account, system)

    def test_sign_in_refuses_it(self):
        self.assertIsNone(authenticate(RequestFactory().post("/"), username=SYSTEM_USERNAME, password=""))
        response = self.client.post(reverse("accounts:login"), {"username": SYSTEM_USERNAME, "password": "x"})
        self.assertEqual(response.status_code, 200)  # the form again, with its error
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_the_bootstrap_is_audited_as_the_system_account_by_username(self):
        entry = AuditEntry.objects.filter(action="account.bootstrap").latest("id")
        self.assertEqual((entry.actor, entry.actor_label), (self.system_account, SYSTEM_USERNAME))

    def test_an_anonymous_citizen_is_labelled_as_such_never_as_system(self):
        entry = audit_record(actor=None, action="report.rate", object_type="test", object_id="1")
        self.assertEqual(entry.actor_label, ANONYMOUS_CITIZEN_LABEL)
        self.assertNotEqual(entry.actor_label, "system")

    def test_ensure_is_idempotent(self):
        before = (AccountRequest.objects.count(), AuditEntry.objects.count())
        self.assertEqual(services.system_account_ensure(**DOCUMENT, approver=self.admin), self.system_account)
        self.assertEqual((AccountRequest.objects.count(), AuditEntry.objects.count()), before)

    def test_one_query_per_process_copy_and_a_console_change_seen_once_the_copy_is_dropped(self):
        selectors.SYSTEM_ACCOUNT.forget()
        with self.assertNumQueries(1):
            first = selectors.system_account()
        with self.assertNumQueries(0):  # every outbox row and background write asks for it: no query each time
            second = selectors.system_account()
        self.assertEqual(second, first)
        first.full_name = "changed by one caller"  # a caller's change stays on its own copy
        self.assertNotEqual(selectors.system_account().full_name, "changed by one caller")
        # A change outside the services (which refuse to strip it) reaches a process at its next recheck.
        RoleAssignment.objects.filter(user=self.system_account).update(revoked_at=timezone.now())
        selectors.SYSTEM_ACCOUNT.forget()
        with self.assertRaises(selectors.SystemAccountMissing):
            selectors.system_account()
        with self.assertNumQueries(1):  # a missing account is looked for again at each call, never kept
            self.assertIsNone(selectors.system_account_or_none())

    def test_a_missing_role_is_given_back_only_with_an_approver_once_a_person_administers(self):
        RoleAssignment.objects.filter(user=self.system_account).update(revoked_at=timezone.now())
        selectors.SYSTEM_ACCOUNT.forget()  # changed outside the services: drop this process's copy
        with self.assertRaisesMessage(selectors.SystemAccountMissing, "system_account_ensure"):
            selectors.system_account()
        requests = AccountRequest.objects.count()
        with self.assertRaises(ValidationError) as caught:
            services.system_account_ensure(**DOCUMENT)
        self.assertIn("approver", caught.exception.message_dict)
        with self.assertRaises(ValidationError):
            services.system_account_ensure(**DOCUMENT, approver=self.officer_a)
        self.assertEqual(AccountRequest.objects.count(), requests)
        system = services.system_account_ensure(**DOCUMENT, approver=self.admin)
        self.assertEqual(selectors.system_account(), system)
        entry = AuditEntry.objects.filter(action="account.system_ensure").latest("id")
        self.assertEqual(entry.changes["approver"], self.admin.username)

    def test_it_never_gets_a_password_nor_approves(self):
        request = services.account_request_record(
            kind=RequestKind.RESET, **DOCUMENT, approver=self.admin, requested_by=self.admin
        )
        with self.assertRaises(ValidationError) as caught:
            services.user_reset(
                account_request=request,
                actor=self.admin,
                user=self.system_account,
                new_password="Another-Pass-2025!",
                reset_totp=False,
            )
        self.assertIn("new_password", caught.exception.message_dict)
        self.assertFalse(selectors.system_account().has_usable_password())
        self.assertNotIn(self.system_account, selectors.approver_candidates())
        with self.assertRaises(ValidationError):
            services.account_request_record(
                kind=RequestKind.LOCK, **DOCUMENT, approver=self.system_account, requested_by=self.admin
            )

    def test_it_cannot_be_locked_removed_or_stripped_of_its_role(self):
        def state() -> tuple[int, int]:
            return AccountRequest.objects.filter(status="applied").count(), AuditEntry.objects.count()

        for kind, call, extra in (
            (RequestKind.LOCK, services.user_lock, {}),
            (RequestKind.REMOVE, services.user_remove, {}),
            (RequestKind.REVOKE_ROLE, services.role_revoke, {"role": Role.SYSTEM_ADMIN}),
        ):
            request = services.account_request_record(
                kind=kind, **DOCUMENT, approver=self.admin, requested_by=self.admin, subject=self.system_account
            )
            before = state()
            with self.subTest(kind=kind), self.assertRaises(ValidationError) as caught:
                call(account_request=request, actor=self.admin, user=self.system_account, **extra)
            self.assertIn("user", caught.exception.message_dict)
            self.assertEqual(state(), before)
        self.assertEqual(selectors.system_account(), self.system_account)

    def test_it_does_not_count_as_another_administrator(self):
        request = services.account_request_record(
            kind=RequestKind.LOCK, **DOCUMENT, approver=self.admin, requested_by=self.admin, subject=self.admin
        )
        with self.assertRaises(ValidationError):
            services.user_lock(account_request=request, actor=self.admin, user=self.admin)


class SystemAccountCommandTest(Personas, TestCase):
    def _run(self, *extra: str) -> str:
        out = StringIO()
        args = ["--document-no", "07/QĐ-UBND", "--document-date", "2025-07-01", *extra]
        call_command("system_account_ensure", *args, stdout=out)
        return out.getvalue()

    def test_it_gives_the_role_back_on_a_document_approved_by_an_administrator(self):
        RoleAssignment.objects.filter(user=self.system_account).update(revoked_at=timezone.now())
        selectors.SYSTEM_ACCOUNT.forget()  # changed outside the services: drop this process's copy
        with self.assertRaisesMessage(CommandError, "approver"):
            self._run()
        with self.assertRaisesMessage(CommandError, "--approver"):
            self._run("--approver", "nobody-here")
        self.assertIn(SYSTEM_USERNAME, self._run("--approver", self.admin.username))
        request = AccountRequest.objects.filter(subject=self.system_account).latest("id")
        self.assertEqual((request.document_no, request.approver), ("07/QĐ-UBND", self.admin))
        self.assertEqual(selectors.system_account(), self.system_account)

    def test_running_it_again_changes_nothing(self):
        before = AccountRequest.objects.count()
        self._run("--approver", self.admin.username)
        self.assertEqual(AccountRequest.objects.count(), before)
