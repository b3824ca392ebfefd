"""Where an Open311 POST's CPU goes, in-process, next to the bare POST view (issue 16 item 6).

    IOC_BENCH_PGDATA=var/pg-o311 nice -n 19 bash bench/pg-bench --build "--reports 5000" \
        --run bench/open311_post_profile.py --requests 300
    .venv/bin/python bench/open311_post_profile.py --db sqlite --out var/bench-o311.sqlite3 --requests 300

Django's test client, the benchmark server's settings (production settings, bench/settings_bench.py), the dataset's
benchmark key, a random point and category per request and an e-mail (the receipt's outbox row), as
bench/open311_bench.py's wrk script sends. For each of the bare POST view and Open311 POST, in alternating blocks of
`--block` requests: this process's CPU per request (`time.process_time`), the database server's CPU per request (the
PostgreSQL backend of this connection, from /proc/<pid>/stat; on SQLite it is this process), the wall time, and the
statements one request sends. Then cProfile of `--requests` Open311 POSTs with the CPU clock as its timer: own time
first, then cumulative within ioc/.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings_bench")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--out", default=str(ROOT / "var" / "bench.sqlite3"))
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--requests", type=int, default=300, help="POSTs per kind (and profiled)")
    parser.add_argument("--block", type=int, default=50, help="POSTs per alternating block")
    parser.add_argument("--no-profile", action="store_true")
    return parser.parse_args(argv)


def _backend_ticks() -> int | None:
    """utime + stime of this connection's PostgreSQL backend, in clock ticks (None on SQLite)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def _poster(dep: dict[str, Any], path: str) -> Callable[[int], Any]:
    from django.test import Client

    from bench.open311_bench import DESCRIPTION

    client = Client(HTTP_HOST="127.0.0.1")
    points, codes = dep["points"], dep["codes"]

    def post(i: int) -> Any:
        lat, lon = points[(i * 7919) % len(points)]
        form = {
            "api_key": dep["token"],
            "service_code": codes[i % len(codes)],
            "lat": lat,
            "long": lon,
            "description": DESCRIPTION,
            "email": "bench@canary.invalid",
        }  # form-encoded, as the wrk script sends it (not the test client's default multipart)
        response = client.post(path, urlencode(form), content_type="application/x-www-form-urlencoded")
        assert response.status_code in (200, 201), (path, response.status_code, response.content[:300])
        return response

    return post


def _statements(post: Callable[[int], Any]) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        post(10**6)
    return [
        (query["sql"] or "(a prepared statement: its text is not logged)")[:90] for query in captured.captured_queries
    ]


def measure(dep: dict[str, Any], count: int, block: int) -> dict[str, dict[str, float]]:
    """Alternating blocks of the bare POST and Open311 POST: CPU, database CPU and wall per request."""
    from bench.open311_bench import BARE, OPEN311

    tick_ms = 1000 / os.sysconf("SC_CLK_TCK")
    kinds = {"bare POST": _poster(dep, BARE), "Open311 POST": _poster(dep, OPEN311)}
    totals = {label: {"cpu": 0.0, "db": 0.0, "wall": 0.0, "n": 0.0} for label in kinds}
    for post in kinds.values():  # warm: caches, prepared statements, the first connection
        for i in range(20):
            post(i)
    done = 0
    while done < count:
        size = min(block, count - done)
        for label, post in kinds.items():
            ticks, cpu, wall = _backend_ticks(), time.process_time(), time.perf_counter()
            for i in range(size):
                post(done + i)
            total = totals[label]
            total["cpu"] += time.process_time() - cpu
            total["wall"] += time.perf_counter() - wall
            after = _backend_ticks()
            total["db"] += 0.0 if ticks is None or after is None else (after - ticks) * tick_ms / 1000
            total["n"] += size
        done += size
    return {
        label: {
            "cpu_ms": t["cpu"] / t["n"] * 1000,
            "db_ms": t["db"] / t["n"] * 1000,
            "wall_ms": t["wall"] / t["n"] * 1000,
        }
        for label, t in totals.items()
    }


def profile(dep: dict[str, Any], count: int) -> str:
    from bench.open311_bench import OPEN311

    post = _poster(dep, OPEN311)
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for i in range(count):
        post(i)
    profiler.disable()
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream)
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(r"ioc/", 40)
    root, venv = str(ROOT) + "/", str(ROOT / ".venv" / "lib" / "python3.11" / "site-packages") + "/"
    return stream.getvalue().replace(venv, "").replace(root, "")


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    from bench.dataset import configure

    configure(argparse.Namespace(db=args.db, database_url=args.database_url, out=args.out, fresh=False))
    from django.conf import settings
    from django.db import connection
    from django.test.utils import override_settings

    from bench.open311_bench import BARE, OPEN311, deployment

    dep = deployment()
    with override_settings(ALLOWED_HOSTS=["127.0.0.1"], RATE_LIMIT_TOKEN_OVERRIDES={dep["prefix"]: 10**9}):
        print(f"database {connection.vendor}; load before {os.getloadavg()}; settings {settings.SETTINGS_MODULE}")
        for label, path in (("bare POST", BARE), ("Open311 POST", OPEN311)):
            statements = _statements(_poster(dep, path))
            print(f"\n{label}: {len(statements)} statements")
            for sql in statements:
                print("   ", sql)
        result = measure(dep, args.requests, args.block)
        print()
        print("| kind | CPU ms a request (this process) | database server CPU ms | wall ms |")
        print("|---|---:|---:|---:|")
        for label, figures in result.items():
            print(f"| {label} | {figures['cpu_ms']:.2f} | {figures['db_ms']:.2f} | {figures['wall_ms']:.2f} |")
        bare, real = result["bare POST"], result["Open311 POST"]
        both = (bare["cpu_ms"] + bare["db_ms"]) / (real["cpu_ms"] + real["db_ms"])
        print(f"\nOpen311 POST at {both:.0%} of the bare view's CPU (this process + database server)")
        print(f"load after {os.getloadavg()}")
        if not args.no_profile:
            print(profile(dep, args.requests))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
