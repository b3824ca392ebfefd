"""Scheduled backups (R10.1): Huey wakes `backup_due_run` every quarter hour; the BackupRun rows are the work."""

from __future__ import annotations

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from ioc.accounts.selectors import system_account
from ioc.backups.services import backup_due_run


@db_periodic_task(crontab(minute="*/15"))
def backup_scheduled() -> int:
    """Write the due archives (a slot every IOC_BACKUP_EVERY_HOURS; 0 turns the schedule off) and prune old ones."""
    if int(settings.IOC_BACKUP_EVERY_HOURS) <= 0:
        return 0
    return backup_due_run(actor=system_account())
