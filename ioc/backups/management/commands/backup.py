"""`./manage.py backup`: write an encrypted, checksummed archive while the system runs (R10.1).

The key is IOC_BACKUP_KEY; the archive goes to IOC_BACKUP_DIR (or `--output-dir`). Exit 1 naming what failed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ioc.accounts.selectors import system_account
from ioc.backups.services import BackupKeyMissing, backup_create, backup_directory


class Command(BaseCommand):
    help = "Sao lưu có mã hoá (cơ sở dữ liệu, tệp tải lên, tệp neo nhật ký) / Write an encrypted backup (R10.1)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output-dir", type=Path, help="thư mục đích / target folder (default IOC_BACKUP_DIR)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            run = backup_create(actor=system_account(), directory=options["output_dir"])
        except BackupKeyMissing as exc:
            raise CommandError(str(exc)) from None
        except Exception as exc:
            raise CommandError(f"Sao lưu thất bại / backup failed: {type(exc).__name__}: {exc}") from None
        folder = options["output_dir"] or backup_directory()
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã sao lưu / Backup written: {folder / run.file_name} ({run.size_bytes} bytes, {run.members} "
                f"files, SHA-256 {run.sha256})"
            )
        )
