"""Huey only wakes the data hub's large imports up; the IngestJob rows are the durable work (R1.2, DESIGN
"Durable work"); the obligations' reminders are made idempotent by their dedup keys (R1.3)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from ioc.datahub.services import (
    connectors_run_due,
    error_sheets_expire,
    error_sheets_run_due,
    ingest_jobs_run_due,
    obligation_reminders_send,
)


@db_task()
def run_jobs() -> int:
    """Woken after a large push is queued."""
    return ingest_jobs_run_due()


@db_periodic_task(crontab(minute="*"))
def sweep_jobs() -> int:
    """Every minute: queued jobs a lost wake-up left behind and jobs whose lease expired."""
    return ingest_jobs_run_due()


@db_periodic_task(crontab(minute="*/15"))
def send_obligation_reminders() -> int:
    """Every quarter hour: reminders before due instants and "đôn đốc" after them (each sent once)."""
    return obligation_reminders_send()


@db_task()
def run_connectors() -> int:
    """Woken when an administrator asks for a run now."""
    return connectors_run_due()


@db_periodic_task(crontab(minute="*"))
def sweep_connectors() -> int:
    """Every minute: pull connectors that are due (by `next_run_at`) or whose lease expired (R1.2b)."""
    return connectors_run_due()


@db_task()
def run_sheets() -> int:
    """Woken when a large file's annotated error sheet is first asked for (R1.4)."""
    return error_sheets_run_due()


@db_periodic_task(crontab(minute="*"))
def sweep_sheets() -> int:
    """Every minute: queued error sheets a lost wake-up left behind and those whose lease expired."""
    return error_sheets_run_due()


@db_periodic_task(crontab(minute="17", hour="2"))
def expire_kept_files() -> int:
    """Daily: the kept files of submissions with errors past DATAHUB_KEEP_UPLOAD_DAYS (R1.4 retention)."""
    return error_sheets_expire()
