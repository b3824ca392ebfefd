"""R5.6 (issue 21 "kept for a set time, partitioned by time on PostgreSQL"): security events in native declarative
partitions by month of `occurred_at` on PostgreSQL; SQLite keeps one table.

- The table becomes partitioned in migration 0007 (`partition_table`, PostgreSQL only): the primary key is
  `(id, occurred_at)` and the dedup key `(digest, occurred_at)` — a unique key of a partitioned table must hold the
  partition key; the digest covers the event's time, so the pair is as unique as the digest was.
- One partition per UTC month, `cybersecurity_securityevent_pYYYYMM`, and a DEFAULT partition for an event dated
  outside them (a sender's clock years off): never a refused batch. `partitions_ensure` creates the months from the
  retention's start to `CYBER_EVENT_PARTITIONS_AHEAD` months ahead; a month created over rows the DEFAULT partition
  holds takes them with it (moved in the same transaction, then attached).
- Retention (`services.events.events_purge`) drops the months wholly before the cutoff and deletes only the rows of
  the cutoff's own month (and the DEFAULT partition's old ones).

Names come from `_meta` and dates; nothing here takes user input.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "cybersecurity_securityevent"
DEFAULT = f"{TABLE}_default"
SEQUENCE = f"{TABLE}_pid_seq"


def month_start(moment: dt.datetime) -> dt.datetime:
    moment = moment.astimezone(dt.UTC)
    return dt.datetime(moment.year, moment.month, 1, tzinfo=dt.UTC)


def month_next(start: dt.datetime) -> dt.datetime:
    return dt.datetime(start.year + start.month // 12, start.month % 12 + 1, 1, tzinfo=dt.UTC)


def partition_name(start: dt.datetime) -> str:
    return f"{TABLE}_p{start:%Y%m}"


def is_partitioned(conn: BaseDatabaseWrapper | None = None) -> bool:
    """True on PostgreSQL once migration 0007 ran (relkind 'p')."""
    conn = conn or connection
    if conn.vendor != "postgresql":
        return False
    with conn.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [TABLE])
        row = cursor.fetchone()
    return bool(row and row[0] == "p")


def months(conn: BaseDatabaseWrapper | None = None) -> dict[str, tuple[dt.datetime, dt.datetime]]:
    """The monthly partitions that exist: name → (from, to)."""
    conn = conn or connection
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = to_regclass(%s)",
            [TABLE],
        )
        names = [name for (name,) in cursor.fetchall()]
    found = {}
    for name in names:
        suffix = name.removeprefix(f"{TABLE}_p")
        if name == DEFAULT or len(suffix) != 6 or not suffix.isdigit():
            continue
        start = dt.datetime(int(suffix[:4]), int(suffix[4:]), 1, tzinfo=dt.UTC)
        found[name] = (start, month_next(start))
    return found


@contextmanager
def checks_settled() -> Iterator[None]:
    """PostgreSQL refuses to DROP or ATTACH a table with pending trigger events: the deferred foreign-key checks of
    events inserted earlier in the same transaction (a test's, or a caller's batch). Checked now, then deferred
    again as Django's constraints are by default."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        try:
            yield
        finally:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _month_create(cursor: Any, start: dt.datetime) -> None:
    """One month: rows of its range the DEFAULT partition holds move into it before it is attached (ATTACH checks
    the DEFAULT partition holds none of its range)."""
    name, end = partition_name(start), month_next(start)
    execute = cursor.execute
    execute(f'CREATE TABLE "{name}" (LIKE "{TABLE}" INCLUDING DEFAULTS)')
    execute(
        f'WITH moved AS (DELETE FROM "{DEFAULT}" WHERE occurred_at >= %s AND occurred_at < %s RETURNING *) '  # noqa: S608 - names from constants and dates
        f'INSERT INTO "{name}" SELECT * FROM moved',
        [start, end],
    )
    execute(f'ALTER TABLE "{TABLE}" ATTACH PARTITION "{name}" FOR VALUES FROM (%s) TO (%s)', [start, end])


def partitions_ensure(*, now: dt.datetime, since: dt.datetime | None = None) -> list[str]:
    """Create the months from `since` (default: the retention's start) to `CYBER_EVENT_PARTITIONS_AHEAD` months
    after `now`; returns the names created. Run twice, it creates nothing (the caller's transaction holds it)."""
    first = month_start(since or now - dt.timedelta(days=settings.CYBER_EVENT_RETENTION_DAYS))
    last = month_start(now)
    for _ in range(settings.CYBER_EVENT_PARTITIONS_AHEAD):
        last = month_next(last)
    existing = months()
    created = []
    with connection.cursor() as cursor:
        start = first
        while start <= last:
            if partition_name(start) not in existing:
                _month_create(cursor, start)
                created.append(partition_name(start))
            start = month_next(start)
    return created


def partitions_drop_before(*, cutoff: dt.datetime) -> tuple[list[str], int]:
    """Drop the months that end at or before the cutoff (every row past the retention); returns their names and
    how many rows they held."""
    dropped, rows = [], 0
    with connection.cursor() as cursor:
        for name, (_start, end) in sorted(months().items()):
            if end > cutoff:
                continue
            cursor.execute(f'SELECT count(*) FROM "{name}"')  # noqa: S608 - a partition's name from pg_class
            rows += cursor.fetchone()[0]
            cursor.execute(f'DROP TABLE "{name}"')
            dropped.append(name)
    return dropped, rows


def partition_table(conn: BaseDatabaseWrapper, *, now: dt.datetime) -> None:
    """Migration 0007 on PostgreSQL: the plain table becomes a partitioned one with the same columns, constraints
    and indexes (read from the catalogue, so they keep the names Django's migrations gave them), its rows copied
    into the months they fall in."""
    old = f"{TABLE}_unpartitioned"
    with conn.cursor() as cursor:
        cursor.execute(f'ALTER TABLE "{TABLE}" RENAME TO "{old}"')
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = to_regclass(%s) AND contype IN ('u', 'f') ORDER BY conname",
            [old],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid = to_regclass(%s) AND NOT i.indisprimary "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
            [old],
        )
        indexes = cursor.fetchall()
        cursor.execute(f'SELECT min(occurred_at), max(id) FROM "{old}"')  # noqa: S608 - constant name
        oldest, max_id = cursor.fetchone()
        cursor.execute(f'CREATE SEQUENCE "{SEQUENCE}" AS bigint')
        cursor.execute(
            f'CREATE TABLE "{TABLE}" (LIKE "{old}" INCLUDING DEFAULTS, PRIMARY KEY (id, occurred_at)) '
            "PARTITION BY RANGE (occurred_at)"
        )
        cursor.execute(f'ALTER TABLE "{TABLE}" ALTER id SET DEFAULT nextval(\'"{SEQUENCE}"\')')
        cursor.execute(f'ALTER SEQUENCE "{SEQUENCE}" OWNED BY "{TABLE}".id')
        cursor.execute(f'CREATE TABLE "{DEFAULT}" PARTITION OF "{TABLE}" DEFAULT')
    earliest = now - dt.timedelta(days=settings.CYBER_EVENT_RETENTION_DAYS)
    since = max(oldest, earliest - dt.timedelta(days=31)) if oldest else None
    with conn.cursor() as cursor:
        start, last = month_start(min(since or earliest, earliest)), month_start(now)
        for _ in range(settings.CYBER_EVENT_PARTITIONS_AHEAD):
            last = month_next(last)
        while start <= last:
            cursor.execute(
                f'CREATE TABLE "{partition_name(start)}" PARTITION OF "{TABLE}" FOR VALUES FROM (%s) TO (%s)',
                [start, month_next(start)],
            )
            start = month_next(start)
        cursor.execute(f'INSERT INTO "{TABLE}" SELECT * FROM "{old}"')  # noqa: S608 - constant names
        if max_id:
            cursor.execute("SELECT setval(%s, %s)", [SEQUENCE, max_id])
        cursor.execute(f'DROP TABLE "{old}"')
        # the new key was named while the old one still held "<table>_pkey"
        cursor.execute("SELECT conname FROM pg_constraint WHERE conrelid = to_regclass(%s) AND contype = 'p'", [TABLE])
        (key,) = cursor.fetchone()
        if key != f"{TABLE}_pkey":
            cursor.execute(f'ALTER TABLE "{TABLE}" RENAME CONSTRAINT "{key}" TO "{TABLE}_pkey"')
        for name, definition in constraints:
            cursor.execute(f'ALTER TABLE "{TABLE}" ADD CONSTRAINT "{name}" {definition}')
        for _name, definition in indexes:
            cursor.execute(definition.replace(f"public.{old} ", f"public.{TABLE} ").replace(f" {old} ", f" {TABLE} "))
