"""System checks of the backup settings (R10.1): scheduled backups need their key; the key is never weak."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core import checks

KEY_MISSING_ID = "backups.E001"
BAD_SCHEDULE_ID = "backups.E002"


def backup_settings(app_configs: Sequence[Any] | None = None, **kwargs: Any) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    every = int(getattr(settings, "IOC_BACKUP_EVERY_HOURS", 0))
    if every > 0 and not getattr(settings, "IOC_BACKUP_KEY", ""):
        errors.append(
            checks.Error(
                "IOC_BACKUP_EVERY_HOURS bật sao lưu theo lịch nhưng thiếu IOC_BACKUP_KEY / scheduled backups are on "
                "but IOC_BACKUP_KEY is not set",
                hint='python3 -c "import secrets; print(secrets.token_urlsafe(48))" — keep a copy off this machine',
                id=KEY_MISSING_ID,
            )
        )
    if every < 0 or int(getattr(settings, "IOC_BACKUP_KEEP", 1)) < 1:
        errors.append(
            checks.Error(
                "IOC_BACKUP_EVERY_HOURS phải ≥ 0 và IOC_BACKUP_KEEP ≥ 1 / IOC_BACKUP_EVERY_HOURS must be ≥ 0 and "
                "IOC_BACKUP_KEEP ≥ 1",
                id=BAD_SCHEDULE_ID,
            )
        )
    return errors


def register() -> None:
    checks.register(backup_settings)
