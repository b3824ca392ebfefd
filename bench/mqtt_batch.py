"""The MQTT bridge's batch path in-process (issue 11 "Speed"): µs per message of `Bridge.commit`, no broker, no
network thread. Less sensitive to the machine's load than `bench/mqtt_bench.py`'s wall-clock rate, so the
figure to compare before and after a change of the batch path.

    .venv/bin/python bench/mqtt_batch.py --batches 30 --batch 1000 --streams 20
    .venv/bin/python bench/mqtt_batch.py --rules 10 --profile     # with alert rules, and a cProfile listing

A fresh SQLite file with the production settings, one Thing with `--streams` Datastreams (water level, through
the services), `--rules` rules made through `rule_create`, each watching its share of the Datastreams (raise
above 99 m, clear at or below 80 m; the values go round 0–99.9, so rules fire and clear). Each message is what
the publisher of `bench/mqtt_bench.py` sends (its own `phenomenonTime`, a numeric result) on
`v1.1/Datastreams(<id>)/Observations`; `--batches` batches of `--batch` messages go through `Bridge.commit`
(parse, validate, receipts, insert, latest state, rules, audit, one transaction), after one unrecorded warm-up
batch. Prints the median and the best µs per message, the load average before and after, and with `--profile`
the 25 most expensive functions of one batch (cumulative).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


@dataclass
class Message:
    """What the bridge reads of a paho `MQTTMessage`."""

    topic: str
    payload: bytes
    mid: int
    qos: int = 1
    properties: Any = None


class Client:
    def ack(self, mid: int, qos: int) -> None:
        return None


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=str(ROOT / "var" / "bench-mqtt-batch.sqlite3"))
    parser.add_argument("--batches", type=int, default=30)
    parser.add_argument("--batch", type=int, default=1000, help="messages per batch")
    parser.add_argument("--streams", type=int, default=20)
    parser.add_argument("--rules", type=int, default=0, help="alert rules over the Datastreams (0: none)")
    parser.add_argument("--profile", action="store_true", help="print a cProfile listing of one batch")
    args = parser.parse_args(argv)
    args.db, args.fresh, args.database_url = "sqlite", True, ""
    return args


def messages(streams: list[int], start: int, count: int) -> list[tuple[Client, Message]]:
    from bench.mqtt_bench import message_body

    client = Client()
    topics = [f"v1.1/Datastreams({pk})/Observations" for pk in streams]
    return [
        (client, Message(topics[seq % len(topics)], message_body(seq), seq % 65535 + 1))
        for seq in range(start, start + count)
    ]


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    from bench.dataset import configure

    configure(args)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from bench.mqtt_bench import rules_create, streams_create
    from ioc.accounts.selectors import system_account
    from ioc.sensors.mqtt import Bridge

    streams = streams_create(args.streams)
    if args.rules:
        rules_create(args.rules, streams)
    bridge = Bridge(actor=system_account(), batch_max=args.batch)
    bridge.commit(messages(streams, 0, args.batch))  # warm-up: caches, the generated FeatureOfInterest
    load_before = os.getloadavg()[0]
    costs: list[float] = []
    for n in range(1, args.batches + 1):
        batch = messages(streams, n * args.batch, args.batch)
        started = time.perf_counter()
        bridge.commit(batch)
        costs.append((time.perf_counter() - started) / len(batch) * 1e6)
    load_after = os.getloadavg()[0]
    print(f"batches: {args.batches} × {args.batch} messages, {args.streams} Datastreams, {args.rules} rules")
    print(f"µs per message: median {statistics.median(costs):.1f}, best {min(costs):.1f}, worst {max(costs):.1f}")
    print(
        f"stored: {bridge.counters.stored:,} duplicates: {bridge.counters.duplicates}"
        f" rejected: {bridge.counters.rejected}"
    )
    print(f"load average (1 min): {load_before:.1f} → {load_after:.1f}")
    if args.profile:
        profiler = cProfile.Profile()
        batch = messages(streams, (args.batches + 1) * args.batch, args.batch)
        profiler.enable()
        bridge.commit(batch)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
