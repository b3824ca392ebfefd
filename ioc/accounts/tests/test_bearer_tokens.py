"""DESIGN "Tokens": a malformed, unknown, expired or revoked bearer token gets 401 with the shared error body."""

import datetime as dt
from typing import Any

from django.test import TestCase
from django.utils import timezone

from ioc.accounts import services
from ioc.accounts.choices import RequestKind
from ioc.accounts.models import ApiToken
from ioc.accounts.testing import DOCUMENT, Personas

ME = "/api/v1/accounts/me/"


class BearerTokenTest(Personas, TestCase):
    def call(self, authorization: str) -> Any:
        return self.client.get(ME, HTTP_AUTHORIZATION=authorization)

    def assert_refused(self, response: Any, reason: str) -> None:
        self.assertEqual(response.status_code, 401, response.content)
        body = response.json()
        self.assertEqual(set(body), {"error", "request_id"})
        self.assertEqual(set(body["error"]), {"code", "message", "fields"})
        self.assertEqual(body["error"]["code"], "authentication_failed")
        self.assertIn(reason, body["error"]["message"])
        self.assertEqual(body["request_id"], response["X-Request-ID"])
        self.assertIn("Bearer", response["WWW-Authenticate"])

    def test_it_accepts_a_valid_token(self):
        response = self.call(f"Bearer {self.system_token}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["username"], self.system_user.username)
        self.assertIsNotNone(ApiToken.objects.get(user=self.system_user).last_used_at)

    def test_it_refuses_malformed_tokens(self):
        for value in ["Bearer", "Bearer a b", "Bearer not-a-token", "Bearer ioc_short_x", "Bearer ioc_ÿÿ"]:
            with self.subTest(value=value):
                self.assert_refused(self.call(value.encode("utf-8").decode("latin-1")), "Malformed")

    def test_it_refuses_an_unknown_token(self):
        self.assert_refused(self.call("Bearer ioc_0123456789_" + "x" * 40), "Invalid token")
        # The right prefix with a wrong secret is as unknown as any other.
        prefix = self.system_token.split("_")[1]
        self.assert_refused(self.call(f"Bearer ioc_{prefix}_" + "y" * 40), "Invalid token")

    def test_it_refuses_an_expired_token(self):
        ApiToken.objects.filter(user=self.system_user).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
        self.assert_refused(self.call(f"Bearer {self.system_token}"), "expired")

    def test_it_refuses_a_revoked_token(self):
        request = services.account_request_record(
            kind=RequestKind.REVOKE_TOKEN, **DOCUMENT, approver=self.admin, requested_by=self.admin
        )
        services.token_revoke(
            account_request=request, actor=self.admin, token=ApiToken.objects.get(user=self.system_user)
        )
        self.assert_refused(self.call(f"Bearer {self.system_token}"), "revoked")

    def test_it_refuses_the_token_of_a_locked_system(self):
        request = services.account_request_record(
            kind=RequestKind.LOCK, **DOCUMENT, approver=self.admin, requested_by=self.admin
        )
        services.user_lock(account_request=request, actor=self.admin, user=self.system_user)
        self.assert_refused(self.call(f"Bearer {self.system_token}"), "locked")

    def test_it_answers_401_without_any_credentials(self):
        response = self.client.get(ME)
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response.json()["error"]["code"], "not_authenticated")
