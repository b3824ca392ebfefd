"""The `--security-events N` builder of `bench/dataset.py` (issue 21 "Speed"): N normalised security events over
the retention (`CYBER_EVENT_RETENTION_DAYS`, 180 days by default) for the benchmark deployment's agencies, and the
daily cells of `ioc.cybersecurity.rollup` that the services would have kept while writing them.

Shape: 40 rules with a skewed frequency (a few noisy rules: SSH brute force, web 400s, IDS scans), 300 hosts, the
agencies of the benchmark profile with a skewed share (the data center's firewall reports most; 10 % of events have
no agency), severities 1–5 mostly low; events a little denser in recent days.

Built for 10,000,000 rows (the 1,000,000-row build took 664 s on SQLite, 162 s on PostgreSQL row by row through
`copy.write_row`): the draws are numpy arrays per block of 200,000, the times formatted by numpy, the cells counted
with `np.unique` on the local day (Asia/Ho_Chi_Minh has no summer time: UTC+7), and the rows written as text —
one `COPY … FROM STDIN` fed in blocks on PostgreSQL (into the monthly partitions, the index builds with 1 GB of
maintenance_work_mem), sqlite3's own `executemany` on SQLite (a commit per block, `synchronous=OFF` for the build) —
with the table's secondary indexes and constraints dropped first and built once at the end (read back from the
catalogue, so they keep their migration names).
"""

from __future__ import annotations

import hashlib
import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np

FORMATS = ("syslog", "cef", "wazuh", "eve")
COLUMNS = [
    "occurred_at",
    "received_at",
    "format",
    "source",
    "host",
    "rule",
    "severity",
    "agency_id",
    "message",
    "digest",
]
BLOCK = 200_000
LOCAL_OFFSET_S = 7 * 3600  # Asia/Ho_Chi_Minh: UTC+7 all year
EPOCH_DAY = date(1970, 1, 1)


def _rules(rng: random.Random) -> tuple[list[str], list[float]]:
    prefixes = ("syslog:sshd", "wazuh:31101", "suricata:2010935", "wazuh:5710", "cef:Fortinet/FortiGate:0419016384")
    rules = list(prefixes) + [
        f"{rng.choice(('wazuh', 'suricata', 'cef:Palo'))}:{rng.randint(1000, 99999)}" for _ in range(35)
    ]
    weights = [1.0 / (rank + 1) ** 1.1 for rank in range(len(rules))]
    return rules, weights


@dataclass
class Block:
    """One block of draws: row numbers from `first`, times in epoch microseconds, indexes into rules and agencies
    (-1: no agency)."""

    first: int
    at_us: np.ndarray
    received_us: np.ndarray
    rule: np.ndarray
    agency: np.ndarray
    severity: np.ndarray


def _blocks(n: int, rng: random.Random, rule_weights: list[float], agency_weights: list[float], span: float,
            now_us: int) -> Iterator[Block]:  # fmt: skip
    gen = np.random.default_rng(rng.getrandbits(64))
    rule_cum = np.cumsum(rule_weights) / sum(rule_weights)
    agency_cum = np.cumsum(agency_weights) / sum(agency_weights)
    made = 0
    while made < n:
        size = min(BLOCK, n - made)
        # Denser lately: the square root of a uniform draw leans towards 1 (now).
        age_us = (span * (1.0 - gen.random(size) ** 0.5) * 1e6).astype(np.int64)
        at_us = now_us - age_us
        agency = np.minimum(np.searchsorted(agency_cum, gen.random(size)), len(agency_cum) - 1)
        agency = np.where(gen.random(size) < 0.1, -1, agency)
        yield Block(
            first=made,
            at_us=at_us,
            received_us=at_us + gen.integers(5, 901, size) * 1000,
            rule=np.minimum(np.searchsorted(rule_cum, gen.random(size)), len(rule_cum) - 1),
            agency=agency,
            severity=np.minimum(5, 1 + np.floor(gen.exponential(1 / 1.2, size)).astype(np.int64)),
        )
        made += size


def _cells(block: Block, cells: Counter[tuple[Any, int, str]], rules: list[str], agencies: list[int]) -> None:
    days = (block.at_us // 1_000_000 + LOCAL_OFFSET_S) // 86400
    key = (days * 1000 + (block.agency + 1)) * 100 + block.rule
    values, counts = np.unique(key, return_counts=True)
    for value, count in zip(values.tolist(), counts.tolist(), strict=True):
        rest, rule = divmod(value, 100)
        day, agency = divmod(rest, 1000)
        agency_key = agencies[agency - 1] if agency else 0
        cells[(EPOCH_DAY + timedelta(days=day), agency_key, rules[rule])] += count


def _times(us: np.ndarray, sep: str, suffix: str) -> list[str]:
    text = np.datetime_as_string(us.astype("datetime64[us]"), unit="us")
    return [t.replace("T", sep) + suffix for t in text.tolist()]


def _rows(block: Block, rules: list[str], agencies: list[int], sqlite: bool) -> list[tuple[Any, ...]]:
    suffix = "" if sqlite else "+00"
    at = _times(block.at_us, " ", suffix)
    received = _times(block.received_us, " ", suffix)
    rule_names = [rules[i] for i in block.rule.tolist()]
    agency_ids = [agencies[i] if i >= 0 else None for i in block.agency.tolist()]
    severity = block.severity.tolist()
    rows = []
    for i in range(len(at)):
        number = block.first + i
        rows.append(
            (
                at[i],
                received[i],
                FORMATS[number % 4],
                "10.0.0.1",
                f"host-{number % 300:03d}",
                rule_names[i],
                severity[i],
                agency_ids[i],
                f"bench event {number}",
                hashlib.sha256(b"bench-event-%d" % number).hexdigest(),
            )
        )
    return rows


def _copy_text(rows: list[tuple[Any, ...]]) -> bytes:
    """COPY's text format: tab-separated, \\N for NULL (no field here holds a tab, newline or backslash)."""
    return "".join(
        "\t".join("\\N" if v is None else str(v) for v in row) + "\n" for row in rows
    ).encode()  # fmt: skip


def _secondary_drop(cursor: Any, table: str, vendor: str) -> list[str]:
    """Drop the table's indexes and unique/foreign-key constraints (not the primary key); return the statements
    that build them again."""
    again = []
    if vendor == "postgresql":
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = to_regclass(%s) AND contype IN ('u', 'f')",
            [table],
        )
        for name, definition in cursor.fetchall():
            cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
            again.append(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid = to_regclass(%s) AND NOT i.indisprimary",
            [table],
        )
        for name, definition in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{name}"')
            # a partitioned table's index reads back as "ON ONLY", which builds none on the partitions (an invalid
            # index the planner never uses: the first 10,000,000-row build read the explorer's page by Seq Scan)
            again.append(definition.replace(" ON ONLY ", " ON ", 1))
    else:
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
                       [table])  # fmt: skip
        for name, definition in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{name}"')
            again.append(definition)
    return again


def build_security_events(*, n: int, rng: random.Random, events: bool = True) -> None:
    """N events and their cells; `events=False` (`--security-event-cells N`) writes the cells only: the same draws,
    so the cells are those N events would leave — what the 30-day query reads — without the rows themselves."""
    from django.conf import settings
    from django.db import connection, transaction

    from bench.builders import bench_setup
    from ioc.agencies.models import Agency
    from ioc.cybersecurity.models import SecurityEvent
    from ioc.cybersecurity.rollup import cells_add

    bench_setup()
    agencies = list(Agency.objects.order_by("code").values_list("pk", flat=True))
    agency_weights = [1.0 / (rank + 1) for rank in range(len(agencies))]
    rules, rule_weights = _rules(rng)
    now_us = int(datetime.now(UTC).timestamp() * 1e6)
    span = timedelta(days=settings.CYBER_EVENT_RETENTION_DAYS).total_seconds()
    cells: Counter[tuple[Any, int, str]] = Counter()
    blocks = _blocks(n, rng, rule_weights, agency_weights, span, now_us)
    table, vendor = SecurityEvent._meta.db_table, connection.vendor
    columns = ", ".join(COLUMNS)
    if not events:
        for block in blocks:  # the draws alone fill `cells`
            _cells(block, cells, rules, agencies)
    elif vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            again = _secondary_drop(cursor, table, vendor)
            with cursor.cursor.copy(f'COPY "{table}" ({columns}) FROM STDIN') as copy:
                for block in blocks:
                    _cells(block, cells, rules, agencies)
                    copy.write(_copy_text(_rows(block, rules, agencies, sqlite=False)))
            # this transaction only: the B-tree sorts of 10,000,000 keys in memory instead of spilling to disk
            cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
            for statement in again:
                cursor.execute(statement)
    else:
        _sqlite_load(blocks, cells, rules, agencies, table)
    with transaction.atomic():
        cells_add(cells)
    with connection.cursor() as cursor:  # fresh statistics for the planner
        cursor.execute("ANALYZE")


def _sqlite_load(blocks: Iterator[Block], cells: Counter[tuple[Any, int, str]], rules: list[str],
                 agencies: list[int], table: str) -> None:  # fmt: skip
    """SQLite: the rows through sqlite3's own executemany, a transaction per block (one transaction of 10,000,000
    rows would grow the WAL to the table's size before its checkpoint) and `synchronous=OFF` for this build's
    connection only (a benchmark file, built again if lost); the indexes and the unique key built once at the end."""
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        again = _secondary_drop(cursor, table, "sqlite")
    raw = connection.connection
    raw.execute("PRAGMA synchronous=OFF")
    raw.execute("PRAGMA cache_size=-1000000")  # 1 GB for this connection: the index sorts
    sql = f'INSERT INTO "{table}" ({", ".join(COLUMNS)}) VALUES ({", ".join(["?"] * len(COLUMNS))})'
    for block in blocks:
        _cells(block, cells, rules, agencies)
        with transaction.atomic():
            raw.executemany(sql, _rows(block, rules, agencies, sqlite=True))
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in again:
            cursor.execute(statement)
