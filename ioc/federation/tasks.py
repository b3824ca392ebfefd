"""Huey only wakes the federation sender up; the outbox rows are the durable work (R9.3; DESIGN "Durable work")."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from ioc.federation import services


@db_periodic_task(crontab(minute="*"))
def deliver_due() -> int:
    """Every minute: due rows, retries whose back-off ended, rows whose lease expired (the sweeper)."""
    return services.deliver_due()


@db_periodic_task(crontab(minute="*/5"))
def collect() -> int:
    """Every five minutes: the agreed flows of every link into its outbox; old delivery ids forgotten."""
    services.deliveries_forget()
    return services.collect_all()


@db_task()
def wake_sender() -> int:
    """Scheduled on commit by `messages_enqueue` so new messages leave at once."""
    return services.deliver_due()
