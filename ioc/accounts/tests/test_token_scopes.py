"""DESIGN "Tokens": a token reaches a `token(...)` endpoint only when it carries the scope (else 403)."""

import datetime as dt
from typing import Any

from django.test import TestCase, override_settings
from django.utils import timezone

from ioc.accounts import services
from ioc.accounts.choices import RequestKind
from ioc.accounts.testing import DOCUMENT, Personas


@override_settings(ROOT_URLCONF="ioc.accounts.tests.token_scope_urls")
class TokenScopeTest(Personas, TestCase):
    def issue(self, scopes: list[str]) -> dict[str, Any]:
        request = services.account_request_record(
            kind=RequestKind.ISSUE_TOKEN, **DOCUMENT, approver=self.admin, requested_by=self.admin
        )
        _token, value = services.token_issue(
            account_request=request,
            actor=self.admin,
            user=self.system_user,
            scopes=scopes,
            expires_at=timezone.now() + dt.timedelta(days=30),
        )
        return {"HTTP_AUTHORIZATION": f"Bearer {value}"}

    def test_it_admits_a_token_with_the_scope(self):
        response = self.client.get("/api/v1/probe/sta/", **self.issue(["sta.write"]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["scopes"], ["sta.write"])

    def test_it_refuses_a_token_without_the_scope(self):
        response = self.client.get("/api/v1/probe/sta/", **self.issue(["open311.submit"]))
        self.assertEqual(response.status_code, 403)
        body = response.json()
        self.assertEqual(body["error"]["code"], "permission_denied")
        self.assertIn("request_id", body)

    def test_it_matches_a_dataset_scope_exactly(self):
        self.assertEqual(
            self.client.get("/api/v1/probe/dataset/", **self.issue(["datahub.push:schools"])).status_code, 200
        )
        self.assertEqual(
            self.client.get("/api/v1/probe/dataset/", **self.issue(["datahub.push:roads"])).status_code, 403
        )

    def test_it_refuses_a_signed_in_person_on_a_token_endpoint(self):
        self.sign_in(self.client, self.operator)
        self.assertIn(self.client.get("/api/v1/probe/sta/").status_code, (401, 403))
