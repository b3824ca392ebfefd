"""Dossiers push, in-process profile (issue 23 "Speed"): CPU and queries per event of `dossier_event_receive`
and of the whole API request, one event per call and batches, on a fresh SQLite file (production settings).

    .venv/bin/python bench/dossiers_profile.py [--events 600] [--batch 1] [--api] [--cprofile var/push.prof]

Prints CPU time per event (`time.process_time`), wall time per event and queries per call (CaptureQueriesContext).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=600)
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--api", action="store_true", help="through the API (test client) rather than the service")
    parser.add_argument("--cprofile", default="", help="write a cProfile of the measured part here")
    parser.add_argument("--out", default=str(ROOT / "var" / "bench-dossiers-profile.sqlite3"))
    args = parser.parse_args(argv)
    args.db, args.fresh, args.database_url = "sqlite", True, ""
    from bench.dataset import configure

    configure(args)
    import datetime as dt

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.dossiers_bench import stories
    from ioc.accounts.testing import personas_create
    from ioc.dossiers.services import dossier_event_receive
    from ioc.dossiers.testing import sample_procedure

    call_command("migrate", verbosity=0)
    people = personas_create()
    sample_procedure(actor=people.admin)
    client, auth = Client(HTTP_HOST="localhost"), f"Bearer {people.system_token}"
    rows = stories(args.events + 60, dt.datetime.now(dt.UTC) - dt.timedelta(days=30))
    warm, rows = rows[:60], rows[60:]
    batches = [rows[k : k + args.batch] for k in range(0, len(rows), args.batch)]

    def send(batch: list[dict[str, Any]]) -> None:
        if args.api:
            response = client.post("/api/v1/dossiers/events/", json.dumps(batch), content_type="application/json",
                                   HTTP_AUTHORIZATION=auth)  # fmt: skip
            assert response.status_code == 200, response.content[:300]
            summary = response.json()
        else:
            summary = dossier_event_receive(agency=people.agency_a, rows=batch, actor=people.system_account)
        assert not summary["conflicts"], summary["conflicts"][:3]

    for k in range(0, len(warm), args.batch):
        send(warm[k : k + args.batch])
    queries = []
    profile = cProfile.Profile() if args.cprofile else None
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for batch in batches:
        with CaptureQueriesContext(connection) as ctx:
            if profile:
                profile.enable()
            send(batch)
            if profile:
                profile.disable()
        queries.append(len(ctx.captured_queries))
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    n = len(rows)
    print(f"{'API' if args.api else 'service'}: {n} events in {len(batches)} calls of {args.batch}: "
          f"CPU {cpu / n * 1000:.2f} ms/event, wall {wall / n * 1000:.2f} ms/event, "
          f"queries per call mean {sum(queries) / len(queries):.1f} max {max(queries)}")  # fmt: skip
    if profile:
        profile.dump_stats(args.cprofile)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
