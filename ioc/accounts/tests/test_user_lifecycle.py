"""R7.1, R7.2: lock, unlock, reset, remove, role grant and revoke, service accounts and display screens."""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.test import TestCase
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from ioc.accounts import services
from ioc.accounts.choices import RequestKind, RequestStatus, Role
from ioc.accounts.models import AccountRequest, ApiToken, User
from ioc.accounts.testing import DOCUMENT, Personas, totp_device_for
from ioc.agencies.models import InformationSystem
from ioc.audit.models import AuditEntry
from ioc.geo.models import AdminUnit


class UserLifecycleTest(Personas, TestCase):
    def request(self, kind: str, subject: User | None = None) -> AccountRequest:
        return services.account_request_record(
            kind=kind, **DOCUMENT, approver=self.admin, requested_by=self.admin, subject=subject
        )

    def test_it_locks_and_unlocks_an_account(self):
        request = self.request(RequestKind.LOCK)
        services.user_lock(account_request=request, actor=self.admin, user=self.officer_a)
        self.officer_a.refresh_from_db()
        self.assertFalse(self.officer_a.is_active)
        request.refresh_from_db()
        self.assertEqual((request.status, request.subject), (RequestStatus.APPLIED, self.officer_a))
        self.assertTrue(AuditEntry.objects.filter(action="account.lock", object_id=str(self.officer_a.pk)).exists())
        services.user_unlock(account_request=self.request(RequestKind.UNLOCK), actor=self.admin, user=self.officer_a)
        self.officer_a.refresh_from_db()
        self.assertTrue(self.officer_a.is_active)

    def test_it_ends_the_session_of_a_locked_account(self):
        self.sign_in(self.client, self.citizen)
        services.user_lock(account_request=self.request(RequestKind.LOCK), actor=self.admin, user=self.citizen)
        self.assertEqual(self.client.get("/api/v1/accounts/me/").status_code, 401)

    def test_it_resets_a_lost_device_only_on_request(self):
        totp_device_for(self.operator)
        services.user_reset(
            account_request=self.request(RequestKind.RESET), actor=self.admin, user=self.operator, reset_totp=True
        )
        self.assertFalse(TOTPDevice.objects.filter(user=self.operator).exists())
        self.assertFalse(StaticDevice.objects.filter(user=self.operator).exists())

    def test_it_refuses_a_reset_that_changes_nothing(self):
        with self.assertRaises(ValidationError):
            services.user_reset(
                account_request=self.request(RequestKind.RESET), actor=self.admin, user=self.operator, reset_totp=False
            )

    def test_it_removes_an_account_softly(self):
        services.user_remove(account_request=self.request(RequestKind.REMOVE), actor=self.admin, user=self.system_user)
        self.system_user.refresh_from_db()
        self.assertTrue(self.system_user.is_removed)
        self.assertFalse(self.system_user.is_active)
        self.assertFalse(self.system_user.role_assignments.filter(revoked_at__isnull=True).exists())
        self.assertFalse(ApiToken.objects.filter(user=self.system_user, revoked_at__isnull=True).exists())
        with self.assertRaises(ValidationError):
            services.user_unlock(
                account_request=self.request(RequestKind.UNLOCK), actor=self.admin, user=self.system_user
            )

    def test_it_keeps_the_last_system_administrator(self):
        calls: list[tuple[str, Callable[[AccountRequest], object]]] = [
            (
                RequestKind.REVOKE_ROLE,
                lambda r: services.role_revoke(
                    account_request=r, actor=self.admin, user=self.admin, role=Role.SYSTEM_ADMIN
                ),
            ),
            (RequestKind.LOCK, lambda r: services.user_lock(account_request=r, actor=self.admin, user=self.admin)),
            (RequestKind.REMOVE, lambda r: services.user_remove(account_request=r, actor=self.admin, user=self.admin)),
        ]
        for kind, call in calls:
            with self.subTest(kind=kind), self.assertRaises(ValidationError) as caught:
                call(self.request(kind))
            self.assertIn("user", caught.exception.message_dict)

    def test_it_grants_and_revokes_a_role(self):
        services.role_grant(
            account_request=self.request(RequestKind.GRANT_ROLE),
            actor=self.admin,
            user=self.officer_a,
            role=Role.AGENCY_HEAD,
        )
        self.assertEqual(self.officer_a.role_codes, {Role.AGENCY_OFFICER, Role.AGENCY_HEAD})
        head = self.officer_a.role_assignments.get(role=Role.AGENCY_HEAD)
        self.assertEqual(head.agency, self.agency_a)  # an agency role defaults to the account's agency
        services.role_revoke(
            account_request=self.request(RequestKind.REVOKE_ROLE),
            actor=self.admin,
            user=self.officer_a,
            role=Role.AGENCY_HEAD,
        )
        self.assertEqual(self.officer_a.role_codes, {Role.AGENCY_OFFICER})

    def test_it_refuses_bad_role_grants(self):
        legacy = AdminUnit.objects.filter(hierarchy="legacy").first()
        cases: list[tuple[dict[str, Any], str]] = [
            ({"user": self.citizen, "role": Role.AGENCY_OFFICER}, "agency"),
            ({"user": self.citizen, "role": "emperor"}, "role"),
            ({"user": self.citizen, "role": Role.CITIZEN}, "role"),
            ({"user": self.citizen, "role": Role.INFORMATION_SYSTEM, "agency": self.agency_a}, "role"),
            ({"user": self.citizen, "role": Role.DISPLAY_SCREEN}, "role"),
            ({"user": self.citizen, "role": Role.IOC_OPERATOR, "unit": legacy}, "unit"),
        ]
        for kwargs, field in cases:
            with self.subTest(field=field, role=kwargs["role"]), self.assertRaises(ValidationError) as caught:
                services.role_grant(account_request=self.request(RequestKind.GRANT_ROLE), actor=self.admin, **kwargs)
            self.assertIn(field, caught.exception.message_dict)

    def test_it_makes_a_system_administrator_staff_of_the_django_admin(self):
        self.assertTrue(self.admin.is_staff)
        services.role_grant(
            account_request=self.request(RequestKind.GRANT_ROLE),
            actor=self.admin,
            user=self.leader,
            role=Role.SYSTEM_ADMIN,
        )
        self.leader.refresh_from_db()
        self.assertTrue(self.leader.is_staff)
        services.role_revoke(
            account_request=self.request(RequestKind.REVOKE_ROLE),
            actor=self.admin,
            user=self.leader,
            role=Role.SYSTEM_ADMIN,
        )
        self.leader.refresh_from_db()
        self.assertFalse(self.leader.is_staff)

    def test_it_gives_an_information_system_one_service_account(self):
        system = InformationSystem.objects.create(agency=self.agency_b, code="camera-b", name="Camera B")
        user = services.service_account_create(
            account_request=self.request(RequestKind.CREATE), actor=self.admin, system=system
        )
        self.assertTrue(user.is_service_account)
        self.assertFalse(user.has_usable_password())
        self.assertEqual(user.role_assignments.get().agency, self.agency_b)
        system.refresh_from_db()
        with self.assertRaises(ValidationError):
            services.service_account_create(
                account_request=self.request(RequestKind.CREATE), actor=self.admin, system=system
            )

    def test_it_issues_tokens_only_to_service_accounts_with_known_scopes(self):
        later = timezone.now() + dt.timedelta(days=1)
        cases: list[tuple[dict[str, Any], str]] = [
            ({"user": self.citizen, "scopes": ["sta.write"], "expires_at": later}, "user"),
            ({"user": self.system_user, "scopes": [], "expires_at": later}, "scopes"),
            ({"user": self.system_user, "scopes": ["sta.write:x"], "expires_at": later}, "scopes"),
            ({"user": self.system_user, "scopes": ["sta.write"], "expires_at": timezone.now()}, "expires_at"),
        ]
        for kwargs, field in cases:
            with self.subTest(field=field), self.assertRaises(ValidationError) as caught:
                services.token_issue(account_request=self.request(RequestKind.ISSUE_TOKEN), actor=self.admin, **kwargs)
            self.assertIn(field, caught.exception.message_dict)

    def test_it_registers_a_display_screen_with_its_account(self):
        screen, user = services.display_screen_register(
            account_request=self.request(RequestKind.CREATE),
            actor=self.admin,
            code="phong-hop-2",
            name="Phòng họp 2",
            location="Tầng 2",
        )
        self.assertEqual(user.display_screen, screen)
        self.assertEqual(user.role_codes, {Role.DISPLAY_SCREEN})
        with self.assertRaises(ValidationError) as caught:
            services.display_screen_register(
                account_request=self.request(RequestKind.CREATE),
                actor=self.admin,
                code="phong-hop-2",
                name="Trùng mã",
                location="",
            )
        self.assertIn("code", caught.exception.message_dict)

    def test_it_records_one_request_per_change_when_provisioning(self):
        before = AccountRequest.objects.count()
        user = services.account_provision(
            **DOCUMENT,
            approver=self.admin,
            actor=self.admin,
            username="hai-vai-tro",
            full_name="Hai Vai Trò",
            email="hai@canary.invalid",
            password=self.password,
            roles=[(Role.AGENCY_OFFICER, self.agency_b, None), (Role.AGENCY_HEAD, self.agency_b, None)],
        )
        self.assertEqual(AccountRequest.objects.count(), before + 3)
        self.assertEqual(user.role_codes, {Role.AGENCY_OFFICER, Role.AGENCY_HEAD})
