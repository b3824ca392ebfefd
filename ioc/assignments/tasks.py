"""Huey only wakes the escalation up; the rows are the durable work (R3.3, R4.5; DESIGN "Durable work")."""

from __future__ import annotations

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from ioc.assignments.services import assignment_escalate_due


@db_periodic_task(crontab(minute="*"))
def escalate_due() -> int:
    """Every minute: escalation steps whose due time has passed, and rows whose lease expired (the sweeper) — all of
    them, up to `ESCALATION_SWEEP_LIMIT` (100,000): a backlog (after an outage, a holiday's end) drains in one run,
    in batches of its own transactions (docs/decisions/0015, 0017), not 100 a minute."""
    return assignment_escalate_due(limit=int(getattr(settings, "ESCALATION_SWEEP_LIMIT", 100_000)))
