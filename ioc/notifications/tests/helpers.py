"""Small builders shared by the notification tests."""

from typing import Any

from ioc.accounts.models import User


def make_user(username: str, *, email: str | None = None, phone: str = "", **extra: Any) -> User:
    email = f"{username}@canary.invalid" if email is None else email
    return User.objects.create(
        username=username, email=email, phone=phone, full_name=extra.pop("full_name", ""), **extra
    )
