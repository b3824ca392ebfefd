"""Background work of running the center (R10.2–R10.4). Huey only wakes it up; the rows are the durable work."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from ioc.accounts.selectors import system_account_or_none
from ioc.operations import services
from ioc.operations.services.deployment import applied_migrations, deployment_check, running_version


@db_periodic_task(crontab(minute="*/10"))
def shift_reminders() -> int:
    """Every 10 minutes: remind the people of published shifts starting soon (each duty once)."""
    return services.shift_reminders_send()


@db_periodic_task(crontab(minute="*"))
def change_windows() -> None:
    """Every minute: the approved change windows in the shared cache (the web shell's banner reads only it)."""
    services.change_windows_refresh()


@db_periodic_task(crontab(minute="*/15"))
def maintenance_reminders() -> int:
    """Every 15 minutes: due maintenance reminders (rows by due time, each sent once)."""
    return services.maintenance_reminders_send()


@db_periodic_task(crontab(minute="7"))
def deployment_watch() -> bool:
    """Hourly (and after each start through the command): an unapproved version or migration change is raised."""
    actor = system_account_or_none()  # a new deployment before `bootstrap_admin`: nothing to act as yet
    if actor is None:
        return False
    record = deployment_check(actor=actor, version=running_version(), migrations=applied_migrations())
    return record is not None and not record.approved
