"""Background work of the audit trail (R7.3): the sealer as a Huey periodic task.

Huey's scheduler fires at most once a minute; for sealing every few seconds run
`./manage.py audit_sealer --interval 5` as its own process. Both call the same `audit_seal`, whose lock
makes concurrent runs safe.
"""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from ioc.audit.services import audit_seal_backlog


@db_periodic_task(crontab(minute="*"))
def audit_seal_every_minute() -> int:
    """R7.3: seal committed entries; returns how many were sealed (a backlog is drained in batches)."""
    return audit_seal_backlog()
