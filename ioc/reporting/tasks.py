"""Huey only wakes the report calendar up (R8.2); the ReportObligation rows are the durable work (DESIGN
"Durable work"): each step selects by state and due day, claims with a lease, and is safe to run twice."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from ioc.accounts.selectors import system_account
from ioc.reporting.services import report_calendar_sync, report_drafts_run, report_reminders_send


@db_periodic_task(crontab(minute="7"))
def report_calendar_hourly() -> int:
    """Every hour: the calendar's obligations of the current and last period, drafts whose day has come (and
    those whose lease expired), reminders before and after the due day."""
    report_calendar_sync(actor=system_account())
    return report_drafts_run() + report_reminders_send()
