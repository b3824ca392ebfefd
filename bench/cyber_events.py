"""The `--security-events N` builder of `bench/dataset.py` (issue 21 "Speed"): N normalised security events over
the retention (`CYBER_EVENT_RETENTION_DAYS`, 180 days by default) for the benchmark deployment's agencies, and the
daily cells of `ioc.cybersecurity.rollup` that the services would have kept while writing them.

Shape: 40 rules with a skewed frequency (a few noisy rules: SSH brute force, web 400s, IDS scans), 300 hosts, the
agencies of the benchmark profile with a skewed share (the data center's firewall reports most; 10 % of events have
no agency), severities 1–5 mostly low; events a little denser in recent days. Rows are written in bulk
(`builders.bulk_insert`: COPY on PostgreSQL, executemany on SQLite), the cells with the services' own upsert.
"""

from __future__ import annotations

import hashlib
import random
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

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


def _rules(rng: random.Random) -> tuple[list[str], list[float]]:
    prefixes = ("syslog:sshd", "wazuh:31101", "suricata:2010935", "wazuh:5710", "cef:Fortinet/FortiGate:0419016384")
    rules = list(prefixes) + [
        f"{rng.choice(('wazuh', 'suricata', 'cef:Palo'))}:{rng.randint(1000, 99999)}" for _ in range(35)
    ]
    weights = [1.0 / (rank + 1) ** 1.1 for rank in range(len(rules))]
    return rules, weights


def build_security_events(*, n: int, rng: random.Random, events: bool = True) -> None:
    """N events and their cells; `events=False` (`--security-event-cells N`) writes the cells only: the same draws,
    so the cells are those N events would leave — what the 30-day query reads — without the rows themselves."""
    from django.conf import settings
    from django.db import connection, transaction

    from bench.builders import bench_setup, bulk_insert
    from ioc.agencies.models import Agency
    from ioc.cybersecurity.models import SecurityEvent
    from ioc.cybersecurity.rollup import cells_add, local_day

    bench_setup()
    agencies = list(Agency.objects.order_by("code").values_list("pk", flat=True))
    agency_weights = [1.0 / (rank + 1) for rank in range(len(agencies))]
    rules, rule_weights = _rules(rng)
    hosts = [f"host-{i:03d}" for i in range(300)]
    now = datetime.now(UTC)
    span = timedelta(days=settings.CYBER_EVENT_RETENTION_DAYS).total_seconds()
    cells: Counter[tuple[Any, int, str]] = Counter()
    # Draws in blocks (random.choices with weights is the slow part row by row).
    block = 100_000

    def rows() -> Iterable[tuple[Any, ...]]:
        made = 0
        while made < n:
            size = min(block, n - made)
            rule_draw = rng.choices(rules, rule_weights, k=size)
            agency_draw = rng.choices(agencies, agency_weights, k=size)
            for i in range(size):
                number = made + i
                # Denser lately: the square root of a uniform draw leans towards 1 (now).
                age = span * (1.0 - rng.random() ** 0.5)
                at = now - timedelta(seconds=age)
                agency = None if rng.random() < 0.1 else agency_draw[i]
                rule = rule_draw[i]
                cells[(local_day(at), agency or 0, rule)] += 1
                digest = hashlib.sha256(f"bench-event-{number}".encode()).hexdigest()
                yield (
                    at,
                    at + timedelta(milliseconds=rng.randint(5, 900)),
                    FORMATS[number % 4],
                    "10.0.0.1",
                    hosts[number % 300],
                    rule,
                    min(5, 1 + int(rng.expovariate(1.2))),
                    agency,
                    f"bench event {number}",
                    digest,
                )
            made += size

    if connection.vendor == "sqlite":
        rows_iter: Iterable[tuple[Any, ...]] = (
            (r[0].isoformat(sep=" "), r[1].isoformat(sep=" "), *r[2:]) for r in rows()
        )
    else:
        rows_iter = rows()
    if events:
        bulk_insert(SecurityEvent._meta.db_table, COLUMNS, rows_iter)
    else:
        for _row in rows():  # the draws alone fill `cells`
            pass
    with transaction.atomic():
        cells_add(cells)
    with connection.cursor() as cursor:  # fresh statistics for the planner
        cursor.execute("ANALYZE")
