"""DESIGN "Conventions": the administrator's list pages run a fixed number of queries, however many rows."""

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ioc.accounts.choices import Role
from ioc.accounts.services import account_provision
from ioc.accounts.testing import DOCUMENT, Personas


class ListQueriesTest(Personas, TestCase):
    def count(self, name: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(reverse(name))
        self.assertEqual(response.status_code, 200)
        return len(captured)

    def add_people(self, n: int) -> None:
        for i in range(n):
            account_provision(
                **DOCUMENT, approver=self.admin, actor=self.admin, username=f"extra-{i}", full_name=f"Extra {i}",
                email=f"extra-{i}@canary.invalid", password=self.password, agency=self.agency_b,
                roles=[(Role.AGENCY_OFFICER, self.agency_b, None), (Role.AGENCY_HEAD, self.agency_b, None)],
            )  # fmt: skip

    def test_it_lists_users_and_requests_in_constant_queries(self):
        self.sign_in(self.client, self.admin)
        users, requests = self.count("accounts:users"), self.count("accounts:requests")
        self.add_people(5)
        self.assertEqual(self.count("accounts:users"), users)
        self.assertEqual(self.count("accounts:requests"), requests)
