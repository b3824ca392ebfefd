"""Huey only wakes the information-security watch up (R5.6, DESIGN "Durable work"): the asset rows are the durable
check work (due by `next_check_at`, leased); the event rules' states and the retention are swept by time."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from ioc.accounts.selectors import system_account
from ioc.cybersecurity.services import checks_run_due, event_rules_sweep, events_purge


@db_periodic_task(crontab(minute="*"))
def run_checks() -> int:
    """Every minute: the assets whose check is due, and those whose lease expired."""
    return checks_run_due()


@db_periodic_task(crontab(minute="*"))
def sweep_event_rules() -> int:
    """Every minute: resolve the alerts of event rules quiet for a whole window."""
    return event_rules_sweep(actor=system_account())


@db_periodic_task(crontab(minute="17", hour="3"))
def purge_events() -> int:
    """Nightly: security events past the retention."""
    return events_purge(actor=system_account())
