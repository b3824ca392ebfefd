"""Background work of citizen reports. Huey only wakes it up; the rows' state and times are the truth."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from ioc.citizen_reports.services import contact_erase_due, intake


@db_periodic_task(crontab(minute="17", hour="2"))
def erase_due_contacts() -> int:
    """R7.5: daily at 02:17, erase reporters' contacts past the retention period (safe to run twice)."""
    return contact_erase_due()


@db_periodic_task(crontab(minute="*/5"))
def fetch_mailbox() -> int:
    """R3.1: every 5 minutes, turn new mail in the IOC mailbox into intake items (Message-ID deduplicates reruns)."""
    return intake.fetch_mailbox_task()
