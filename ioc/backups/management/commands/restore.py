"""`./manage.py restore <archive>`: bring a backup back onto a clean location (R10.1).

Refuses, with a clear message and exit 1, a wrong key, a damaged or altered archive, an archive written under other
settings (keys, profile, database engine) and a location that is not empty; nothing is written then.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ioc.backups.archive import RestoreRefused
from ioc.backups.services import BackupKeyMissing, backup_key, backup_restore


class Command(BaseCommand):
    help = "Khôi phục bản sao lưu vào nơi còn trống / Restore a backup onto a clean location (R10.1)"
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        source: Path = options["archive"]
        if not source.is_file():
            raise CommandError(f"Không thấy tệp / no such file: {source}")
        try:
            header = backup_restore(source=source, secret=backup_key())
        except BackupKeyMissing as exc:
            raise CommandError(str(exc)) from None
        except RestoreRefused as exc:
            raise CommandError(f"Từ chối khôi phục / restore refused ({exc.code}): {exc}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã khôi phục bản sao lưu lúc {header['created_at']} / Restored the backup of {header['created_at']}."
                " Chạy / run `manage.py audit_verify`."
            )
        )
