"""Huey only wakes the escalation up; the rows are the durable work (R3.3, R4.5; DESIGN "Durable work")."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from ioc.assignments.services import assignment_escalate_due


@db_periodic_task(crontab(minute="*"))
def escalate_due() -> int:
    """Every minute: escalation steps whose due time has passed, and rows whose lease expired (the sweeper)."""
    return assignment_escalate_due()
