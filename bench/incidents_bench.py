"""Incidents under load (issue 12 "Speed"): a storm burst of alerts through `alert_raise`, and the escalation
sweep `assignment_escalate_due` draining due deadlines among the open ones.

    .venv/bin/python bench/dataset.py --db sqlite --out var/bench-inc.sqlite3 --fresh --incidents 100000
    .venv/bin/python bench/incidents_bench.py --db sqlite --out var/bench-inc.sqlite3
    bash bench/pg-bench --build "--incidents 100000" --run bench/incidents_bench.py

Storm: `--alerts` alerts (default 10,000) arrive at `--rate` per second (default 10,000 in a minute) from sensors,
cameras, service checks and media, over `--keys` distinct dedup keys (Zipf-weighted: most repeat an open alert,
which updates it) in the territory's communes (points inside their boundaries), so many attach to the open
incidents of the same kind and commune that the dataset holds. `--workers` threads take them in arrival order,
each waits until its alert's arrival moment and calls `alert_raise` as the system account; an alert is in the
inbox when its transaction commits, so its latency is commit − arrival (queueing included). With `--batch N` a
worker takes every alert that has arrived (up to N) and raises them with `alert_raise_many`, one transaction.

Drain: the moment T at which `--drain` deadlines (default 2,000; 0 = every open one) are due, then
`assignment_escalate_due(now=T)` is run until nothing is due at T; first, an empty sweep (nothing due) is timed.
`--sweepers N` is passed to `assignment_escalate_due(sweepers=N)` (default 1, the figure of one sweep): on
PostgreSQL a drain then runs N sweeps at once, each in its own thread and connection, their batches apart by FOR
UPDATE SKIP LOCKED (decision 0017; the product's default is `ESCALATION_SWEEPERS`, 2); on SQLite one sweep.
The script writes into the benchmark database: rebuild it before a second run.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

STORM_KINDS = ("env.flood_level", "env.air_quality", "camera.crowd", "service.down", "media.negative")
SOURCES = {
    "env.flood_level": "sensors",
    "env.air_quality": "sensors",
    "camera.crowd": "cameras",
    "service.down": "service_checks",
    "media.negative": "media",
}


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--out", default=str(ROOT / "var" / "bench-inc.sqlite3"))
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--alerts", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=10_000 / 60, help="arrivals per second")
    parser.add_argument("--keys", type=int, default=800, help="distinct dedup keys")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--batch", type=int, default=1, help="alerts per transaction: 1 = alert_raise each; N = alert_raise_many"
    )
    parser.add_argument("--drain", type=int, default=2_000, help="due deadlines to drain; 0 = all open")
    parser.add_argument("--limit", type=int, default=1000, help="rows per assignment_escalate_due call (drain)")
    parser.add_argument(
        "--sweepers", type=int, default=1, help="drain: concurrent sweepers (PostgreSQL: SKIP LOCKED keeps them apart)"
    )
    parser.add_argument("--only", default="storm,drain")
    parser.add_argument("--seed", type=int, default=20261203)
    args = parser.parse_args(argv)
    args.fresh = False
    return args


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def storm_plan(args: argparse.Namespace, rng: random.Random) -> list[dict[str, Any]]:
    """The alerts of the burst: (kind, commune, key) picked Zipf-like from `--keys` keys; arrival offsets."""
    from bench.builders import BENCH_PROFILE, _point_pools
    from ioc.geo.selectors import territory_get
    from ioc.incidents.choices import KINDS

    territory = territory_get(profile=BENCH_PROFILE)
    assert territory is not None
    units = list(territory.communes.order_by("code"))
    pools = _point_pools(units, rng, per_unit=8)
    keys = [(rng.choice(STORM_KINDS), rng.choice(units), n) for n in range(args.keys)]
    weights = [1 / (n + 1) for n in range(args.keys)]
    plan = []
    for i, (kind, unit, n) in enumerate(rng.choices(keys, weights=weights, k=args.alerts)):
        plan.append(
            {
                "at": i / args.rate,
                "source": SOURCES[kind],
                "dedup_key": f"bench:{kind}:{unit.code}:{n}",
                "kind": kind,
                "severity": KINDS[kind].default_severity,
                "title": f"{KINDS[kind].label} ({unit.name})",
                "point": rng.choice(pools[unit.pk]),
                "payload": {"n": i},
            }
        )
    return plan


def storm(args: argparse.Namespace) -> dict[str, Any]:
    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone

    from ioc.accounts.selectors import system_account
    from ioc.incidents.models import Alert
    from ioc.incidents.services import AlertInput, alert_raise, alert_raise_many
    from ioc.notifications.models import Outbox

    plan = storm_plan(args, random.Random(args.seed))
    system = system_account()
    before = {"alerts": Alert.objects.count(), "outbox": Outbox.objects.count()}
    latencies: list[float] = []
    service: list[float] = []  # alert_raise's own time (a batch's with --batch), without the wait in the queue
    batches: list[int] = []
    errors: list[str] = []
    lock, cursor = threading.Lock(), iter(range(len(plan)))
    start = time.perf_counter() + 0.5

    def take() -> list[int]:
        """The next alert (waiting for its arrival) and, with --batch, every one that has arrived after it."""
        with lock:
            first = next(cursor, None)
            if first is None:
                return []
            wait = start + plan[first]["at"] - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            taken = [first]
            while len(taken) < args.batch and taken[-1] + 1 < len(plan):
                if start + plan[taken[-1] + 1]["at"] > time.perf_counter():
                    break
                nxt = next(cursor, None)
                if nxt is None:
                    break
                taken.append(nxt)
            return taken

    def raise_them(taken: list[int]) -> list[str]:
        now = timezone.now()
        items = [{k: v for k, v in plan[i].items() if k != "at"} for i in taken]
        if args.batch == 1:
            alert_raise(**items[0], occurred_at=now, actor=system)
            return []
        inputs = [AlertInput(**item, occurred_at=now) for item in items]
        return [repr(r) for r in alert_raise_many(alerts=inputs, actor=system) if not isinstance(r, Alert)]

    def work() -> None:
        try:
            while taken := take():
                begun = time.perf_counter()
                try:
                    refused = raise_them(taken)
                except Exception as error:  # counted and shown: a storm must not lose alerts silently
                    errors.append(repr(error))
                    continue
                errors.extend(refused)
                done = time.perf_counter()
                with lock:
                    latencies.extend(done - (start + plan[i]["at"]) for i in taken)
                    service.append(done - begun)
                    batches.append(len(taken))
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _n in range(args.workers)]
    cpu = time.process_time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    mine = Alert.objects.filter(dedup_key__startswith="bench:")
    states = dict(mine.values_list("state").annotate(n=Count("id")).order_by())
    return {
        "alerts": len(plan),
        "workers": args.workers,
        "batch": args.batch,
        "mean_batch": round(statistics.mean(batches), 1) if batches else None,
        "wall_s": round(wall, 1),
        "throughput_per_s": round(len(latencies) / wall, 1),
        "p50_s": round(percentile(latencies, 0.50), 3) if latencies else None,
        "p95_s": round(percentile(latencies, 0.95), 3) if latencies else None,
        "max_s": round(max(latencies), 3) if latencies else None,
        "service_p50_s": round(percentile(service, 0.50), 3) if service else None,
        "service_p95_s": round(percentile(service, 0.95), 3) if service else None,
        "cpu_us_per_alert": round(cpu / max(len(latencies), 1) * 1e6),  # this process, both threads
        "errors": len(errors),
        "first_error": errors[0] if errors else "",
        "alert_rows_added": Alert.objects.count() - before["alerts"],
        "alert_states": states,
        "outbox_rows_added": Outbox.objects.count() - before["outbox"],
    }


def drain(args: argparse.Namespace) -> dict[str, Any]:
    import datetime as dt

    from ioc.assignments.choices import OPEN_STATUSES
    from ioc.assignments.models import Assignment
    from ioc.assignments.services import assignment_escalate_due

    waiting = Assignment.objects.filter(status__in=OPEN_STATUSES, next_escalation_at__isnull=False)
    moments = waiting.order_by("next_escalation_at").values_list("next_escalation_at", flat=True)
    total_open = waiting.count()
    earliest = moments.first()
    assert earliest is not None, "no open deadlines: build the dataset with --incidents N"
    empty = []
    for _n in range(5):
        started = time.perf_counter()
        assert assignment_escalate_due(now=earliest - dt.timedelta(seconds=1)) == 0
        empty.append(time.perf_counter() - started)
    from django.urls import reverse

    reverse("assignments:detail", args=[1])  # a worker has its URLconf loaded after its first task: not timed
    target = args.drain or total_open
    moment = moments[min(target, total_open) - 1]
    due = waiting.filter(next_escalation_at__lte=moment).count()
    fired, rounds, started, cpu = 0, 0, time.perf_counter(), time.process_time()
    while True:
        fired += assignment_escalate_due(now=moment, limit=args.limit, sweepers=args.sweepers)
        rounds += 1
        if not waiting.filter(next_escalation_at__lte=moment, escalation_lease_until__isnull=True).exists():
            break
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {
        # CPU time of this process (SQLite runs in it): the per-step cost, less sensitive to the machine's load
        "cpu_s": round(cpu, 1),
        "cpu_us_per_step": round(cpu / max(fired, 1) * 1e6),
        "wall_us_per_step": round(wall / max(fired, 1) * 1e6),
        "open_deadlines": total_open,
        "empty_sweep_ms": round(statistics.median(empty) * 1000, 1),
        "due_rows": due,
        "steps_fired": fired,
        "rounds": rounds,
        "limit": args.limit,
        "sweepers": args.sweepers,
        "wall_s": round(wall, 1),
        "rows_per_s": round(due / wall, 1),
        "projected_100k_s": round(100_000 / (due / wall), 0),
    }


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    from bench.dataset import configure

    configure(args)
    only = set(args.only.split(","))
    load = os.getloadavg()[0]
    print(f"load average before: {load:.1f}")
    results: dict[str, Any] = {}
    if "storm" in only:
        results["storm"] = storm(args)
        print("storm:", results["storm"], flush=True)
    if "drain" in only:
        print(f"load average before the drain: {os.getloadavg()[0]:.1f}")
        results["drain"] = drain(args)
        print("drain:", results["drain"], flush=True)
    out = ROOT / "var" / f"bench-incidents-{args.db}.txt"
    out.write_text(f"load {load:.1f}\n{results}\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
