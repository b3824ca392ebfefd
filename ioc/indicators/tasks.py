"""Huey only wakes the data-call reminders up; the calls are the durable rows (R2.6; DESIGN "Durable work")."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from ioc.accounts.selectors import system_account
from ioc.indicators.services import data_calls_remind


@db_periodic_task(crontab(minute="*/15"))
def remind_data_calls() -> int:
    """Every 15 minutes: open calls whose next reminder is due (selected by due time, safe to run twice)."""
    return data_calls_remind(actor=system_account())
