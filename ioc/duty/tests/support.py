"""Shared set-up of the duty tests: a second IOC operator (the next shift) and signed-in clients. No tests here."""

from __future__ import annotations

from django.test import Client

from ioc.accounts import services as account_services
from ioc.accounts.choices import Role
from ioc.accounts.models import User
from ioc.accounts.testing import DOCUMENT, PASSWORD, sign_in


def next_operator(admin: User) -> User:
    """The operator of the next shift, provisioned on a written request approved by `admin`."""
    return account_services.account_provision(
        **DOCUMENT,
        approver=admin,
        actor=admin,
        username="truc-ca-sau",
        full_name="Cán bộ trực ca sau",
        email="truc-ca-sau@canary.invalid",
        password=PASSWORD,
        roles=[(Role.IOC_OPERATOR, None, None)],
        agency=None,
    )


def signed_in(user: User) -> Client:
    client = Client()
    sign_in(client, user)
    return client
