"""Extra accounts for the shell's tests beyond the shared personas (ioc.accounts.testing), made the same way."""

from __future__ import annotations

import itertools

from django.test import Client

from ioc.accounts import services
from ioc.accounts.models import User
from ioc.accounts.testing import DOCUMENT, PASSWORD, sign_in

_counter = itertools.count(1)


def person(admin: User, role: str, *, agency=None) -> User:
    """One more account with one role, created on a written request approved by `admin`."""
    n = next(_counter)
    return services.account_provision(
        **DOCUMENT,
        approver=admin,
        actor=admin,
        username=f"web-{role.replace('_', '-')}-{n}",
        full_name=f"Người dùng {n}",
        email=f"web-user-{n}@canary.invalid",
        password=PASSWORD,
        roles=[(role, agency, None)],
        agency=agency,
    )


def signed_in(user: User) -> Client:
    client = Client()
    sign_in(client, user)
    return client
