"""Background work of sensors. Huey only wakes it up; rule states with their due times are the durable work
(R4.1; DESIGN "Durable work")."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from ioc.accounts.selectors import system_account
from ioc.sensors.services import cameras_flag_silent, observation_receipts_prune, rules_sweep


@db_periodic_task(crontab(minute="*"))
def rules_due() -> dict[str, int]:
    """Every minute: pending *for* timers that are due fire, silent sources fire "no data", firing states whose
    silence has ended reach the inbox."""
    return rules_sweep()


@db_periodic_task(crontab(minute="*"))
def cameras_silent() -> int:
    """Every minute: cameras silent for longer than their heartbeat are flagged (R5.2)."""
    return cameras_flag_silent()


@db_periodic_task(crontab(minute="23", hour="3"))
def receipts_prune() -> int:
    """Daily: MQTT receipts older than any possible redelivery go (docs/decisions/0007 "Duplicate window")."""
    return observation_receipts_prune(actor=system_account())
