"""Alert rules on the `CreateObservations` path (issue 14 "Speed"), in-process: the same dataArray requests with
the rules on and off, alternating in one run on one database (a fresh SQLite file, or an empty PostgreSQL one).

    .venv/bin/python bench/rules_bench.py --streams 10000 --rules 500 --requests 10 --per-request 100 --rows 100
    bash bench/pg-bench --build "" --run bench/rules_bench.py --streams 10000 --rules 500 --requests 10 \
        --per-request 100 --rows 100                      # PostgreSQL: pg-bench passes --db and --database-url

World: one Thing of the bench token's agency with `--streams` PM2.5 Datastreams (bulk-inserted: a benchmark
fixture, not a service path), `--rules` rules made through `rule_create`, each watching `streams / rules × 1`
Datastreams of its own (so every Datastream is watched once). A request carries `--per-request` Datastreams ×
`--rows` rows; values stay under the raise level except one Datastream per request that crosses it (a firing
state and one inbox alert per request). "Off" retires every rule (`is_active=False`, the index is empty). After
each switch the rule index is loaded before the timed request, as a running process holds it between changes.
Prints observations/s per mode from the wall time and the process's CPU time per request (on PostgreSQL the
server's CPU is not in it), and the load average before and after (the machine is shared).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    db_arguments(parser, ROOT / "var" / "bench-rules.sqlite3")
    parser.add_argument("--streams", type=int, default=10_000)
    parser.add_argument("--rules", type=int, default=500)
    parser.add_argument("--requests", type=int, default=10, help="requests per mode (on, off)")
    parser.add_argument("--per-request", type=int, default=100, help="Datastreams per request")
    parser.add_argument("--rows", type=int, default=100, help="rows per Datastream per request")
    args = parser.parse_args(argv)
    args.fresh = True  # SQLite: a new file each run; PostgreSQL: the database must be empty (`require_empty`)
    return args


def db_arguments(parser: argparse.ArgumentParser, out: Path) -> None:
    """`--db sqlite --out FILE` (default) or `--db postgresql --database-url URL` (what `bench/pg-bench` passes)."""
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--out", default=str(out), help="SQLite file (--db sqlite), made anew")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""), help="--db postgresql")


def database_ready() -> None:
    """Migrate and make the cache tables; refuse a database that already holds a benchmark's world."""
    from django.core.management import call_command

    from bench.dataset import cache_tables

    call_command("migrate", verbosity=0)
    cache_tables()
    from ioc.accounts.models import User

    if User.objects.filter(username="persona-operator").exists():
        sys.exit("the database already holds a benchmark world: give an empty one (a fresh --database-url)")


def world(args: argparse.Namespace) -> tuple[str, list[int], list[int], object]:
    """The token, the Datastream ids, the rule ids and the operator who changes rules."""
    from bench.sta_create_observations import bench_thing
    from ioc.accounts.testing import personas_create
    from ioc.sensors.models import Datastream
    from ioc.sensors.services import feature_for, rule_create

    people = personas_create()
    # The same Thing as the SensorThings benchmark, its stream measuring PM2.5 in µg/m³.
    first = bench_thing(
        people,
        stream="d0",
        unit={"name": "µg/m³", "symbol": "µg/m³", "definition": "ucum:ug/m3"},
        observed={"name": "PM2.5", "definition": "http://example.org/pm25", "description": "o"},
    )
    copies = [
        Datastream(
            thing_id=first.thing_id, sensor_id=first.sensor_id, observed_property_id=first.observed_property_id,
            name=f"d{i}", unit_of_measurement=first.unit_of_measurement, observation_type=first.observation_type,
        )
        for i in range(1, args.streams)
    ]  # fmt: skip
    Datastream.objects.bulk_create(copies, batch_size=2000)
    streams = list(Datastream.objects.order_by("pk").values_list("pk", flat=True))
    feature_for(first)  # one FeatureOfInterest of the Location, reused by every stream
    share = max(1, len(streams) // args.rules)
    rules = []
    for r in range(args.rules):
        share_of = Datastream.objects.filter(pk__in=streams[r * share : (r + 1) * share])
        chosen = list(share_of.select_related("observed_property"))  # the service reads each one's property
        rule = rule_create(
            actor=people.operator, datastreams=chosen, code=f"bench-{r}", name=f"Bench {r}",
            observed_property="pm25", kind="env.air_quality", severity=3, raise_op=">", raise_value=50.0,
            clear_op="<=", clear_value=40.0,
        )  # fmt: skip
        rules.append(rule.pk)
    return people.system_token, streams, rules, people.operator


def payload(streams: list[int], start: dt.datetime, rows: int) -> bytes:
    batches = []
    for n, stream in enumerate(streams):
        high = n == 0  # one Datastream per request crosses the raise level
        data = [
            [(start + dt.timedelta(seconds=i)).isoformat().replace("+00:00", "Z"), 60.0 if high else 20.0 + i % 10]
            for i in range(rows)
        ]
        batches.append(
            {"Datastream": {"@iot.id": stream}, "components": ["phenomenonTime", "result"], "dataArray": data}
        )
    return json.dumps(batches).encode()


def one_request(token: str, body: bytes) -> tuple[float, float]:
    """One `CreateObservations` request through the view: (wall seconds, this process's CPU seconds)."""
    from django.test import RequestFactory

    from ioc.sensors.sta.views import create_observations

    request = RequestFactory(HTTP_HOST="localhost").post(
        "/sta/v1.1/CreateObservations", data=body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    started, cpu = time.perf_counter(), time.process_time()
    response = create_observations(request)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert response.status_code == 201, response.content[:300]
    return elapsed, cpu


def set_rules(operator: object, active: bool) -> None:
    """Switch every rule on or off, then load the rule index untimed: a live process holds it between changes
    (the `RefCache`), so the timed request measures evaluation, not the index's reload after the switch."""
    from ioc.sensors.models import AlertRule
    from ioc.sensors.rules_index import RULES, rule_index

    AlertRule.objects.update(is_active=active)  # a benchmark switch, not a service path
    RULES.changed()
    rule_index()
    # The reload's ~10,000 new objects would otherwise bring on a full garbage collection (~200 ms) in one of the
    # next timed batches: a live process reloads the index on a rule change, not every other batch.
    gc.collect()


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    from bench.dataset import configure

    configure(args)
    database_ready()
    load_before = os.getloadavg()
    made = time.perf_counter()
    token, streams, _rules, operator = world(args)
    print(f"{args.db}: {len(streams):,} Datastreams, {len(_rules)} rules built in {time.perf_counter() - made:.1f} s")
    wall = {True: 0.0, False: 0.0}
    cpu = {True: 0.0, False: 0.0}
    rows = args.per_request * args.rows
    day = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    one_request(token, payload(streams[: args.per_request], day, args.rows))  # warm-up
    for k in range(args.requests * 2):
        active = k % 2 == 0
        set_rules(operator, active)
        chosen = streams[(k * args.per_request) % len(streams) :][: args.per_request]
        body = payload(chosen, day + dt.timedelta(days=k + 1), args.rows)
        spent, used = one_request(token, body)
        wall[active] += spent
        cpu[active] += used
    on, off = (args.requests * rows / wall[m] for m in (True, False))
    print(f"requests: {args.requests} per mode × {args.per_request} Datastreams × {args.rows} rows")
    print(f"rules on:  {on:,.0f} observations/s, {cpu[True] / args.requests * 1000:,.0f} ms CPU per request")
    print(f"rules off: {off:,.0f} observations/s, {cpu[False] / args.requests * 1000:,.0f} ms CPU per request")
    print(
        f"overhead: {(off / on - 1) * 100:.1f} % wall, {(cpu[True] / cpu[False] - 1) * 100:.1f} % CPU (target ≤ 20 %)"
    )
    after = os.getloadavg()
    print(f"load average (1/5/15 min): {' / '.join(f'{v:.1f}' for v in load_before)} → "
          f"{' / '.join(f'{v:.1f}' for v in after)}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
