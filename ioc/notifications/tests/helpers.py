"""Small builders shared by the notification tests."""

from typing import Any

from ioc.accounts.models import User
from ioc.accounts.testing import system_actor


def make_user(username: str, *, email: str | None = None, phone: str = "", **extra: Any) -> User:
    """A recipient; the system account (the outbox's actor, R7.3) is created alongside when missing."""
    system_actor()
    email = f"{username}@canary.invalid" if email is None else email
    return User.objects.create(
        username=username, email=email, phone=phone, full_name=extra.pop("full_name", ""), **extra
    )
