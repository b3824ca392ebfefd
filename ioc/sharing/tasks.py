"""Huey only wakes the reminders up; the pending requests and their due times are the durable state, and the
outbox's dedup keys make a second run send nothing twice (R1.6, DESIGN "Durable work")."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from ioc.sharing.services import access_request_reminders_send


@db_periodic_task(crontab(minute="*/15"))
def send_request_reminders() -> int:
    """Every quarter hour: remind owners before a request's due time and chase overdue ones (each once)."""
    return access_request_reminders_send()
