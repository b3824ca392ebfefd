"""Background work of dossiers (R5.3). Huey only wakes it up; the rows' due times and leases are the truth."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from ioc.accounts.selectors import system_account
from ioc.dossiers.services import (
    dossier_events_pull,
    dossiers_sweep_due,
    held_events_expire,
    service_scores_compute,
)


@db_periodic_task(crontab(minute="*/5"))
def sweep_due_dossiers() -> int:
    """R5.3: every 5 minutes, re-check the dossiers whose step or limit fell due with no event (by due time)."""
    return dossiers_sweep_due(actor=system_account())


@db_periodic_task(crontab(minute="*/15"))
def expire_held_events() -> int:
    """R5.3: every 15 minutes, refuse the events whose dossier was never received within the holding time."""
    return held_events_expire()


@db_periodic_task(crontab(hour="1", minute="30"))
def recompute_service_scores() -> int:
    """R5.3: every night, Decision 766's scores of the current month and the one before (late events and the
    dataset's corrections reach a closed month too); the rows written."""
    today = timezone.localdate()
    last_month = today.replace(day=1) - dt.timedelta(days=1)
    return sum(len(service_scores_compute(month=day, actor=system_account())) for day in (last_month, today))


@db_periodic_task(crontab(minute="*/5"))
def pull_dossier_events() -> int:
    """R5.3: every 5 minutes, the events pull connectors stored in `dossier_events` datasets, past the watermark."""
    return dossier_events_pull(actor=system_account())
