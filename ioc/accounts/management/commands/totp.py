"""`manage.py totp <username>`: the current TOTP code of an account's confirmed device (R7.4; demo and support)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ioc.accounts import selectors
from ioc.accounts.otp import totp_code


class Command(BaseCommand):
    help = "In mã TOTP hiện tại của tài khoản / Print the account's current TOTP code"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = selectors.user_list(include_removed=True).filter(username=options["username"]).first()
        if user is None:
            raise CommandError("Không tìm thấy tài khoản / No such account")
        device = selectors.totp_device_confirmed(user=user)
        if device is None:
            raise CommandError("Tài khoản chưa đăng ký TOTP / The account has no confirmed TOTP device")
        self.stdout.write(totp_code(device))
