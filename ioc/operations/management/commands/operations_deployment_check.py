"""R10.2: compare the running version and applied migrations with the approved changes — run right after `migrate`
in every start path (systemd ExecStartPre, the Procfile worker, scripts/demo); see services/deployment.py for why.

A new deployment has no system account until `bootstrap_admin`: the check then says so and exits 0, so the first
start is not blocked; the hourly task records the baseline once the account exists."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ioc.accounts.selectors import system_account_or_none
from ioc.operations.services.deployment import applied_migrations, deployment_check, running_version


class Command(BaseCommand):
    help = "So sánh phiên bản, migration đang chạy với thay đổi đã phê duyệt / Check for unapproved changes"

    def handle(self, *args: Any, **options: Any) -> None:
        actor = system_account_or_none()
        if actor is None:
            self.stdout.write(
                self.style.WARNING(
                    "Chưa có tài khoản hệ thống: bỏ qua, sẽ kiểm tra hằng giờ / No system account yet: skipped"
                )
            )
            return
        record = deployment_check(actor=actor, version=running_version(), migrations=applied_migrations())
        if record is None:
            self.stdout.write("Không đổi / unchanged")
        elif record.approved:
            self.stdout.write(f"Đã ghi nhận / recorded: {record}")
        else:
            self.stdout.write(self.style.WARNING(f"Chưa được phê duyệt / unapproved: {record}"))
