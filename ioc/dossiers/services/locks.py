"""The intake serialised per dossier on PostgreSQL (R5.3; issue 23: the PostgreSQL push that stored 468 of 1,060).

Under READ COMMITTED two requests about one dossier each missed the other's uncommitted rows: an event was held
because its dossier's receipt was not committed yet, while the receipt's request, having read the held events
before that hold was committed, placed none. The event then waited for a receipt already stored, and the sweep
refused it a day later (`held_events_expire`). With the one-stop shop sending a dossier's events a few
milliseconds apart over several connections, most of a story was lost that way.

Each intake now takes a transaction-scoped advisory lock per (agency, bucket of dossier codes) before it reads
anything of its dossiers, in one statement, keys in ascending order (two batches cannot deadlock on them). A
second request on the same dossier waits for the first's commit, then reads afresh (READ COMMITTED: each statement
sees what was committed before it began) and finds the receipt or the held event. Codes share a bucket by hash,
so a batch takes at most `BUCKETS` locks (the lock table is shared by the cluster). SQLite's IMMEDIATE
transactions already run one writer at a time: nothing to do there.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.db import connection

BUCKETS = 256
_NAMESPACE = 0x0D05 << 48  # apart from the other advisory keys of the project (alerts_burst.BURST_LOCK)


def _bucket(code: str) -> int:
    return int.from_bytes(hashlib.blake2b(code.encode(), digest_size=4).digest()) % BUCKETS


def dossier_lock_keys(*, agency_id: int, codes: Iterable[str]) -> list[int]:
    """The advisory keys of `codes` of one agency, ascending (a stable hash: every process must agree)."""
    buckets = {_bucket(code) for code in codes if code}
    return sorted(_NAMESPACE + agency_id * BUCKETS + bucket for bucket in buckets)


def dossiers_lock(*, agency_id: int, codes: Iterable[str]) -> None:
    """Lock `codes` of the agency until the end of the current transaction (PostgreSQL; call inside one)."""
    if connection.vendor != "postgresql":
        return
    keys = dossier_lock_keys(agency_id=agency_id, codes=codes)
    if not keys:
        return
    # The ordered subquery is not flattened (it sorts), so the locks are taken in its order.
    sql = "SELECT count(pg_advisory_xact_lock(k)) FROM (SELECT unnest(%s::bigint[]) AS k ORDER BY 1) AS ordered"
    with connection.cursor() as cursor:
        cursor.execute(sql, [keys])
