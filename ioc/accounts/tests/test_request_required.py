"""R7.2: an account change without a pending request of the matching kind is refused and writes nothing."""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.test import TestCase

from ioc.accounts import services
from ioc.accounts.choices import RequestKind, RequestStatus, Role
from ioc.accounts.models import AccountRequest, RoleAssignment, User
from ioc.accounts.testing import DOCUMENT, Personas
from ioc.audit.models import AuditEntry

# Deliberately wrong arguments (typed Any so the type checker lets the test pass them).
NO_REQUEST: Any = None
NO_DATE: Any = None


class RequestRequiredTest(Personas, TestCase):
    def record(self, kind: str, subject: User | None = None, approver: User | None = None) -> AccountRequest:
        return services.account_request_record(
            kind=kind, **DOCUMENT, approver=approver or self.admin, requested_by=self.admin, subject=subject
        )

    def assert_refused_without_writes(self, call: Callable[[], object], field: str = "account_request") -> None:
        counts = (RoleAssignment.objects.count(), AuditEntry.objects.count(), AccountRequest.objects.count())
        with self.assertRaises(ValidationError) as caught:
            call()
        self.assertIn(field, caught.exception.message_dict)
        after = (RoleAssignment.objects.count(), AuditEntry.objects.count(), AccountRequest.objects.count())
        self.assertEqual(counts, after)

    def test_it_refuses_a_role_grant_without_a_request(self):
        self.assert_refused_without_writes(
            lambda: services.role_grant(
                account_request=NO_REQUEST, actor=self.admin, user=self.citizen, role=Role.IOC_OPERATOR
            )
        )
        self.assertNotIn(Role.IOC_OPERATOR, type(self.citizen).objects.get(pk=self.citizen.pk).role_codes)

    def test_it_refuses_an_unsaved_request(self):
        unsaved = AccountRequest(kind=RequestKind.GRANT_ROLE, **DOCUMENT)
        self.assert_refused_without_writes(
            lambda: services.role_grant(
                account_request=unsaved, actor=self.admin, user=self.citizen, role=Role.IOC_OPERATOR
            )
        )

    def test_it_refuses_a_request_of_another_kind(self):
        lock_request = self.record(RequestKind.LOCK, subject=self.citizen)
        self.assert_refused_without_writes(
            lambda: services.role_grant(
                account_request=lock_request, actor=self.admin, user=self.citizen, role=Role.IOC_OPERATOR
            )
        )
        lock_request.refresh_from_db()
        self.assertEqual(lock_request.status, RequestStatus.PENDING)

    def test_it_refuses_a_request_already_applied(self):
        request = self.record(RequestKind.LOCK, subject=self.citizen)
        services.user_lock(account_request=request, actor=self.admin, user=self.citizen)
        services.user_unlock(account_request=self.record(RequestKind.UNLOCK), actor=self.admin, user=self.citizen)
        self.assert_refused_without_writes(
            lambda: services.user_lock(account_request=request, actor=self.admin, user=self.citizen)
        )

    def test_it_refuses_a_request_naming_another_account(self):
        request = self.record(RequestKind.LOCK, subject=self.officer_a)
        self.assert_refused_without_writes(
            lambda: services.user_lock(account_request=request, actor=self.admin, user=self.citizen)
        )

    def test_it_refuses_every_account_change_without_a_request(self):
        calls = [
            lambda: services.user_create(
                account_request=NO_REQUEST,
                actor=self.admin,
                username="x-user",
                full_name="X",
                email="x@canary.invalid",
                password=self.password,
            ),
            lambda: services.role_revoke(
                account_request=NO_REQUEST, actor=self.admin, user=self.operator, role="ioc_operator"
            ),
            lambda: services.user_lock(account_request=NO_REQUEST, actor=self.admin, user=self.citizen),
            lambda: services.user_unlock(account_request=NO_REQUEST, actor=self.admin, user=self.citizen),
            lambda: services.user_reset(
                account_request=NO_REQUEST, actor=self.admin, user=self.citizen, reset_totp=True
            ),
            lambda: services.user_remove(account_request=NO_REQUEST, actor=self.admin, user=self.citizen),
            lambda: services.token_revoke(
                account_request=NO_REQUEST, actor=self.admin, token=self.system_user.api_tokens.get()
            ),
        ]
        for call in calls:
            self.assert_refused_without_writes(call)

    def test_it_refuses_a_request_without_its_document(self):
        with self.assertRaises(ValidationError) as caught:
            services.account_request_record(
                kind=RequestKind.LOCK,
                document_no=" ",
                document_date=NO_DATE,
                issuing_body="",
                approver=self.admin,
                requested_by=self.admin,
            )
        self.assertEqual(set(caught.exception.message_dict), {"document_no", "document_date", "issuing_body"})

    def test_it_refuses_an_approver_who_is_not_admin_or_leader(self):
        with self.assertRaises(ValidationError) as caught:
            self.record(RequestKind.LOCK, subject=self.citizen, approver=self.officer_a)
        self.assertIn("approver", caught.exception.message_dict)
        self.record(RequestKind.LOCK, subject=self.citizen, approver=self.leader)  # a leader may approve

    def test_it_refuses_a_change_applied_by_someone_not_admin(self):
        request = self.record(RequestKind.LOCK, subject=self.citizen)
        self.assert_refused_without_writes(
            lambda: services.user_lock(account_request=request, actor=self.operator, user=self.citizen), field="actor"
        )
