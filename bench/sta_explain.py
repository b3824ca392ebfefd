"""The plans of the SensorThings reads at 10,000,000 observations (issue 11 "Speed"), on a database built with
`--observations` (a kept cluster, docs/benchmarks.md "Kept PostgreSQL clusters"):

    IOC_BENCH_PGDATA=$PWD/var/pg-sta10m bash bench/pg-bench --build "--no-boundaries --sensors 200 \\
        --observations 10000000" --run bench/sta_explain.py

Each request runs once in-process (Django test client, anonymous); its statements over `sensors_observation` are
captured as executed and run again under `EXPLAIN (ANALYZE, BUFFERS)`. `expand-latest` (each of 100 Datastreams'
newest reading) is explained twice: as it runs now, each UNION ALL arm an index scan of its Datastream alone, and
with the per-row visibility join it had before (`--before`: Observations joined to their Datastream, Thing and
agency in every arm), under a statement timeout.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.sta_get_bench import LATEST, quoted, samples  # noqa: E402


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["postgresql"], default="postgresql")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--timeout", type=int, default=120, help="statement timeout (s) of the joined plan")
    parser.add_argument("--lines", type=int, default=30, help="plan lines printed per statement")
    args = parser.parse_args(argv)
    args.out, args.fresh = "", False
    return args


def captured(path: str) -> tuple[float, list[str]]:
    """The request's wall time (ms) and its statements reading observations, as executed."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(path)
        wall = 1000 * (time.perf_counter() - started)
    assert response.status_code == 200, response.content[:300]
    return wall, [q["sql"] for q in queries.captured_queries if "sensors_observation" in q["sql"]]


def explain(sql: str, lines: int, timeout: int) -> None:
    from django.db import connection
    from django.db.utils import OperationalError

    with connection.cursor() as cursor:
        cursor.execute(f"SET statement_timeout = '{timeout}s'")
        try:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = [row[0] for row in cursor.fetchall()]
        except OperationalError as exc:  # autocommit: the connection stays usable
            print(f"    not finished within {timeout} s ({str(exc).splitlines()[0]})")
            return
        finally:
            cursor.execute("SET statement_timeout = 0")
    for line in plan[:lines]:
        print("    " + line)
    if len(plan) > lines:
        print(f"    … {len(plan) - lines} more lines")
        for line in plan[-3:]:
            print("    " + line)


def report(label: str, path: str, args: argparse.Namespace) -> None:
    wall, statements = captured(path)
    print(
        f"\n## {label}: {path[:150]}\nrequest in-process {wall:.1f} ms; {len(statements)} statement(s) on observations"
    )
    for sql in statements:
        print(f"  statement ({len(sql):,} characters): {sql[:160]}…")
        explain(sql, args.lines, args.timeout)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    from bench.dataset import configure

    configure(args)
    from ioc.sensors import selectors
    from ioc.sensors.sta import render

    kinds = samples(10)
    rows, streams = kinds.pop("_size")
    print(f"{int(rows):,} observations in {streams} Datastreams; load average {os.getloadavg()[0]:.1f}")
    report("observations (time-filtered page)", kinds["observations"][0], args)
    report("expand-latest, each arm alone", quoted(LATEST), args)

    def joined(model: Any, viewer: Any, parent: Any) -> Any:
        return selectors.visible(model, viewer)

    names = vars(render)
    original = names["visible_under"]
    names["visible_under"] = joined
    try:
        report("expand-latest with the visibility join in every arm (before)", quoted(LATEST), args)
    finally:
        names["visible_under"] = original
    print(f"\nload average after {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
