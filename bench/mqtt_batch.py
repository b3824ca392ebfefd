"""The MQTT bridge's batch path in-process (issue 11 "Speed"): µs per message of `Bridge.commit`, no broker, no
network thread. Less sensitive to the machine's load than `bench/mqtt_bench.py`'s wall-clock rate, so the
figure to compare before and after a change of the batch path.

    .venv/bin/python bench/mqtt_batch.py --batches 30 --batch 1000 --streams 20
    .venv/bin/python bench/mqtt_batch.py --rules 10 --profile     # with alert rules, and a cProfile listing
    .venv/bin/python bench/mqtt_batch.py --streams 10000 --rules 500 --batches 20 --alternate   # issue 14: on/off
    .venv/bin/python bench/mqtt_batch.py --streams 10000 --rules 500 --batches 20 --alternate --settle
    bash bench/pg-bench --build "" --run bench/mqtt_batch.py --streams 10000 --rules 500 --batches 20 --alternate

A fresh SQLite file (or an empty PostgreSQL database: `--db postgresql --database-url URL`, as `bench/pg-bench`
passes) with the production settings, one Thing with `--streams` Datastreams (water level; the first through the
services, the others bulk copies of it), `--rules` rules made through `rule_create`, each watching its share of
the Datastreams (raise above 99 m, clear at or below 80 m; the values go round 0–99.9, so rules fire and
clear). Each message is what the publisher of `bench/mqtt_bench.py` sends (its own `phenomenonTime`, a numeric
result) on `v1.1/Datastreams(<id>)/Observations`; `--batches` batches of `--batch` messages go through `Bridge.commit`
(parse, validate, receipts, insert, latest state, rules, audit, one transaction), after one unrecorded warm-up
batch. Prints the median and the best µs per message (wall) and the process's CPU µs per message (on PostgreSQL
the server's CPU is not in it), the load average before and after, and with `--profile` the 25 most expensive
functions of one batch (cumulative, process CPU time), then the 20 with the most time of their own.

`--alternate` (issue 14 "Speed": the rules' overhead on MQTT ingestion in one run) runs two batches with the rules
and two with every rule retired, in turn (on, on, off, off, …), switching as `bench/rules_bench.py` does (the rule
index loaded untimed after each switch, as a running bridge holds it), and prints both modes and the overhead.
With many Datastreams a batch of 1,000 messages names 1,000 of them, each with its own reading, and readings stay
below the raise level except the ~9 per 1,000 above 99 m (the values go round 0–99.9 by message number).

What "on" and "off" mean: one process, one bridge, one database throughout. "Off" retires every rule
(`is_active=False`, what `rule_update(is_active=False)` writes, without its 500 audit entries) and reloads the
rule index: the batch path then finds no watched Datastream and evaluates nothing. The rules' states (`RuleState`)
are not touched by a switch: a pair firing before "off" is still firing when its rule is back "on" (the script
checks that the open states are the same before and after each switch). Retiring is the product's own way to
pause a rule; no bench-only path exists inside the product.

Which readings the "on" batches meet: with `--streams` a multiple of 1,000 each Datastream always receives the
same value, so a Datastream above 99 m fires the first time the rules judge it and stays firing. Without
`--settle`, the timed "on" batches are the rules' first look at most of their Datastreams: each hands ~9 new
alerts to the inbox (a first crossing for ~0.9 % of the messages). `--settle` first sends every Datastream one
untimed reading with the rules on (dated before the timed ones), so the timed "on" batches meet the steady state:
the firing pairs stay firing and nothing new reaches the inbox. The script prints the new alerts per "on" batch.
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

from bench.rules_bench import database_ready, db_arguments, set_rules  # noqa: E402  (after the path)


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
    db_arguments(parser, ROOT / "var" / "bench-mqtt-batch.sqlite3")
    parser.add_argument("--batches", type=int, default=30)
    parser.add_argument("--batch", type=int, default=1000, help="messages per batch")
    parser.add_argument("--streams", type=int, default=20)
    parser.add_argument("--rules", type=int, default=0, help="alert rules over the Datastreams (0: none)")
    parser.add_argument("--profile", action="store_true", help="print a cProfile listing of one batch")
    parser.add_argument("--alternate", action="store_true", help="rules on and off in turn (needs --rules)")
    parser.add_argument(
        "--split", action="store_true", help="CPU ms per batch inside rules_evaluate and its hand-off to the inbox"
    )
    parser.add_argument(
        "--settle", action="store_true", help="first judge every Datastream once, untimed (needs --rules; see above)"
    )
    args = parser.parse_args(argv)
    if (args.alternate or args.settle) and not args.rules:
        parser.error("--alternate and --settle need --rules N")
    args.fresh = True
    return args


def messages(streams: list[int], start: int, count: int) -> list[tuple[Client, Message]]:
    from bench.mqtt_bench import message_body

    client = Client()
    topics = [f"v1.1/Datastreams({pk})/Observations" for pk in streams]
    return [
        (client, Message(topics[seq % len(topics)], message_body(seq), seq % 65535 + 1))
        for seq in range(start, start + count)
    ]


def timed(bridge: Any, batch: list[tuple[Client, Message]]) -> tuple[float, float]:
    """One `Bridge.commit`: (wall µs, CPU µs) per message."""
    started, cpu = time.perf_counter(), time.process_time()
    bridge.commit(batch)
    return (time.perf_counter() - started) / len(batch) * 1e6, (time.process_time() - cpu) / len(batch) * 1e6


def report(label: str, costs: list[tuple[float, float]]) -> tuple[float, float]:
    wall = [w for w, _c in costs]
    cpu = statistics.median(c for _w, c in costs)
    print(
        f"{label}µs per message: median {statistics.median(wall):.1f}, best {min(wall):.1f}, worst {max(wall):.1f};"
        f" CPU median {cpu:.1f}"
    )
    return statistics.median(wall), cpu


def instrument() -> dict[str, float]:
    """`--split`: this process's CPU time inside `rules_evaluate` (the rules' whole work on a batch, hand-off
    included) and inside `HandOffs.flush` (the hand-off to the inbox: `alert_raise_many`, the resolves), summed
    until reset. Wrappers set by this script on the imported names; the product's code is unchanged."""
    import functools

    from ioc.sensors.services import observations, rule_eval

    spent = {"rules": 0.0, "handoff": 0.0}

    def wrap(name: str, function: Any) -> Any:
        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] += time.process_time() - started

        return wrapper

    observations.rules_evaluate = wrap("rules", observations.rules_evaluate)
    rule_eval.HandOffs.flush = wrap("handoff", rule_eval.HandOffs.flush)
    return spent


def settle(bridge: Any, streams: list[int], batch: int) -> None:
    """Every Datastream's reading once, with the rules on, untimed: message numbers −len(streams) … −1 carry the
    same Datastream and value as the timed ones with the same remainder, dated 2019-12-31 (before them)."""
    for start in range(-len(streams), 0, batch):
        bridge.commit(messages(streams, start, min(batch, -start)))


def open_states() -> int:
    from ioc.sensors.choices import RULE_OPEN_STATES
    from ioc.sensors.models import RuleState

    return RuleState.objects.filter(state__in=RULE_OPEN_STATES).count()


def switch(active: bool) -> None:
    """`set_rules`, checking that the switch leaves the rules' states as they were."""
    before = open_states()
    set_rules(None, active)
    if open_states() != before:
        sys.exit("a rules switch changed the open rule states: the on/off comparison would not be fair")


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    from bench.dataset import configure

    configure(args)
    database_ready()
    from bench.mqtt_bench import rules_create, streams_create
    from ioc.accounts.selectors import system_account
    from ioc.incidents.models import Alert
    from ioc.sensors.mqtt import Bridge

    made = time.perf_counter()
    streams = streams_create(args.streams)
    built = time.perf_counter() - made
    if args.rules:
        rules_create(args.rules, streams)
    ruled = time.perf_counter() - made - built
    print(f"{args.db}: {len(streams):,} Datastreams in {built:.1f} s, {args.rules} rules in {ruled:.1f} s")
    bridge = Bridge(actor=system_account(), batch_max=args.batch)
    bridge.commit(messages(streams, 0, args.batch))  # warm-up: caches, the generated FeatureOfInterest
    if args.settle:
        settle(bridge, streams, args.batch)
    spent = instrument() if args.split else {}
    split: list[tuple[float, float, int]] = []  # per "on" batch: rules CPU ms, hand-off CPU ms, new alerts
    load_before = os.getloadavg()[0]
    costs: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
    raised: dict[bool, int] = {True: 0, False: 0}
    for n in range(1, args.batches + 1):
        # ABBA (on, on, off, off, …): each mode meets every block of Datastreams (a batch of 1,000 messages with
        # 2,000 streams names one half, the next the other) and a drift of the machine's load weighs on both.
        active = n % 4 in (1, 2) if args.alternate else bool(args.rules)
        if args.alternate:
            switch(active)
        alerts = Alert.objects.count()
        spent.update(dict.fromkeys(spent, 0.0))
        costs[active].append(timed(bridge, messages(streams, n * args.batch, args.batch)))
        new = Alert.objects.count() - alerts
        raised[active] += new
        if spent and active:
            split.append((spent["rules"] * 1000, spent["handoff"] * 1000, new))
    load_after = os.getloadavg()[0]
    print(f"batches: {args.batches} × {args.batch} messages, {args.streams} Datastreams, {args.rules} rules")
    for mode in (True, False):
        if costs[mode]:
            each = raised[mode] / len(costs[mode])
            print(f"new inbox alerts per batch, rules {'on' if mode else 'off'}: {each:.1f}")
    if args.alternate:
        on, off = report("rules on:  ", costs[True]), report("rules off: ", costs[False])
        print(
            f"overhead: {(on[0] / off[0] - 1) * 100:.1f} % wall, {(on[1] / off[1] - 1) * 100:.1f} % CPU (target ≤ 20 %)"
        )
    else:
        report("", costs[bool(args.rules)])
    print(
        f"stored: {bridge.counters.stored:,} duplicates: {bridge.counters.duplicates}"
        f" rejected: {bridge.counters.rejected}"
    )
    if split:
        print("per 'on' batch, CPU ms inside rules_evaluate / of which the hand-off to the inbox (new alerts):")
        print("  " + ", ".join(f"{r:.1f} / {h:.1f} ({k})" for r, h, k in split))
    print(f"load average (1 min): {load_before:.1f} → {load_after:.1f}")
    if args.profile:
        profiler = cProfile.Profile(time.process_time)  # CPU: a shared machine's waits would swamp wall time
        batch = messages(streams, (args.batches + 1) * args.batch, args.batch)
        profiler.enable()
        bridge.commit(batch)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(20)  # where the time itself goes
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
