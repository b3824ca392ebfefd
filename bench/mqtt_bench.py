"""The SensorThings MQTT extension under load (issue 11 "Speed"): a publisher process sends QoS 1 observations at
`--rate` messages/s for `--seconds` into Mosquitto (loopback, the shipped `deploy/mosquitto.conf`), one
`./manage.py mqtt_bridge` process stores them in SQLite; halfway through the bridge is SIGKILLed and started again
(same client id: its persistent session keeps what was not acknowledged). Reports the publish rate reached, the
store rate, publish → stored latency (p50/p95/p99/max; stored = first poll of `MAX(id)` every `--poll-ms` that sees
the row, so latencies are upper bounds by up to one poll), lost and doubled messages, and the load average.

    .venv/bin/python bench/mqtt_bench.py --seconds 300 --rate 2000
    .venv/bin/python bench/mqtt_bench.py --seconds 20            # a short run
    .venv/bin/python bench/mqtt_bench.py --seconds 120 --workers 2 --rules 10   # two bridges, alert rules
    .venv/bin/python bench/mqtt_bench.py --seconds 60 --workers 2 --rules 500 --streams 10000 --shift 37

`--workers N` runs `mqtt_bridge --workers N` (N processes on one shared subscription); the kill is a SIGKILL of
its whole process group (parent and children), as a crash of the machine's bridge service. `--rules N` makes N
alert rules over the Datastreams first (raise above 99, clear at or below 80: the results go round 0–99.9, so
about 9 readings in 1,000 fire a rule and the next reading of that Datastream clears it: ~18 alerts raised or
resolved per second at 2,000 messages/s; with `--streams` a multiple of 1,000 that holds only with `--shift`:
without it each Datastream always receives the same value, and the ~0.9 % above 99 fire once, in the first round,
and never clear; with `--shift 37` each round moves every result on by 3.7, so a Datastream above 99 clears at its
next reading and ~0.9 % of each round fire anew); every alert's publish → inbox latency is reported: from
the send time of the message whose reading fired it (its `occurred_at` is that reading's phenomenonTime) to the
first poll that sees the alert row committed.

Each message has its own `phenomenonTime` (2020-01-01 plus its sequence number in seconds): not_stored = sequence
numbers never stored (lost, or still queued in the broker when `--drain` ran out; broker_dropped = 1 when Mosquitto
logged dropping messages for the bridge, its queue full), doubled = rows beyond one per sequence number. New
observations are not published back (`MQTT_PUBLISH` off), as in the tests.

PostgreSQL (issue 14: the publish → inbox p95 on both databases): `--db postgresql --database-url URL`, an empty
database the script migrates and fills (what `bench/pg-bench --build "" --run bench/mqtt_bench.py …` passes, with
the Redis it started in REDIS_URL; the bridge processes inherit both, so they run the PostgreSQL profile's
production settings: Huey and the cache on Redis). The message mix and the p95 definition are SQLite's: a row's
stored time is the first poll (every `--poll-ms`) that sees it. Only how a poll sees rows differs. On SQLite a row's
id is taken inside the write lock, so rows become visible in id order and a poll of `MAX(id)` is enough. On
PostgreSQL two bridges take ids from the sequence and commit in either order, so a poll reads the ids above a floor
as islands (first and last id of each run; new ids are stamped with the poll's time), and the floor moves up to
the sequence's value at an earlier poll once every transaction running then has ended (the snapshot's xmin has
passed that poll's xmax: an id taken then is visible by now, or never will be — a rolled-back batch's ids).
`unseen` counts rows no poll saw (committed after the last one); they are left out of the latencies, as on SQLite.

    bash bench/pg-bench --build "" --run bench/mqtt_bench.py --seconds 300 --rate 2000      # issue 11: SIGKILL at 150 s
    bash bench/pg-bench --build "" --run bench/mqtt_bench.py --seconds 30 --rate 2000 --workers 2 --rules 500 \\
        --streams 10000 --shift 37 --kill-at 10                                          # issue 14: no kill

`--kill-at` is a fraction of `--seconds` (default 0.5: half time); a value above 1 means no kill (`killed_at_s` −1),
as issue 14's latency runs want.

`--lock PATH` (a machine shared by several sessions, started at nice 19): the database and the world are built at
the caller's priority, then the script waits for the bench lock (`flock` on PATH, at most 1,500 s) and sets itself,
and on PostgreSQL the cluster (postmaster and backends: new ones inherit it) and Redis, back to nice 0 and the
best-effort I/O class; the broker, the bridges and the publisher start after that and inherit it. So only the
measurement runs under the lock (pg-bench's IOC_BENCH_LOCK takes it before the script, world build included).
"""

from __future__ import annotations

import argparse
import array
import bisect
import datetime as dt
import multiprocessing
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import deque
from pathlib import Path
from typing import Any, Protocol

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.benchlock import cluster_pids, measuring  # noqa: E402  (after the path)
from bench.rules_bench import database_ready, db_arguments  # noqa: E402

BASE = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
PROPERTY = {"name": "mực nước", "definition": "http://example.org/water-level", "description": "w"}


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    db_arguments(parser, ROOT / "var" / "bench-mqtt.sqlite3")
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--rate", type=float, default=2000, help="messages per second published")
    parser.add_argument("--streams", type=int, default=20, help="Datastreams the messages go round")
    parser.add_argument("--kill-at", type=float, default=0.5, help="fraction of the run at which the bridge dies")
    parser.add_argument("--restart-after", type=float, default=1.0, help="seconds the bridge stays dead")
    parser.add_argument("--poll-ms", type=float, default=50)
    parser.add_argument("--drain", type=float, default=60, help="seconds to wait for the backlog after publishing")
    parser.add_argument("--workers", type=int, default=1, help="bridge processes (mqtt_bridge --workers)")
    parser.add_argument("--rules", type=int, default=0, help="alert rules over the Datastreams (0: none)")
    parser.add_argument(
        "--shift", type=int, default=0, help="tenths each round over the Datastreams moves the results on (0: none)"
    )
    parser.add_argument(
        "--lock", default="", help="the machine's bench lock: taken after the world is built, the run at nice 0"
    )
    args = parser.parse_args(argv)
    args.fresh = True  # SQLite: a new file each run; PostgreSQL: the database must be empty (`database_ready`)
    return args


def streams_create(count: int) -> list[int]:
    """One Thing with `count` Datastreams; their ids. The Thing and its first Datastream go through the services
    as the system account; the others are bulk-inserted copies of it (a benchmark fixture, as `rules_bench.py`
    does: 10,000 streams through the deep insert took about a minute, loaded, where the copies take a second)."""
    from ioc.accounts.testing import personas_create
    from ioc.sensors.drafts import parse_draft
    from ioc.sensors.models import Datastream
    from ioc.sensors.selectors import viewer_for
    from ioc.sensors.services import entity_create, feature_for

    people = personas_create()
    point = {"type": "Point", "coordinates": [106.05, 20.65]}
    body = {
        "name": "MQTT bench",
        "description": "bench",
        "Locations": [{"name": "p", "description": "p", "encodingType": "application/geo+json", "location": point}],
        "Datastreams": [
            {
                "name": "trạm 0",
                "description": "bench",
                "unitOfMeasurement": {"name": "m", "symbol": "m", "definition": "ucum:m"},
                "observationType": "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement",
                "Sensor": {"name": "s0", "description": "s", "encodingType": "text/html", "metadata": "x"},
                "ObservedProperty": PROPERTY,
            }
        ],
    }
    draft = parse_draft("Things", body)
    entity_create(
        actor=people.system_user, agency_id=people.agency_a.pk, viewer=viewer_for(people.system_user), draft=draft
    )
    first = Datastream.objects.get()
    copies = [
        Datastream(
            thing_id=first.thing_id, sensor_id=first.sensor_id, observed_property_id=first.observed_property_id,
            name=f"trạm {k}", description="bench", unit_of_measurement=first.unit_of_measurement,
            observation_type=first.observation_type,
        )
        for k in range(1, count)
    ]  # fmt: skip
    Datastream.objects.bulk_create(copies, batch_size=2000)
    feature_for(first)  # one FeatureOfInterest of the Location, reused by every stream
    return list(Datastream.objects.order_by("pk").values_list("pk", flat=True))


def rules_create(count: int, streams: list[int]) -> None:
    """`count` rules over the Datastreams, each its own share, through `rule_create` by the personas' operator."""
    from ioc.accounts.models import User
    from ioc.sensors.models import Datastream
    from ioc.sensors.services import rule_create

    operator = User.objects.get(username="persona-operator")  # made by `streams_create`
    share = max(1, len(streams) // count)
    for r in range(count):
        share_of = Datastream.objects.filter(pk__in=streams[r * share : (r + 1) * share])
        chosen = list(share_of.select_related("observed_property"))  # the service reads each one's property
        rule_create(
            actor=operator, datastreams=chosen, code=f"bench-{r}", name=f"Bench {r}", observed_property="water_level",
            kind="env.flood_level", severity=3, raise_op=">", raise_value=99.0, clear_op="<=", clear_value=80.0,
        )  # fmt: skip


def message_body(seq: int, shift: int = 0, streams: int = 1) -> bytes:
    """Message `seq`: its own phenomenonTime (2020-01-01 + seq seconds), a result going round 0–99.9. With
    `shift`, each round over the `streams` Datastreams moves the results on by `shift` tenths, so a Datastream's
    readings change from round to round (with `streams` a multiple of 1,000 and no shift each always gets the
    same value)."""
    stamp = (BASE + dt.timedelta(seconds=seq)).strftime("%Y-%m-%dT%H:%M:%SZ")
    value = (seq + (seq // streams) * shift) % 1000 / 10
    return f'{{"phenomenonTime":"{stamp}","result":{value}}}'.encode()


def publish(port: int, streams: list[int], rate: float, total: int, sent_path: str, shift: int = 0) -> None:
    """The publisher process: `total` QoS 1 messages at `rate`/s, round the Datastreams; waits for every PUBACK
    and writes each message's send time (epoch seconds) to `sent_path`."""
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion

    acked = [0]
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="bench-publisher", protocol=mqtt.MQTTv5)
    client.max_inflight_messages_set(1000)
    client.on_publish = lambda *_args: acked.__setitem__(0, acked[0] + 1)
    client.connect("127.0.0.1", port)
    client.loop_start()
    topics = [f"v1.1/Datastreams({pk})/Observations" for pk in streams]
    sent = array.array("d", bytes(8 * total))
    start = time.time()
    for seq in range(total):
        delay = start + seq / rate - time.time()
        if delay > 0.002:
            time.sleep(delay)
        body = message_body(seq, shift, len(streams))
        sent[seq] = time.time()
        client.publish(topics[seq % len(topics)], body, qos=1)
    deadline = time.time() + 120
    while acked[0] < total and time.time() < deadline:
        time.sleep(0.05)
    client.loop_stop()
    client.disconnect()
    with open(sent_path, "wb") as handle:
        sent.tofile(handle)


def start_broker(root: Path) -> tuple[subprocess.Popen[bytes], int]:
    from ioc.sensors.tests.mqtt_broker import _free_port, broker_config

    port = _free_port()
    config = root / "mosquitto.conf"
    config.write_text(broker_config(port))
    log = open(root / "mosquitto.log", "wb")  # noqa: SIM115 - lives as long as the broker
    process = subprocess.Popen(["/usr/sbin/mosquitto", "-c", str(config)], stdout=log, stderr=subprocess.STDOUT)
    time.sleep(0.5)
    return process, port


def start_bridge(root: Path, port: int, number: int, workers: int) -> subprocess.Popen[bytes]:
    """`mqtt_bridge --workers N` in a process group of its own (the kill takes the whole group)."""
    env = {**os.environ, "MQTT_HOST": "127.0.0.1", "MQTT_PORT": str(port), "MQTT_USERNAME": "", "MQTT_PUBLISH": "0"}
    env["MQTT_CLIENT_ID"] = "bench-bridge"
    log = open(root / f"bridge-{number}.log", "wb")  # noqa: SIM115 - lives as long as the bridge
    command = [sys.executable, str(ROOT / "manage.py"), "mqtt_bridge", "--workers", str(workers)]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def connected(root: Path, number: int) -> int:
    """How many bridges of start `number` have connected (each logs `mqtt_bridge: host:port as <id>`)."""
    return (root / f"bridge-{number}.log").read_bytes().count(b" as ")


# What a poll sees of a table, and when a row was first seen (module docstring: "PostgreSQL").


class MaxIdWatch:
    """SQLite: ids are taken inside the write lock, so rows become visible in id order; a poll of `MAX(id)` tells
    every row's first sight (an id is seen at the first poll whose maximum reaches it)."""

    def __init__(self, conn: Any, table: str) -> None:
        self.conn, self.table = conn, table
        self.polls: list[tuple[float, int]] = []
        self.maxima: list[int] = []

    def poll(self, now: float) -> None:
        found = self.conn.execute(f"SELECT COALESCE(MAX(id), 0) FROM {self.table}").fetchone()[0]
        self.polls.append((now, int(found)))
        self.maxima.append(int(found))

    def count(self) -> int:
        """Rows seen so far (a fresh file: ids from 1 without gaps)."""
        return self.maxima[-1] if self.maxima else 0

    def seen_at(self, ident: int) -> float | None:
        if not self.maxima or ident > self.maxima[-1]:
            return None
        return self.polls[bisect.bisect_left(self.maxima, ident)][0]

    def last_seen(self) -> float:
        return self.polls[bisect.bisect_left(self.maxima, self.maxima[-1])][0] if self.polls else 0.0


class IslandWatch:
    """PostgreSQL: rows commit out of id order (two bridges take ids from one sequence). Each poll reads the ids
    above `floor` as islands (runs of consecutive ids) and stamps the new ones. `floor` moves up to the sequence's
    value at an earlier poll once every transaction that held a transaction id then has ended: each id handed out
    by then is visible now, or never will be (a rolled-back batch's). A bridge's batch holds its transaction id
    before it takes observation or alert ids (its receipts are written first). The running transactions are read
    from `pg_stat_activity`, after the sequence: the snapshot's xmin and xmax would not do (its xmax is the latest
    completed id + 1, and a running transaction above it is in neither)."""

    def __init__(self, conn: Any, table: str) -> None:
        self.conn, self.table = conn, table
        self.sequence = conn.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table]).fetchone()[0]
        self.floor = 0
        self.seen: dict[int, float] = {}
        self.pending: deque[tuple[int, set[int]]] = deque()  # (the sequence's value, transactions running) a poll

    def poll(self, now: float) -> None:
        query = self.conn.execute
        last = query(f"SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM {self.sequence}").fetchone()[0]
        running = {
            int(xid) for (xid,) in query("SELECT backend_xid::text FROM pg_stat_activity WHERE backend_xid IS NOT NULL")
        }
        islands = query(
            f"SELECT MIN(id), MAX(id) FROM (SELECT id, id - ROW_NUMBER() OVER (ORDER BY id) AS island "
            f"FROM {self.table} WHERE id > %s) AS t GROUP BY island",
            [self.floor],
        ).fetchall()
        seen = self.seen
        for low, high in islands:
            for ident in range(low, high + 1):
                if ident not in seen:
                    seen[ident] = now
        while self.pending and not (self.pending[0][1] & running):
            self.floor = max(self.floor, self.pending.popleft()[0])
        self.pending.append((int(last), running))

    def count(self) -> int:
        return len(self.seen)

    def seen_at(self, ident: int) -> float | None:
        return self.seen.get(ident)

    def last_seen(self) -> float:
        return max(self.seen.values(), default=0.0)


class Watch(Protocol):
    def poll(self, now: float) -> None: ...
    def count(self) -> int: ...
    def seen_at(self, ident: int) -> float | None: ...
    def last_seen(self) -> float: ...


def watch_connect(args: argparse.Namespace) -> Any:
    """The poller's own connection (autocommit: each poll sees what is committed at that instant)."""
    if args.db == "postgresql":
        import psycopg

        return psycopg.connect(args.database_url, autocommit=True)
    return sqlite3.connect(args.out)


def watch_for(args: argparse.Namespace, conn: Any, table: str) -> Watch:
    return IslandWatch(conn, table) if args.db == "postgresql" else MaxIdWatch(conn, table)


def seconds_after_base(db: str, column: str) -> str:
    """SQL: `column` (an instant) as whole seconds after 2020-01-01 UTC, the message's sequence number."""
    if db == "postgresql":
        return f"CAST(ROUND(EXTRACT(EPOCH FROM {column} - TIMESTAMPTZ '2020-01-01 00:00:00+00')) AS BIGINT)"
    return f"CAST(ROUND((julianday({column}) - julianday('2020-01-01')) * 86400) AS INTEGER)"


def alert_latencies(args: argparse.Namespace, conn: Any, watch: Watch, sent: array.array[float]) -> list[float]:
    """Each alert's publish → inbox time: the first poll seeing its row, less the send time of the message whose
    reading (its phenomenonTime = 2020-01-01 + sequence seconds) fired it."""
    sql = f"SELECT id, {seconds_after_base(args.db, 'occurred_at')} FROM incidents_alert ORDER BY id"
    latencies = []
    for ident, seq in conn.execute(sql).fetchall():
        at = watch.seen_at(int(ident))
        if at is not None and 0 <= seq < len(sent):
            latencies.append(at - sent[seq])
    return latencies


def stored_rows(args: argparse.Namespace, conn: Any) -> tuple[int, list[tuple[int, int]]]:
    """(rows, [(id, sequence number)]) of the benchmark's observations."""
    sql = f"SELECT id, {seconds_after_base(args.db, 'phenomenon_time')} FROM sensors_observation ORDER BY id"
    rows = conn.execute(sql).fetchall()
    return len(rows), [(int(i), int(s)) for i, s in rows]


def backends_cpu(conn: Any) -> float:
    """CPU seconds (user + system) of the database's other backends so far: the bridges' connections (this
    poller's own excluded). /proc: the cluster runs on this machine."""
    pids = conn.execute(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
    ).fetchall()
    ticks, total = os.sysconf("SC_CLK_TCK"), 0
    for (pid,) in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / ticks


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def observe(args: argparse.Namespace, port: int, root: Path, streams: list[int]) -> dict[str, Any]:
    total = int(args.seconds * args.rate)
    sent_path = str(root / "sent.bin")
    bridge = start_bridge(root, port, 1, args.workers)
    deadline = time.time() + 90
    while connected(root, 1) < args.workers and time.time() < deadline:
        time.sleep(0.1)  # Django set-up
    time.sleep(1)  # the subscription: a message published before it would have no subscriber
    publisher = multiprocessing.get_context("fork").Process(
        target=publish, args=(port, streams, args.rate, total, sent_path, args.shift)
    )
    loads: list[float] = []
    conn = watch_connect(args)
    stored = watch_for(args, conn, "sensors_observation")
    alerted = watch_for(args, conn, "incidents_alert") if args.rules else None
    polls = 0
    started = time.time()
    publisher.start()
    killed_at = restarted_at = ready_at = 0.0
    kill_due = started + args.seconds * args.kill_at
    while True:
        now = time.time()
        stored.poll(now)
        if alerted is not None:
            alerted.poll(now)
        polls += 1
        if not killed_at and now >= kill_due:
            os.killpg(bridge.pid, signal.SIGKILL)
            bridge.wait()
            killed_at = time.time()
        if killed_at and not restarted_at and now >= killed_at + args.restart_after:
            bridge = start_bridge(root, port, 2, args.workers)
            restarted_at = time.time()
        if restarted_at and not ready_at and connected(root, 2) >= args.workers:
            ready_at = time.time()
        if polls % int(1000 / args.poll_ms) == 0:
            loads.append(os.getloadavg()[0])
        if not publisher.is_alive() and (stored.count() >= total or now > started + args.seconds + args.drain):
            break
        time.sleep(args.poll_ms / 1000)
    publisher.join()
    server_cpu = backends_cpu(conn) if args.db == "postgresql" else 0.0
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    bridge.send_signal(signal.SIGTERM)
    bridge.wait(timeout=60)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    bridge_cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    sent = array.array("d")
    with open(sent_path, "rb") as handle:
        sent.fromfile(handle, total)
    rows, pairs = stored_rows(args, conn)
    seqs = {s for _i, s in pairs}
    latencies, unseen = [], 0
    for ident, seq in pairs:
        at = stored.seen_at(ident)
        if at is None:
            unseen += 1
        else:
            latencies.append(at - sent[seq])
    alerts = alert_latencies(args, conn, alerted, sent) if alerted is not None else []
    conn.close()
    return {
        "messages": total,
        "published_per_s": total / (sent[-1] - sent[0]) if total > 1 else 0.0,
        "stored_per_s": rows / (stored.last_seen() - sent[0]),
        "p50_ms": 1000 * percentile(latencies, 0.50),
        "p95_ms": 1000 * percentile(latencies, 0.95),
        "p99_ms": 1000 * percentile(latencies, 0.99),
        "max_ms": 1000 * max(latencies),
        "not_stored": len(set(range(total)) - seqs),  # lost, or still queued when the drain time ran out
        "broker_dropped": int(b"being dropped" in (root / "mosquitto.log").read_bytes()),
        "doubled": rows - len(seqs),
        "unseen": unseen,  # stored after the last poll: not in the latencies
        "killed_at_s": killed_at - started if killed_at else -1.0,  # -1: no kill (`--kill-at` past the end)
        "dead_s": restarted_at - killed_at if killed_at else -1.0,
        "load_min_mean_max": (min(loads), sum(loads) / len(loads), max(loads)) if loads else (0, 0, 0),
        "polls": polls,
        "alerts": len(alerts),
        "alert_p50_ms": 1000 * percentile(alerts, 0.50) if alerts else 0.0,
        "alert_p95_ms": 1000 * percentile(alerts, 0.95) if alerts else 0.0,
        "alert_max_ms": 1000 * max(alerts) if alerts else 0.0,
        "restart_connected_s": ready_at - restarted_at if ready_at else -1.0,
        # CPU per stored message, without a kill only (a SIGKILLed bridge's children are never reaped here): the
        # bridge processes' own, and on PostgreSQL their server backends' (/proc, read before the bridges stop).
        "bridge_cpu_us_per_msg": 1e6 * bridge_cpu / rows if rows and not killed_at else -1.0,
        "server_cpu_us_per_msg": 1e6 * server_cpu / rows if rows and not killed_at and server_cpu else -1.0,
    }


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    from bench.dataset import configure

    configure(args)
    from django.core.management import call_command
    from django.db import connections

    if args.db == "postgresql":
        database_ready()  # migrate an empty database; refuse one that holds a benchmark's world already
    else:
        call_command("migrate", verbosity=0)
    made = time.perf_counter()
    streams = streams_create(args.streams)
    built = time.perf_counter() - made
    if args.rules:
        rules_create(args.rules, streams)
    print(f"{args.db}: {len(streams):,} Datastreams in {built:.1f} s, {args.rules} rules in "
          f"{time.perf_counter() - made - built:.1f} s")  # fmt: skip
    connections.close_all()
    priority = cluster_pids(args.database_url) if args.lock and args.db == "postgresql" else []
    with measuring(args.lock, priority), tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        broker, port = start_broker(root)
        try:
            result = observe(args, port, root, streams)
        finally:
            broker.terminate()
            broker.wait(timeout=10)
            logs = [root / name for name in ("bridge-1.log", "bridge-2.log", "mosquitto.log")]
            bridge_log = " | ".join(path.read_text()[-600:] for path in logs if path.exists())
            if os.environ.get("BENCH_VERBOSE"):
                print(bridge_log)
    load = result.pop("load_min_mean_max")
    for key, value in result.items():
        print(f"{key}: {value:,.1f}" if isinstance(value, float) else f"{key}: {value:,}")
    print(f"load average (1 min) min/mean/max: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}")
    print("logs (tails):", bridge_log.strip().replace("\n", " | "))
    return 0 if result["not_stored"] == 0 and result["doubled"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
