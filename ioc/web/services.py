"""Writes of the web shell: the worker's heartbeat (R10.1).

The heartbeat is operational telemetry written every 30 seconds by the worker itself, not an action of a
person on domain data, so it is not audited (an audit entry every 30 s would bury the real ones).
"""

from __future__ import annotations

import os
import socket

from django.db import transaction
from django.utils import timezone

from ioc.web.models import WorkerHeartbeat

WORKER = "worker"


@transaction.atomic
def worker_heartbeat_record(*, name: str = WORKER) -> WorkerHeartbeat:
    """R10.1: the worker proves it runs tasks; /readyz fails when the last beat is too old."""
    beat, _created = WorkerHeartbeat.objects.update_or_create(
        name=name,
        defaults={"beat_at": timezone.now(), "host": socket.gethostname()[:120], "pid": os.getpid()},
    )
    return beat
