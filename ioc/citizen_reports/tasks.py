"""Background work of citizen reports. Huey only wakes it up; the rows' state and times are the truth."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from ioc.citizen_reports.services import contact_erase_due, intake, report_surge_alerts


@db_periodic_task(crontab(minute="17", hour="2"))
def erase_due_contacts() -> int:
    """R7.5: daily at 02:17, erase reporters' contacts past the retention period (safe to run twice)."""
    return contact_erase_due()


@db_periodic_task(crontab(minute="*/5"))
def fetch_mailbox() -> int:
    """R3.1: every 5 minutes, turn new mail in the IOC mailbox into intake items (Message-ID deduplicates reruns)."""
    return intake.fetch_mailbox_task()


@db_periodic_task(crontab(minute="*/5"))
def raise_surge_alerts() -> int:
    """R4.1: every 5 minutes, one `citizen_reports.surge` alert per commune and category with a surge of reports
    (the alert's dedup key makes a rerun update it, never duplicate it)."""
    return report_surge_alerts()
