"""Readiness checks (R10.1): database, pending migrations, the worker's heartbeat, the outbox backlog.

Each check answers (ok, detail). `/readyz` answers 200 with every check, or 503 naming the failing ones.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from ioc.notifications.selectors import outbox_oldest_undelivered_age
from ioc.web.selectors import worker_last_beat

logger = logging.getLogger("ioc.web.health")


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "detail": self.detail}


def _error(exc: Exception) -> str:
    """Only the error's class: /readyz is public, the message may name tables or hosts (the log has it all)."""
    logger.warning("readiness check failed: %s", exc)
    return type(exc).__name__


# Migrations do not un-apply themselves: once none is pending, this process stops re-reading the graph.
_migrations_seen_complete = False


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return Check("database", False, _error(exc))
    return Check("database", True, connection.vendor)


def check_migrations() -> Check:
    global _migrations_seen_complete
    if _migrations_seen_complete:
        return Check("migrations", True, "0 pending")
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        return Check("migrations", False, _error(exc))
    if plan:
        names = ", ".join(f"{migration.app_label}.{migration.name}" for migration, _backwards in plan[:5])
        return Check("migrations", False, f"{len(plan)} pending: {names}")
    _migrations_seen_complete = True
    return Check("migrations", True, "0 pending")


def check_worker() -> Check:
    limit = settings.READY_WORKER_HEARTBEAT_SECONDS
    try:
        beat = worker_last_beat()
    except DatabaseError as exc:
        return Check("worker", False, _error(exc))
    if beat is None:
        return Check("worker", False, "no heartbeat yet")
    age = (timezone.now() - beat).total_seconds()
    return Check("worker", age < limit, f"last heartbeat {age:.0f} s ago (limit {limit} s)")


def _seconds(age: timedelta | float | int | None) -> float | None:
    if age is None:
        return None
    if isinstance(age, timedelta):
        return age.total_seconds()
    return float(age)


def check_outbox() -> Check:
    limit = settings.READY_OUTBOX_MAX_AGE_SECONDS
    try:
        age = _seconds(outbox_oldest_undelivered_age())
    except DatabaseError as exc:
        return Check("outbox", False, _error(exc))
    if age is None:
        return Check("outbox", True, "empty")
    return Check("outbox", age < limit, f"oldest undelivered {age:.0f} s (limit {limit} s)")


CHECKS: tuple[Callable[[], Check], ...] = (check_database, check_migrations, check_worker, check_outbox)


def readiness() -> list[Check]:
    """Runs every check; a check that needs the database is not run against a dead one."""
    results = [check_database()]
    if not results[0].ok:
        return results + [Check(c.__name__.removeprefix("check_"), False, "database down") for c in CHECKS[1:]]
    return results + [check() for check in CHECKS[1:]]
