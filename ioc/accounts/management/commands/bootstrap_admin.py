"""`manage.py bootstrap_admin`: the first system administrator, on a bootstrap account request (R7.2)."""

from __future__ import annotations

import datetime as dt
import getpass
import os
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ioc.accounts import services

PASSWORD_ENV = "IOC_BOOTSTRAP_PASSWORD"


class Command(BaseCommand):
    help = (
        "Tạo quản trị hệ thống đầu tiên theo văn bản / Create the first system administrator on a written document "
        f"(password from ${PASSWORD_ENV} or a prompt)"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--document-no", required=True, help="Số văn bản / document number")
        parser.add_argument("--document-date", required=True, help="Ngày văn bản YYYY-MM-DD / document date")
        parser.add_argument("--issuing-body", default="Trung tâm Giám sát, điều hành thông minh (IOC)")
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument("--full-name", default="Quản trị hệ thống")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            document_date = dt.date.fromisoformat(options["document_date"])
        except ValueError:
            raise CommandError("--document-date: ngày phải có dạng YYYY-MM-DD / expected YYYY-MM-DD") from None
        password = os.environ.get(PASSWORD_ENV) or self._prompt_password()
        try:
            user = services.admin_bootstrap(
                document_no=options["document_no"],
                document_date=document_date,
                issuing_body=options["issuing_body"],
                username=options["username"],
                email=options["email"],
                password=password,
                full_name=options["full_name"],
            )
        except ValidationError as exc:
            lines = [f"{field}: {reason}" for field, reasons in exc.message_dict.items() for reason in reasons]
            raise CommandError("\n".join(lines)) from None
        self.stdout.write(
            self.style.SUCCESS(f"Đã tạo quản trị hệ thống / System administrator created: {user.username}")
        )
        self.stdout.write("Đăng nhập lần đầu sẽ yêu cầu đăng ký TOTP / The first sign-in enrols TOTP.")

    def _prompt_password(self) -> str:
        if not os.isatty(0):
            raise CommandError(f"Cần mật khẩu: đặt ${PASSWORD_ENV} / A password is needed: set ${PASSWORD_ENV}")
        first = getpass.getpass("Mật khẩu / Password: ")
        if first != getpass.getpass("Nhập lại / Again: "):
            raise CommandError("Hai mật khẩu không khớp / The passwords differ")
        return first
