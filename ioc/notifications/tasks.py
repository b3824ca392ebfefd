"""Huey only wakes the sender up; the outbox rows are the durable work (R4.5; DESIGN "Durable work")."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from ioc.notifications.services import outbox_deliver_all_due, wake_pending_clear


@db_periodic_task(crontab(minute="*"))
def deliver_due() -> int:
    """Every minute: due rows, retries whose back-off ended, and rows whose lease expired (the sweeper)."""
    return outbox_deliver_all_due()


@db_task()
def wake_sender() -> int:
    """Scheduled on commit by `notification_enqueue` so a new message leaves at once (one queued at a time)."""
    wake_pending_clear()
    return outbox_deliver_all_due()
