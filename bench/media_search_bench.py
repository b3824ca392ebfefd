"""The topic query over a year of items (issue 22 "Speed": 5,000,000 items, ≤ 500 ms p95 on SQLite and PostgreSQL),
beside a plain `LIKE` scan of the folded text in the same run.

    .venv/bin/python bench/dataset.py --db sqlite --out var/bench-media.sqlite3 --fresh --no-boundaries \\
        --media-items 5000000
    .venv/bin/python bench/media_search_bench.py --out var/bench-media.sqlite3 [--runs 20] [--plain-runs 3]
    bash bench/pg-bench --build "--no-boundaries --media-items 5000000" --run bench/media_search_bench.py

A topic query is `ioc.media_watch.search.items_search(query, limit=50)`: the 50 newest items (by id, i.e. by
collection) matching a boolean query exactly — the word index (FTS5 / tsvector + GIN) gives candidates newest
first, the one matcher decides (marks, NEAR). The baseline is the same call with `plain=True`: `folded LIKE '%…%'`
for each term, newest first, the same matcher. Each query's answers are compared (the same ids). Queries: a common
word, a phrase, AND/NOT, NEAR, a term typed with marks, a rare place (one item in a thousand) and it AND a common word.

Results: printed as Markdown (copy them into docs/benchmarks.md with the data size and the machine's load).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.dataset import configure  # noqa: E402

QUERIES = [
    ("common word", "ngap"),
    ("phrase", '"mua lon"'),
    ("AND / NOT", 'lu AND "di doi" NOT "hoc sinh"'),
    ("NEAR", "sat NEAR/3 lo"),
    ("typed with marks", '"sạt lở"'),
    ("rare place", '"thu nghiem"'),
    ("rare AND", '"thu nghiem" AND ngap'),
]


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--out", default=str(ROOT / "var" / "bench-media.sqlite3"), help="SQLite file")
    parser.add_argument("--database-url", default="", help="--db postgresql")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--plain-runs", type=int, default=3)
    args = parser.parse_args(argv)
    args.fresh = False
    return args


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _time(query: str, *, plain: bool, runs: int) -> tuple[list[float], list[float], list[int]]:
    """Wall ms and this process's CPU ms per run (on SQLite the engine runs in-process, so the CPU column is the
    query's whole cost; on PostgreSQL it is the client's share), and the ids found."""
    from ioc.media_watch.search import items_search

    times, cpu, found = [], [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        found = items_search(query, limit=50, plain=plain)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return times, cpu, found


def _load() -> str:
    return "load average " + " ".join(f"{value:.1f}" for value in os.getloadavg())


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    configure(args)
    from django.db import connection

    from ioc.media_watch.models import Item

    total = Item.objects.count()
    print(f"{connection.vendor}: {total:,} items, {_load()} at the start\n")
    print(
        "| query | matches shown | index p50 ms | index p95 ms | index CPU p50 ms | LIKE p50 ms | LIKE max ms "
        "| same answer |"
    )
    print("|---|---|---|---|---|---|---|---|")
    worst = 0.0
    for label, query in QUERIES:
        _time(query, plain=False, runs=1)  # warm the page cache once
        indexed, cpu, ids = _time(query, plain=False, runs=args.runs)
        plain, _cpu, plain_ids = _time(query, plain=True, runs=args.plain_runs)
        worst = max(worst, _p95(indexed))
        print(
            f"| {label} `{query}` | {len(ids)} | {statistics.median(indexed):.1f} | {_p95(indexed):.1f} | "
            f"{statistics.median(cpu):.1f} | {statistics.median(plain):.1f} | {max(plain):.1f} | "
            f"{'yes' if ids == plain_ids else 'NO'} |"
        )
    print(f"\nworst index p95: {worst:.1f} ms (target ≤ 500 ms); {_load()} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
