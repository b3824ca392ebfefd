"""Security events by agency and rule over 30 days (issue 21 "Speed": ≤ 300 ms p95 with 10,000,000 events), on the
database `bench/dataset.py --security-events N` builds:

    .venv/bin/python bench/dataset.py --db sqlite --out var/bench-cyber-events.sqlite3 --fresh \
        --security-events 10000000
    .venv/bin/python bench/cyber_events_bench.py --db sqlite --out var/bench-cyber-events.sqlite3
    bash bench/pg-bench --build "--security-events 10000000" --run bench/cyber_events_bench.py

In-process with the production settings, `--repeats` times each, wall time per call (p50 / p95 / max) and this
process's CPU time per call (p50; on PostgreSQL the client's share only):
1. `selectors.event_counts` as the system account (the whole territory) and as one agency's officer (its scope);
   it reads the daily cells (`ioc/cybersecurity/rollup.py`);
2. the same figure counted from the events themselves (the plain GROUP BY the cells replace), `--plain` times:
   the reason the cells exist;
3. the explorer's first page (`selectors.event_list`, newest 100).
The figures go to var/bench-cyber-events-<db>.md with the row counts and the load average.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--out", default=str(ROOT / "var" / "bench-cyber-events.sqlite3"))
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--plain", type=int, default=3, help="runs of the plain GROUP BY over the events")
    args = parser.parse_args(argv)
    args.fresh = False
    return args


def percentile(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return round(ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)], 1)


def timed(call: Any, repeats: int) -> dict[str, Any]:
    """Wall ms per call (p50, p95, max) and this process's CPU ms per call (p50: on SQLite the engine runs
    in-process, so it is the call's whole cost; on PostgreSQL the client's share)."""
    times, cpu = [], []
    result = None
    for _ in range(repeats):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = call()
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return {"p50": percentile(times, 0.5), "p95": percentile(times, 0.95), "max": round(max(times), 1),
            "cpu": percentile(cpu, 0.5), "n": repeats, "rows": len(result or [])}  # fmt: skip


def plain_counts(user: Any) -> list[dict[str, Any]]:
    """What the cells replace: the events of the last 30 local days grouped by agency and rule."""
    import datetime as dt

    from django.db.models import Count
    from django.utils import timezone

    from ioc.accounts.selectors import scope_filter, user_scope
    from ioc.common.periods import LOCAL_TZ
    from ioc.cybersecurity.models import SecurityEvent

    first = dt.datetime.combine(timezone.localdate() - dt.timedelta(days=29), dt.time(), tzinfo=LOCAL_TZ)
    qs = scope_filter(SecurityEvent.objects.all(), scope=user_scope(user=user), agency_field="agency_id")
    rows = qs.filter(occurred_at__gte=first).values("agency__name", "rule").annotate(n=Count("id"))
    return [dict(row) for row in rows.order_by("-n")[:50]]


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings_bench")
    from bench.dataset import configure

    configure(args)
    from ioc.accounts.choices import Role
    from ioc.accounts.models import User
    from ioc.accounts.selectors import system_account
    from ioc.cybersecurity import selectors
    from ioc.cybersecurity.models import EventDay, SecurityEvent

    events, cells = SecurityEvent.objects.count(), EventDay.objects.count()
    everyone = system_account()
    officer = (
        User.objects.filter(role_assignments__role=Role.AGENCY_OFFICER, is_active=True).order_by("username").first()
    )
    load = round(os.getloadavg()[0], 1)
    figures = {
        "cells, territory": timed(lambda: selectors.event_counts(user=everyone), args.repeats),
        "events page (newest 100)": timed(
            lambda: selectors.event_list(user=everyone, query=selectors.EventQuery()), args.repeats
        ),
    }
    if officer is not None:
        figures[f"cells, one agency ({officer.username})"] = timed(
            lambda: selectors.event_counts(user=officer), args.repeats
        )
    if args.plain:  # --plain 0: the cells and the page only (the GROUP BY takes minutes at 10,000,000 on SQLite)
        figures["plain GROUP BY, territory"] = timed(lambda: plain_counts(everyone), args.plain)
    lines = [
        f"security events by agency and rule over 30 days — {args.db}, {events:,} events, {cells:,} daily cells, "
        f"load {load} → {round(os.getloadavg()[0], 1)}",
        "",
        "| call | n | p50 ms | p95 ms | max ms | CPU p50 ms | rows |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, f in figures.items():
        lines.append(f"| {name} | {f['n']} | {f['p50']} | **{f['p95']}** | {f['max']} | {f['cpu']} | {f['rows']} |")
    text = "\n".join(lines) + "\n"
    (ROOT / "var" / f"bench-cyber-events-{args.db}.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
