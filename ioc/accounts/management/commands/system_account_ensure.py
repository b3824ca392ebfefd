"""`manage.py system_account_ensure`: the IOC's own account for a deployment that already has an administrator
(R7.2, R7.3). `bootstrap_admin` creates it on a new deployment; running this again changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ioc.accounts import selectors, services


class Command(BaseCommand):
    help = (
        "Tạo tài khoản hệ thống (tác nhân của lệnh cài đặt, dữ liệu mẫu, tiến trình nền) theo văn bản / "
        "Create the system account (actor of setup commands, demo data, background work) on a written document"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--document-no", required=True, help="Số văn bản / document number")
        parser.add_argument("--document-date", required=True, help="Ngày văn bản YYYY-MM-DD / document date")
        parser.add_argument("--issuing-body", default="Trung tâm Giám sát, điều hành thông minh (IOC)")
        parser.add_argument("--approver", default="", help="Tên đăng nhập người phê duyệt / approver's username")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            document_date = dt.date.fromisoformat(options["document_date"])
        except ValueError:
            raise CommandError("--document-date: ngày phải có dạng YYYY-MM-DD / expected YYYY-MM-DD") from None
        approver = None
        if options["approver"]:
            approver = selectors.user_list().filter(username=options["approver"]).first()
            if approver is None:
                raise CommandError(f"--approver: không có tài khoản / no account {options['approver']!r}")
        try:
            user = services.system_account_ensure(
                document_no=options["document_no"],
                document_date=document_date,
                issuing_body=options["issuing_body"],
                approver=approver,
            )
        except ValidationError as exc:
            lines = [f"{field}: {reason}" for field, reasons in exc.message_dict.items() for reason in reasons]
            raise CommandError("\n".join(lines)) from None
        self.stdout.write(self.style.SUCCESS(f"Tài khoản hệ thống / System account: {user.username}"))
