"""Background tasks of the web shell: the worker heartbeat every 30 seconds (R10.1).

Huey's scheduler ticks once a minute, so the periodic task beats and schedules a second beat 30 s later.
A beat is written when a consumer starts and whenever it executes these tasks, so a fresh beat proves a consumer
is alive and (after the first minute) that the scheduler enqueues work.
"""

from __future__ import annotations

from django.db import close_old_connections
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, on_startup

from ioc.web.services import worker_heartbeat_record

HALF_MINUTE = 30


@db_task()
def worker_heartbeat() -> None:
    worker_heartbeat_record()


@db_periodic_task(crontab(minute="*"))
def worker_heartbeat_tick() -> None:
    worker_heartbeat_record()
    worker_heartbeat.schedule(delay=HALF_MINUTE)


@on_startup()
def worker_heartbeat_on_start() -> None:
    """A consumer that just started is ready at once, not at the scheduler's next minute."""
    try:
        worker_heartbeat_record()
    finally:
        close_old_connections()
