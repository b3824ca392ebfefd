"""`CreateObservations` (the SensorThings dataArray extension, issue 11 "Speed"), in-process: the view itself
(token check, JSON parse, validation, the service's transaction, audit entry, latest state) against a raw batched
insert of the same rows into the same table (executemany, the issue's baseline, and a multi-row INSERT), in one
run on one database, with the wall time and this process's CPU time per observation (on PostgreSQL also the
server backend's, read from /proc).

    .venv/bin/python bench/sta_create_observations.py --requests 10 --rows 10000 --out var/bench-sta.sqlite3
    bash bench/pg-bench --build "" --run bench/sta_create_observations.py --requests 10 --rows 10000

`--peer /tmp/peer/bin/python` then runs the peer `django-ogc-sensorthings` 1.2.0 (`bench/sta_peer_bench.py`, its
own throwaway environment and SQLite file) the same way right after ours, and prints one table of the three.
No HTTP server or load generator: the view is called in-process.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=str(ROOT / "var" / "bench-sta.sqlite3"))
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--rows", type=int, default=10_000, help="observations per request")
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--peer", default="", help="the peer's Python (a venv with django-ogc-sensorthings 1.2.0)")
    parser.add_argument("--profile", action="store_true", help="cProfile the view's runs: the 25 largest costs")
    args = parser.parse_args(argv)
    args.fresh = True
    return args


@dataclass(frozen=True)
class Figure:
    """One way of storing the rows: observations per second, and CPU microseconds per observation (this process,
    and the PostgreSQL backend serving it; None on SQLite, which runs in this process)."""

    rate: float
    cpu_us: float
    server_us: float | None


def _backend_cpu() -> Callable[[], float | None]:
    """Seconds of CPU the PostgreSQL backend of this connection has used so far (utime + stime from /proc)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return lambda: None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    tick = os.sysconf("SC_CLK_TCK")

    def read() -> float | None:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / tick

    return read


def timed(run: Callable[[], None], observations: int) -> Figure:
    server = _backend_cpu()
    server_before, cpu, wall = server(), time.process_time(), time.perf_counter()
    run()
    wall, cpu, server_after = time.perf_counter() - wall, time.process_time() - cpu, server()
    server_us = None
    if server_before is not None and server_after is not None:
        server_us = 1e6 * (server_after - server_before) / observations
    return Figure(observations / wall, 1e6 * cpu / observations, server_us)


METRE = {"name": "m", "symbol": "m", "definition": "ucum:m"}
PROPERTY = {"name": "o", "definition": "http://example.org/o", "description": "o"}


def bench_thing(
    people: Any, *, stream: str = "d", unit: dict[str, str] = METRE, observed: dict[str, str] = PROPERTY
) -> Any:
    """One Thing at a point with one Datastream, created through the services as the system account; the stream."""
    from ioc.sensors.drafts import parse_draft
    from ioc.sensors.models import Datastream
    from ioc.sensors.selectors import viewer_for
    from ioc.sensors.services import entity_create

    body = {
        "name": "Bench",
        "description": "bench",
        "Locations": [
            {
                "name": "p",
                "description": "p",
                "encodingType": "application/geo+json",
                "location": {"type": "Point", "coordinates": [106.05, 20.65]},
            }
        ],
        "Datastreams": [
            {
                "name": stream,
                "description": "d",
                "unitOfMeasurement": unit,
                "observationType": "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement",
                "Sensor": {"name": "s", "description": "s", "encodingType": "text/html", "metadata": "x"},
                "ObservedProperty": observed,
            }
        ],
    }
    viewer = viewer_for(people.system_user)
    entity_create(
        actor=people.system_user, agency_id=people.agency_a.pk, viewer=viewer, draft=parse_draft("Things", body)
    )
    return Datastream.objects.get()


def world() -> tuple[str, int, int]:
    """A token with sta.write, and one Datastream with its FeatureOfInterest (through the services)."""
    from ioc.accounts.testing import personas_create
    from ioc.sensors.services import feature_for

    people = personas_create()
    stream = bench_thing(people)
    return people.system_token, stream.pk, feature_for(stream).pk


def payload(stream: int, start: dt.datetime, rows: int) -> bytes:
    data = [
        [(start + dt.timedelta(seconds=i)).isoformat().replace("+00:00", "Z"), round(i * 0.001, 3)] for i in range(rows)
    ]
    batch = {"Datastream": {"@iot.id": stream}, "components": ["phenomenonTime", "result"], "dataArray": data}
    return json.dumps([batch]).encode()


def through_the_view(token: str, stream: int, args: argparse.Namespace) -> Figure:
    from django.test import RequestFactory

    from ioc.sensors.sta.views import create_observations

    factory = RequestFactory(HTTP_HOST="localhost")
    bodies = [
        payload(stream, dt.datetime(2020, 1, 1, tzinfo=dt.UTC) + dt.timedelta(days=k), args.rows)
        for k in range(args.requests + 1)
    ]

    def post(body: bytes) -> None:
        request = factory.post(
            "/sta/v1.1/CreateObservations",
            data=body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        response = create_observations(request)
        assert response.status_code == 201, response.content[:300]

    def run() -> None:
        for body in bodies[1:]:
            post(body)

    post(bodies[0])  # an unrecorded warm-up (imports, compiled expressions, caches)
    if args.profile:
        return profiled(run, args.requests * args.rows)
    return timed(run, args.requests * args.rows)


def profiled(run: Callable[[], None], observations: int) -> Figure:
    """`timed` under cProfile (slower: read the shares, not the rate): the 25 largest costs by own time."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    figure = timed(lambda: profiler.runcall(run), observations)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    return figure


COLUMNS = "datastream_id, feature_of_interest_id, phenomenon_time, result, result_number"


def raw_rows(stream: int, feature: int, args: argparse.Namespace, year: int) -> list[list[tuple[Any, ...]]]:
    from django.db import connection

    adapt = connection.ops.adapt_datetimefield_value
    batches = []
    for k in range(args.requests):
        start = dt.datetime(year, 1, 1, tzinfo=dt.UTC) + dt.timedelta(days=k)
        batches.append(
            [
                (stream, feature, adapt(start + dt.timedelta(seconds=i)), json.dumps(i * 0.001), i * 0.001)
                for i in range(args.rows)
            ]
        )
    return batches


def _slot() -> str:
    from django.db import connection

    return "(%s, %s, %s, %s::jsonb, %s)" if connection.vendor == "postgresql" else "(%s, %s, %s, %s, %s)"


def raw(stream: int, feature: int, args: argparse.Namespace) -> Figure:
    """The issue's baseline: one executemany per request, in its own transaction."""
    from django.db import connection, transaction

    sql = f"INSERT INTO sensors_observation ({COLUMNS}) VALUES {_slot()}"
    batches = raw_rows(stream, feature, args, 2021)

    def run() -> None:
        for rows in batches:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(sql, rows)

    return timed(run, args.requests * args.rows)


def raw_multirow(stream: int, feature: int, args: argparse.Namespace) -> Figure:
    """A stronger baseline: each request's rows as multi-row INSERTs of as many rows as the parameter limit allows
    (what `_insert_many` does), in its own transaction."""
    from django.db import connection, transaction

    from ioc.sensors.services._base import param_limit

    batches = [[v for row in rows for v in row] for rows in raw_rows(stream, feature, args, 2022)]
    step = param_limit() // 5

    def run() -> None:
        for flat in batches:
            rows = len(flat) // 5
            with transaction.atomic(), connection.cursor() as cursor:
                for start in range(0, rows, step):
                    count = min(step, rows - start)
                    values = ", ".join([_slot()] * count)
                    sql = f"INSERT INTO sensors_observation ({COLUMNS}) VALUES {values}"
                    cursor.execute(sql, flat[start * 5 : (start + count) * 5])

    return timed(run, args.requests * args.rows)


PEER_FIGURE = re.compile(
    r"^(peer CreateObservations|raw executemany)[^:]*:\s+([\d,]+) observations/s(?:, ([\d.]+) µs)?"
)


def peer(args: argparse.Namespace) -> dict[str, Figure]:
    """The peer driven the same way (`bench/sta_peer_bench.py`, its own SQLite file, no GETs), its figures."""
    script = str(ROOT / "bench" / "sta_peer_bench.py")
    out = subprocess.run(
        [args.peer, script, str(args.requests), str(args.rows), "0", "0"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    print(out, end="")
    figures: dict[str, Figure] = {}
    for line in out.splitlines():
        found = PEER_FIGURE.match(line)
        if found:
            figures[found[1]] = Figure(float(found[2].replace(",", "")), float(found[3] or "nan"), None)
    return figures


def _line(label: str, figure: Figure, base: Figure) -> str:
    server = "" if figure.server_us is None else f" | {figure.server_us:,.1f}"
    return f"| {label} | {figure.rate:,.0f} | {figure.rate / base.rate:.2f} | {figure.cpu_us:,.1f}{server} |"


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    from bench.dataset import configure

    configure(args)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    token, stream, feature = world()
    view = through_the_view(token, stream, args)
    bare = raw(stream, feature, args)
    multi = raw_multirow(stream, feature, args)
    server = " | server CPU µs/obs" if view.server_us is not None else ""
    print(f"{args.db}, {args.requests} requests of {args.rows:,} rows, one Datastream")
    print(f"| what | observations/s | of raw executemany | CPU µs/obs{server} |")
    print("|---|---|---|---|" + ("---|" if server else ""))
    print(_line("CreateObservations (in-process view)", view, bare))
    print(_line("raw executemany, same rows and table", bare, bare))
    print(_line("raw multi-row INSERT, same rows and table", multi, bare))
    print(f"ratio: {view.rate / bare.rate:.2f} (of the multi-row insert: {view.rate / multi.rate:.2f})")
    if args.peer:
        figures = peer(args)
        theirs, their_raw = figures.get("peer CreateObservations"), figures.get("raw executemany")
        if theirs and their_raw:
            print(_line("peer django-ogc-sensorthings 1.2.0 (in-process view)", theirs, their_raw))
            print(_line("raw executemany into the peer's table", their_raw, their_raw))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
