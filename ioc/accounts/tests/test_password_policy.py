"""R7.4: a weak password is refused (Django's validators + character classes), and nothing is written."""

from django.core.exceptions import ValidationError
from django.test import TestCase

from ioc.accounts import services
from ioc.accounts.choices import RequestKind, RequestStatus
from ioc.accounts.models import AccountRequest, User
from ioc.accounts.testing import DOCUMENT, Personas


class PasswordPolicyTest(Personas, TestCase):
    def create(self, password: str) -> AccountRequest:
        request = services.account_request_record(
            kind=RequestKind.CREATE, **DOCUMENT, approver=self.admin, requested_by=self.admin
        )
        try:
            services.user_create(
                account_request=request,
                actor=self.admin,
                username="new-person",
                full_name="New Person",
                email="new-person@canary.invalid",
                password=password,
            )
        finally:
            request.refresh_from_db()
        return request

    def test_it_refuses_weak_passwords(self):
        for weak in ["short1A!", "password12345", "123456789012345", "alllowercaseletters", "new-person-2025"]:
            with self.subTest(password=weak), self.assertRaises(ValidationError) as caught:
                self.create(weak)
            self.assertIn("password", caught.exception.message_dict)
        self.assertFalse(User.objects.filter(username="new-person").exists())
        self.assertFalse(User.objects.filter(username__startswith="new-").exists())

    def test_it_leaves_the_request_pending_when_refused(self):
        request = services.account_request_record(
            kind=RequestKind.CREATE, **DOCUMENT, approver=self.admin, requested_by=self.admin
        )
        with self.assertRaises(ValidationError):
            services.user_create(
                account_request=request,
                actor=self.admin,
                username="weak",
                full_name="Weak",
                email="weak@canary.invalid",
                password="abc",
            )
        request.refresh_from_db()
        self.assertEqual(request.status, RequestStatus.PENDING)

    def test_it_accepts_a_strong_password(self):
        request = self.create("Mạnh-Mẽ-Lắm-2025")
        self.assertEqual(request.status, RequestStatus.APPLIED)
        self.assertTrue(User.objects.get(username="new-person").check_password("Mạnh-Mẽ-Lắm-2025"))

    def test_it_refuses_a_weak_reset_password(self):
        request = services.account_request_record(
            kind=RequestKind.RESET, **DOCUMENT, approver=self.admin, requested_by=self.admin
        )
        with self.assertRaises(ValidationError) as caught:
            services.user_reset(
                account_request=request, actor=self.admin, user=self.citizen, new_password="1234", reset_totp=False
            )
        self.assertIn("new_password", caught.exception.message_dict)
        self.citizen.refresh_from_db()
        self.assertTrue(self.citizen.check_password(self.password))

    def test_it_keeps_argon2_as_the_production_hasher(self):
        from config import settings as production

        self.assertEqual(production.PASSWORD_HASHERS[0], "django.contrib.auth.hashers.Argon2PasswordHasher")
