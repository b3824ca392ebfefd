"""Bulk builders of the benchmark dataset, one per domain flag of bench/dataset.py.

Each builder is `build(*, n: int, rng: random.Random) -> None` and writes with `bulk_insert`, which uses
COPY on PostgreSQL and large executemany batches on SQLite. Add a domain's builder here when it lands.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connection, transaction

BATCH = 20_000


def bulk_insert(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert rows fast: COPY on PostgreSQL, executemany in batches on SQLite. Returns the row count."""
    if connection.vendor == "postgresql":
        return _copy(table, columns, rows)
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({placeholders})'
    total = 0
    batch: list[Sequence[Any]] = []
    with transaction.atomic(), connection.cursor() as cursor:
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                total += len(batch)
                batch.clear()
        if batch:
            cursor.executemany(sql, batch)
            total += len(batch)
    return total


def _copy(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    total = 0
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg 3 cursor
        with raw.copy(f'COPY "{table}" ({", ".join(columns)}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
                total += 1
    return total


def reference_data(*, boundaries: bool) -> None:
    """The national units, boundaries and succession (idempotent)."""
    from ioc.geo.services import units_load

    units_load(boundaries=boundaries)


def build_audit_entries(*, n: int, rng: random.Random) -> None:
    """Unsealed audit entries, as a busy year of writes would leave them for the sealer."""
    start = datetime(2025, 7, 1, tzinfo=UTC)
    actions = ["account.create", "role.grant", "notification.enqueue", "geo.units_load", "agency.update"]

    def rows() -> Iterable[tuple[Any, ...]]:
        for i in range(n):
            changes = json.dumps({"n": i})
            yield (
                start + timedelta(seconds=i * 17),
                "bench",
                rng.choice(actions),
                "bench.row",
                str(i),
                f"row {i}",
                changes,
                "127.0.0.1",
                hashlib.md5(str(i).encode(), usedforsecurity=False).hexdigest(),
                "",
                "",
            )

    columns = [
        "created_at",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "changes",
        "address",
        "request_id",
        "digest",
        "link",
    ]
    bulk_insert("audit_auditentry", columns, rows())


BUILDERS: dict[str, Callable[..., None]] = {
    "audit_entries": build_audit_entries,
}

__all__ = ["BUILDERS", "bulk_insert", "reference_data"]
