"""Huey only wakes work up (DESIGN "Durable work"): the data-call reminders (the calls are the durable rows, R2.6),
the recurring calls (the rules are) and the sources' sync (the watermarks are, DESIGN "Datasets → indicators")."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from ioc.accounts.selectors import system_account
from ioc.indicators.services import call_rules_open_due, data_calls_remind, indicator_sources_sync


@db_periodic_task(crontab(minute="*/15"))
def remind_data_calls() -> int:
    """Every 15 minutes: open calls whose next reminder is due (selected by due time, safe to run twice)."""
    return data_calls_remind(actor=system_account())


@db_periodic_task(crontab(minute="*/15"))
def open_recurring_data_calls() -> int:
    """Every 15 minutes: rules whose next period's call is due open it (by due time; each period claimed once)."""
    return call_rules_open_due(actor=system_account())


@db_periodic_task(crontab(minute="*/5"))
def sync_indicator_sources() -> int:
    """Every 5 minutes: dataset-fed indicators past their watermark, sensor-fed ones' recent periods."""
    return indicator_sources_sync(actor=system_account()).stored
