"""The reports' queue page (/phan-anh/quan-ly/) in-process: CPU per request, its statements, cProfile (issue 16
item 6: the operator's pages are where a busy center queues first).

    cp /work/main/var/bench-o311.sqlite3 var/   # or: bench/dataset.py --db sqlite --out … --reports N
    .venv/bin/python bench/queue_page_profile.py --out var/bench-o311.sqlite3 --requests 100

Signed in as the demo operator `vanhanh` (Django's test client, production settings), the page as
bench/open311_bench.py `--only operator` asks it (the default filter), then `--extra` variants (a tab, a later
page). For each: this process's CPU per request (`time.process_time`: on SQLite the database's work is in it), the
wall time, each statement with its own time (one request), then cProfile with the CPU clock of the default page.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = ("", "?bucket=received", "?bucket=all&page=3")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--out", default=str(ROOT / "var" / "bench-o311.sqlite3"))
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--no-profile", action="store_true")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    from bench.dataset import cache_tables, configure

    configure(argparse.Namespace(db=args.db, database_url=args.database_url, out=args.out, fresh=False))
    cache_tables()  # a copied database file comes without the cache database's (decisions/0002)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.urls import reverse

    from ioc.accounts.models import User
    from ioc.accounts.testing import sign_in
    from ioc.citizen_reports.models import Report

    call_command("collectstatic", interactive=False, verbosity=0)  # production serves the manifest (WhiteNoise)
    with override_settings(ALLOWED_HOSTS=["127.0.0.1"]):
        client = Client(HTTP_HOST="127.0.0.1")
        sign_in(client, User.objects.get(username="vanhanh"))
        base = reverse("citizen_reports:staff_index")
        print(f"{Report.objects.count():,} reports; database {connection.vendor}; load {os.getloadavg()}")
        print("| page | CPU ms a request | wall ms | statements |")
        print("|---|---:|---:|---:|")
        for suffix in PAGES:
            url = base + suffix
            for _i in range(3):  # warm: caches, the session, templates
                assert client.get(url).status_code == 200
            with CaptureQueriesContext(connection) as captured:
                client.get(url)
            cpu, wall = time.process_time(), time.perf_counter()
            for _i in range(args.requests):
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
            cpu_ms = (time.process_time() - cpu) / args.requests * 1000
            wall_ms = (time.perf_counter() - wall) / args.requests * 1000
            print(f"| `{url}` | {cpu_ms:.1f} | {wall_ms:.1f} | {len(captured.captured_queries)} |")
            for query in captured.captured_queries:
                print(f"    {float(query['time']) * 1000:7.2f} ms  {query['sql'][:150]}")
        print(f"load after {os.getloadavg()}")
        if not args.no_profile:
            profiler = cProfile.Profile(time.process_time)
            profiler.enable()
            for _i in range(args.requests):
                client.get(base)
            profiler.disable()
            stream = io.StringIO()
            stats = pstats.Stats(profiler, stream=stream)
            stats.sort_stats("tottime").print_stats(20)
            stats.sort_stats("cumulative").print_stats(r"ioc/|django/template", 30)
            print(stream.getvalue().replace(str(ROOT) + "/.venv/lib/python3.11/site-packages/", ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
