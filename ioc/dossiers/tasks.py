"""Background work of dossiers (R5.3). Huey only wakes it up; the rows' due times and leases are the truth."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from ioc.accounts.selectors import system_account
from ioc.dossiers.services import dossiers_sweep_due, held_events_expire


@db_periodic_task(crontab(minute="*/5"))
def sweep_due_dossiers() -> int:
    """R5.3: every 5 minutes, re-check the dossiers whose step or limit fell due with no event (by due time)."""
    return dossiers_sweep_due(actor=system_account())


@db_periodic_task(crontab(minute="*/15"))
def expire_held_events() -> int:
    """R5.3: every 15 minutes, refuse the events whose dossier was never received within the holding time."""
    return held_events_expire()
