"""The sealer loop behind `manage.py audit_sealer` (R7.3): seal every few seconds until told to stop."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from django.db import DatabaseError, close_old_connections

from ioc.audit.services import SEAL_BATCH, audit_seal_backlog

logger = logging.getLogger(__name__)


def sealer_loop(
    *,
    stop: threading.Event,
    interval: float,
    batch: int = SEAL_BATCH,
    max_rounds: int | None = None,
    on_sealed: Callable[[int], None] | None = None,
) -> int:
    """R7.3: seal, then wait `interval` seconds (woken at once by `stop`); returns the rounds run.

    `on_sealed(n)` is called after each round that sealed something (the command prints it).

    A database error (a lock held too long, a dropped connection) is logged and the next round retries.
    """
    rounds = 0
    while not stop.is_set():
        try:
            sealed = audit_seal_backlog(batch=batch)
        except DatabaseError:
            logger.exception("audit sealer: round failed, retrying in %s s", interval)
            sealed = 0
        if sealed and on_sealed is not None:
            on_sealed(sealed)
        close_old_connections()
        rounds += 1
        if max_rounds is not None and rounds >= max_rounds:
            break
        stop.wait(interval)
    return rounds
