"""R7.4: after AXES_FAILURE_LIMIT failed sign-ins the account is locked out, with a Vietnamese message;
an `unlock` request clears the lockout."""

from typing import Any

from django.conf import settings
from django.test import TestCase
from django.urls import reverse

from ioc.accounts import services
from ioc.accounts.choices import RequestKind
from ioc.accounts.testing import DOCUMENT, Personas


class LockoutTest(Personas, TestCase):
    def attempt(self, password: str) -> Any:
        return self.client.post(reverse("accounts:login"), {"username": self.citizen.username, "password": password})

    def test_it_shows_a_form_error_for_a_wrong_password(self):
        response = self.attempt("wrong-password")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Tên đăng nhập hoặc mật khẩu không đúng")

    def test_it_locks_out_after_the_failure_limit(self):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            self.assertEqual(self.attempt("wrong-password").status_code, 200)
        response = self.attempt("wrong-password")
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "Đăng nhập sai quá nhiều lần", status_code=429)
        # Even the right password is refused while locked out.
        self.assertEqual(self.attempt(self.password).status_code, 429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_it_clears_the_lockout_on_an_unlock_request(self):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            self.attempt("wrong-password")
        request = services.account_request_record(
            kind=RequestKind.UNLOCK, **DOCUMENT, approver=self.admin, requested_by=self.admin
        )
        services.user_unlock(account_request=request, actor=self.admin, user=self.citizen)
        response = self.attempt(self.password)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.client.session["_auth_user_id"], str(self.citizen.pk))
