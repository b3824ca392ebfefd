"""Background work of incidents. Huey only wakes it up; the timer rows are the durable work (R4.2)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from ioc.incidents.services import verification_escalate_due


@db_periodic_task(crontab(minute="*"))
def verification_due() -> int:
    """Every minute: alerts not verified in their kind's time are told to the IOC leaders (each once)."""
    return verification_escalate_due()
