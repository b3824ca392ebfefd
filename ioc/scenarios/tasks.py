"""Background work of scenarios (R4.6): the trigger sweep (indicator warnings in force, the last hour's alerts)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from ioc.scenarios.services import scenario_triggers_sweep


@db_periodic_task(crontab(minute="*/5"))
def sweep_triggers() -> int:
    """R4.6: every 5 minutes; safe to run twice (each occurrence is seen once per scenario)."""
    return scenario_triggers_sweep()
