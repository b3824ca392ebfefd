"""CPU time of the incidents' two hot paths in-process, without pacing (issue 12 "Speed"): figures that move less
with the machine's load than `bench/incidents_bench.py`'s wall clock.

    .venv/bin/python bench/incidents_cpu.py --out var/bench-inc.sqlite3 storm --alerts 10000 --burst 10
    .venv/bin/python bench/incidents_cpu.py --out var/bench-inc.sqlite3 sweep --rows 10000 --batch 5000

storm: the storm plan of `incidents_bench` (same seed, keys and points) raised by `alert_raise_many` in bursts of
`--burst`, back to back; prints the CPU time per alert. sweep: one `assignment_escalate_due` over the first
`--rows` due deadlines with batches of `--batch` rows; prints the CPU time per step and each kind of statement's
CPU time. Both write into the database: copy the base back before the next run.
"""

from __future__ import annotations

import argparse
import collections
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=str(ROOT / "var" / "bench-inc.sqlite3"))
    sub = parser.add_subparsers(dest="what", required=True)
    storm = sub.add_parser("storm")
    storm.add_argument("--alerts", type=int, default=10_000)
    storm.add_argument("--burst", type=int, default=10)
    sweep = sub.add_parser("sweep")
    sweep.add_argument("--rows", type=int, default=10_000)
    sweep.add_argument("--batch", type=int, default=5_000)
    args = parser.parse_args(argv)
    args.db, args.database_url, args.fresh = "sqlite", "", False
    return args


def storm(args: argparse.Namespace) -> None:
    from django.utils import timezone

    from bench import incidents_bench
    from ioc.accounts.selectors import system_account
    from ioc.incidents.services import AlertInput, alert_raise_many

    options = incidents_bench.parse_args(["--alerts", str(args.alerts)])
    plan = incidents_bench.storm_plan(options, random.Random(options.seed))
    system = system_account()
    cpu, wall = time.process_time(), time.perf_counter()
    for start in range(0, len(plan), args.burst):
        chunk = plan[start : start + args.burst]
        items = [AlertInput(**{k: v for k, v in p.items() if k != "at"}, occurred_at=timezone.now()) for p in chunk]
        alert_raise_many(alerts=items, actor=system)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    per_alert = cpu / len(plan) * 1e6
    print(f"storm: {len(plan)} alerts in bursts of {args.burst}: CPU {per_alert:.0f} µs/alert, wall {wall:.1f} s")


def sweep(args: argparse.Namespace) -> None:
    from django.db import connection
    from django.urls import reverse

    from ioc.assignments.choices import OPEN_STATUSES
    from ioc.assignments.models import Assignment
    from ioc.assignments.services import assignment_escalate_due, escalation_sweep

    reverse("assignments:detail", args=[1])  # a worker has its URLconf loaded: not timed
    escalation_sweep.BATCH = args.batch
    waiting = Assignment.objects.filter(status__in=OPEN_STATUSES, next_escalation_at__isnull=False)
    moment = waiting.order_by("next_escalation_at").values_list("next_escalation_at", flat=True)[args.rows - 1]
    spent: dict[str, list[Any]] = collections.defaultdict(lambda: [0, 0.0])

    def timed(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        begun = time.process_time()
        try:
            return execute(sql, params, many, context)
        finally:
            entry = spent[" ".join(sql.split()[:3])[:60]]
            entry[0] += 1
            entry[1] += time.process_time() - begun

    cpu = time.process_time()
    with connection.execute_wrapper(timed):
        fired = assignment_escalate_due(now=moment, limit=args.rows)
    cpu = time.process_time() - cpu
    print(f"sweep: {args.rows} rows, {fired} steps: CPU {cpu:.2f} s = {cpu / max(fired, 1) * 1e6:.0f} µs/step")
    for statement, (count, seconds) in sorted(spent.items(), key=lambda kv: -kv[1][1])[:10]:
        print(f"  {seconds:6.3f} s  {count:4d}×  {statement}")


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    from bench.dataset import configure

    configure(args)
    {"storm": storm, "sweep": sweep}[args.what](args)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
