"""Crash safety (issue 16, R9.3; DESIGN "Durable work"): the real processes, SIGKILLed at random, lose nothing.

    .venv/bin/python bench/load/crash.py --seconds 90 --seed 7          (make crash: through its pytest test)
    bash bench/load/crash-pg --seconds 90                                (make crash-pg: PostgreSQL + Redis, scaled out)

On a temporary database (migrated, then the registry's world: the test subset of units, the personas
and their token, a category, two datastreams, a dataset, an indicator; and the durable-work fixtures: assignments
under a two-step escalation chain whose steps fall due during the load, a daily data obligation never met, and
pull connectors falling due one by one on a loopback CSV source the harness serves) it
starts, as deploy/Procfile lists them, gunicorn (config/gunicorn.py), the Huey consumer with the scheduler, the
audit sealer, the MQTT bridge (Mosquitto from scripts/system-deps as the broker) and a sweep loop (the
consumer's quarter-hourly reminder task and its escalation sweep in a loop, so kills land inside them); with
--scale-out also a second web server and a `--no-periodic` consumer. Each runs in a process group of its own
(bench/load/groups.py: killed at exit, on SIGTERM and by the test's `harness_run` whatever happened, so no child
outlives a failed run). It drives the registry's mix (bench/load/registry.py) from several threads and, every few
seconds, SIGKILLs one process group (drawn by the seeded generator from a shuffled bag, so each dies in every
round), then restarts it after a random pause.

When the load stops, the leases the killed processes held are fast-forwarded to expiry (the only clock the harness
moves: waiting 5 or 10 minutes proves nothing more), the real consumer's sweepers resume the work (enqueued by the
harness, not left to the scheduler's minute: a consumer restarted late in the load ticks 60 s after its start), and
`verify`, every second in one process until nothing is left, proves from the database and the mail files:

- every acknowledged write (2xx, or a QoS 1 PUBACK) is present and complete, and stored once;
- the outbox: every row ended sent and its delivery id reached the mail receiver (at least once, deduplicated
  by that id: redeliveries are counted and printed), no pending or leased row left;
- escalations: every assignment reached the chain's last tier by exactly one step (both tiers are past when it wakes:
  one catch-up step naming the tier it passed, docs/decisions/0011);
- reminders: written, each once (the outbox's dedup key), and a sweep now would write none (none lost);
- connector runs: each pull connector that fell due under the kills (bench/load/connectors.py, a loopback CSV
  source the harness serves) recorded one successful run, its rows stored, none failed and none run twice;
- large imports: every job done with its submission complete, none queued or running (absent or complete);
- the audit chain verifies (`audit_verify`) after the sealer was killed mid-round;
- shared state, not process memory: 70 Open311 POSTs of an ordinary key spread over the web servers within one
  minute are let through 60 times (the key's limit), whichever server counted them; a category retired through the
  first web server is refused by every worker of the last within the reference copies' recheck interval
  (bench/load/refcache_lag.py).

It prints cases run, kills survived, acknowledged writes checked, lost and doubled; exit status 1 unless lost
and doubled are 0 and the durable work is drained. Tested by ioc/common/tests/test_crash_safety.py (marker `crash`).
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.load import connectors, durable, refcache_lag, registry  # noqa: E402
from bench.load.groups import Groups, guard  # noqa: E402

PYTHON = str(ROOT / ".venv" / "bin" / "python")
MANAGE = [PYTHON, str(ROOT / "manage.py")]
# Every child's process group, killed at exit, on SIGTERM/SIGHUP/SIGINT and in `run`'s finally (bench/load/groups.py).
GROUPS = Groups()


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=90.0, help="seconds of load with kills")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--kill-every", type=float, default=4.0, help="mean seconds between two kills")
    parser.add_argument("--senders", type=int, default=3, help="HTTP sender threads (plus one MQTT publisher)")
    parser.add_argument("--drain", type=float, default=240.0, help="seconds to wait for the work to resume")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (its path is printed)")
    parser.add_argument("--database-url", default="", help="PostgreSQL instead of a temporary SQLite file")
    parser.add_argument("--redis-url", default="", help="Redis for the cache, rate limits and Huey")
    parser.add_argument(
        "--scale-out", action="store_true", help="two web servers and two Huey consumers (one --no-periodic)"
    )
    parser.add_argument("--prepare", metavar="DIR", help=argparse.SUPPRESS)
    parser.add_argument("--source-port", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--arm", metavar="DIR", help=argparse.SUPPRESS)
    parser.add_argument("--drain-in", metavar="DIR", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def environment(args: argparse.Namespace, var: Path, web_port: int, mqtt_port: int) -> dict[str, str]:
    """Production settings on the temporary directory, with bench/load/settings_crash.py's observation points."""
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
    for key in ("SECRET_KEY", "AUDIT_KEY", "TOKEN_HMAC_KEY", "FIELD_ENCRYPTION_KEY"):
        env[key] = f"crash-only-{key.lower()}-" + "c" * 40
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.load.settings_crash",
            "IOC_VAR_DIR": str(var),
            "IOC_TLS": "0",
            "DEBUG": "0",
            "LOG_LEVEL": "WARNING",
            "PORT": str(web_port),
            "WEB_CONCURRENCY": "2",
            "NOTIFICATIONS_TRANSPORTS": "email",
            "MQTT_HOST": "127.0.0.1",
            "MQTT_PORT": str(mqtt_port),
            "MQTT_CLIENT_ID": "ioc-crash-bridge",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


# --- processes -----------------------------------------------------------------------------------------------------


@dataclass
class Proc:
    """One line of deploy/Procfile, run in a process group of its own (SIGKILL takes its children too)."""

    name: str
    argv: list[str]
    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes] | None = None
    kills: int = 0

    def start(self) -> None:
        with self.log.open("ab") as handle:
            self.process = GROUPS.spawn(self.argv, cwd=ROOT, env=self.env, stdout=handle, stderr=subprocess.STDOUT)

    def kill(self) -> None:
        assert self.process is not None
        GROUPS.killed(self.process)
        self.kills += 1

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=25)
        GROUPS.killed(self.process)  # its workers too, should the leader have left them


# The consumer's quarter-hourly task (ioc.datahub.tasks.send_obligation_reminders), its escalation sweep
# (ioc.assignments.tasks.escalate_due: the consumer's scheduler runs it at its start and then every 60 s, so a short
# load may see no tick after the steps fall due) and its connector sweep (sweep_connectors, every minute too) in a
# loop of their own, so kills land inside them.
SWEEPS = (
    "import time\nfrom ioc.assignments.tasks import escalate_due\n"
    "from ioc.datahub.tasks import send_obligation_reminders, sweep_connectors\n"
    "while True:\n    send_obligation_reminders.call_local()\n    escalate_due.call_local()\n"
    "    sweep_connectors.call_local()\n    time.sleep(1)\n"
)


def procfile(env: dict[str, str], var: Path, web_ports: list[int]) -> list[Proc]:
    """deploy/Procfile's lines; scaled out (two web ports): a second web server and `worker-extra`."""
    gunicorn = [str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi:application", "-c", "config/gunicorn.py"]
    lines: dict[str, tuple[list[str], dict[str, str]]] = {
        "web": (gunicorn, {}),
        "worker": ([*MANAGE, "run_huey", "--workers", "2", "--worker-type", "thread"], {}),
        "audit-sealer": ([*MANAGE, "audit_sealer", "--interval", "1"], {}),
        "mqtt-bridge": ([*MANAGE, "mqtt_bridge"], {}),
        "sweeps": ([*MANAGE, "shell", "-c", SWEEPS], {}),
    }
    if len(web_ports) > 1:
        lines["web-2"] = (gunicorn, {"PORT": str(web_ports[1])})
        lines["worker-extra"] = (
            [*MANAGE, "run_huey", "--no-periodic", "--workers", "4", "--worker-type", "thread"],
            {},
        )
    return [Proc(name, argv, {**env, **extra}, var / f"{name}.log") for name, (argv, extra) in lines.items()]


def wait_for_web(port: int, limit: float = 60.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer /healthz in time")


def start_broker(var: Path, port: int) -> subprocess.Popen[bytes]:
    from ioc.sensors.tests.mqtt_broker import broker_config

    executable = "/usr/sbin/mosquitto"
    if not Path(executable).exists():
        sys.exit("mosquitto is missing: run 'sudo bash scripts/system-deps'")
    config = var / "mosquitto.conf"
    config.write_text(broker_config(port))
    with (var / "mosquitto.log").open("wb") as log:
        broker = GROUPS.spawn([executable, "-c", str(config)], stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return broker
        except OSError:
            time.sleep(0.05)
    GROUPS.killed(broker)
    raise RuntimeError("mosquitto did not start")


def publisher(port: int) -> Any:
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion

    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="crash-load", protocol=mqtt.MQTTv5)
    client.connect("127.0.0.1", port)
    client.loop_start()
    return client


# --- the load ------------------------------------------------------------------------------------------------------


@dataclass
class Load:
    """The senders' shared state: numbers for each write path, the acknowledged writes and the attempts."""

    target: registry.Target
    acks: Path
    stop: threading.Event = field(default_factory=threading.Event)
    numbers: dict[str, Any] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    attempts: int = 0
    acknowledged: int = 0

    def number(self, name: str) -> int:
        with self.lock:
            counter = self.numbers.setdefault(name, itertools.count())
            return int(next(counter))

    def record(self, expect: registry.Expect | None) -> None:
        with self.lock:
            self.attempts += 1
            if expect is None:
                return
            self.acknowledged += 1
            with self.acks.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps({"kind": expect.kind, "key": expect.key, "row": expect.row}) + "\n")

    def run(self, seed: int, transport: str, target: registry.Target) -> None:
        rng = random.Random(seed)
        paths = [w for d in registry.DOMAINS for w in d.writes if w.transport == transport]
        weights = [w.weight for w in paths]
        while not self.stop.is_set():
            path = rng.choices(paths, weights)[0]
            expect = path.send(target, self.number(path.name))
            self.record(expect)
            if expect is None:
                time.sleep(0.05)  # the server is down: don't spin
            elif transport == "mqtt":
                time.sleep(0.05)  # ~20 publishes a second: the HTTP mix keeps its share


def arm(env: dict[str, str], var: Path, seconds: float, armed: list[Any]) -> None:
    """In a thread beside the load: wake the escalation fixtures (their result, or the error, in `armed`)."""
    try:
        armed.append(in_process("arm", env, var, "--seconds", str(seconds)))
    except Exception as error:  # told to the harness thread, which raises it
        armed.append(error)


def kill_loop(procs: list[Proc], args: argparse.Namespace, web_ports: list[int]) -> int:
    """SIGKILL one process group at random moments (the seeded generator), restart it after a random pause;
    returns the kills survived. A restarted web server is not waited for (the senders meet a refused connection,
    not acknowledged): on a loaded machine its start took 15-20 s of a 35 s load, and the run saw 3 kills of the
    5 the test asks for. Every web server answers again before the function returns."""
    rng = random.Random(args.seed)
    ends = time.monotonic() + args.seconds
    kills = 0
    bag: list[Proc] = []  # victims drawn from a shuffled bag: every process dies in each round
    while time.monotonic() < ends:
        time.sleep(rng.uniform(0.3, 2 * args.kill_every - 0.3))
        if not bag:
            bag = rng.sample(procs, len(procs))
        victim = bag.pop()
        victim.kill()
        kills += 1
        time.sleep(rng.uniform(0.1, 1.5))
        victim.start()
    for port in web_ports:
        wait_for_web(port)
    return kills


# --- in-process steps (Django set up on the temporary database) -------------------------------------------------------


def prepare(var: Path, source_port: int) -> None:
    """The migrated database (in this process: a Django start and the system checks cost ~10 s each on a loaded
    machine), the world every domain's writes need (registry.world_base, then each domain's prepare), and the
    durable work's fixtures."""
    durable.django_setup()
    from django.core.management import call_command
    from django.db import connections

    started = time.monotonic()
    call_command("migrate", verbosity=0, skip_checks=True)
    migrated = time.monotonic()
    for alias in connections:
        call_command("createcachetable", database=alias, verbosity=0)
    world = registry.world_base()
    for domain in registry.DOMAINS:
        world.update(domain.prepare(world))
    durable.escalation_world(world)
    durable.reminder_world(world)
    connectors.connector_world(world, source_port)
    world.update(refcache_lag.prepare(world))
    durable.plain_token(world)
    (var / "world.json").write_text(json.dumps(world))
    print(f"migrate {migrated - started:.0f} s, world {time.monotonic() - migrated:.0f} s", flush=True)


def shared_limit(targets: list[registry.Target]) -> tuple[int, int]:
    """(answered 200, answered 429) for 70 Open311 POSTs with the plain token spread over every web server in
    one minute's window: a shared counter lets 60 through (`open311.post.key`), one per process 60 each. The
    windows are aligned to the minute: started in a window's first half, so all 70 fall in it. The plain token
    is used nowhere else, and the one address the load shares is not limited (bench/load/settings_crash.py):
    no need to wait for a window the load did not touch (that cost up to a minute)."""
    while time.time() % 60 > 30:
        time.sleep(1)
    answers: list[int] = []
    for n in range(70):
        target = targets[n % len(targets)]
        plain = registry.Target(base=target.base, world={**target.world, "token": target.world["plain_token"]})
        form = {
            "api_key": plain.world["token"],
            "service_code": plain.world["report_category"],
            "address_id": registry.COMMUNE,
            "description": f"Đèn đường hỏng trước nhà văn hoá thôn, phép thử giới hạn {n}",
        }
        body = urllib.parse.urlencode(form).encode()
        answer = plain.call("POST", "/open311/v2/requests.json", body, "application/x-www-form-urlencoded")
        answers.append(answer[0] if answer else 0)
    return answers.count(200), answers.count(429)


def in_process(step: str, env: dict[str, str], var: Path, *extra: str) -> dict[str, Any]:
    """One step in a Django process of its own; its log lines are printed, its last JSON line returned."""
    command = [PYTHON, str(Path(__file__).resolve()), f"--{step}", str(var), *extra]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{step} failed:\n{done.stdout}\n{done.stderr}")
    for line in done.stdout.splitlines():
        if not line.startswith("{"):
            print(line)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    return json.loads(lines[-1]) if lines else {}


# --- the run -------------------------------------------------------------------------------------------------------


def drain(env: dict[str, str], var: Path, limit: float) -> dict[str, Any]:
    """Wait until every acknowledged write is found and no durable work is left (or `limit` s passed): one
    process expires the leases, wakes the real consumer's sweepers and verifies every second (durable.drain)."""
    result = in_process("drain-in", env, var, "--drain", str(limit))
    print(f"drained in {result['drained_in']:.0f} s ({result['leases_expired']} leases of killed processes expired)")
    return result


def run(args: argparse.Namespace, var: Path) -> int:
    web_ports = [free_port() for _i in range(2 if args.scale_out else 1)]
    mqtt_port = free_port()
    env = environment(args, var, web_ports[0], mqtt_port)
    started = time.monotonic()
    source = connectors.source_start()  # the pull connectors' loopback endpoint, never killed
    prepare_argv = [PYTHON, __file__, "--prepare", str(var), "--source-port", str(source.server_address[1])]
    subprocess.run(prepare_argv, cwd=ROOT, env=env, check=True)
    world = json.loads((var / "world.json").read_text())
    env["BENCH_TOKEN_PREFIX"] = world["token"][4:14]
    broker = start_broker(var, mqtt_port)
    procs = procfile(env, var, web_ports)
    threads: list[threading.Thread] = []
    try:
        for proc in procs:
            proc.start()
        for port in web_ports:
            wait_for_web(port)
        print(f"set-up: {time.monotonic() - started:.0f} s; load for {args.seconds:.0f} s, seed {args.seed}")
        print("processes: " + ", ".join(p.name for p in procs))
        mqtt = publisher(mqtt_port)
        targets = [registry.Target(base=f"http://127.0.0.1:{port}", world=world, mqtt=mqtt) for port in web_ports]
        load = Load(target=targets[0], acks=var / "acks.jsonl")
        for i in range(args.senders):
            target = targets[i % len(targets)]
            threads.append(threading.Thread(target=load.run, args=(args.seed * 100 + i, "http", target), daemon=True))
        threads.append(threading.Thread(target=load.run, args=(args.seed * 100 + 99, "mqtt", targets[0]), daemon=True))
        for thread in threads:
            thread.start()
        armed: list[Any] = []  # the escalation steps fall due under the kills (durable.escalations_arm)
        arming = threading.Thread(target=arm, args=(env, var, args.seconds, armed), daemon=True)
        arming.start()
        kills = kill_loop(procs, args, web_ports)
        load.stop.set()
        arming.join(timeout=60)
        if not armed or isinstance(armed[0], Exception):
            raise RuntimeError(f"the escalations were not armed: {armed}")
        for thread in threads:
            thread.join(timeout=30)
        mqtt.loop_stop()
        mqtt.disconnect()
        result = drain(env, var, args.drain)
        result["shared_limit"] = shared_limit(targets)
        result["refcache"] = refcache_lag.lag(targets[0], targets[-1])
    finally:
        for proc in procs:
            proc.stop()
        GROUPS.killed(broker, signal.SIGTERM)
        source.shutdown()
    audit = subprocess.run([*MANAGE, "audit_verify", "--no-seal"], cwd=ROOT, env=env, capture_output=True, text=True)
    return report(load, kills, procs, targets, result, audit)


def report(
    load: Load,
    kills: int,
    procs: list[Proc],
    targets: list[registry.Target],
    result: dict[str, Any],
    audit: subprocess.CompletedProcess[str],
) -> int:
    by_process = ", ".join(f"{p.name} {p.kills}" for p in procs)
    print(f"cases run: {load.attempts} requests and publishes, {load.acknowledged} acknowledged")
    print(f"kills survived: {kills} ({by_process})")
    print(f"acknowledged writes checked: {result['checked']}")
    print(
        f"durable work: {result['outbox_sent']} outbox rows sent and received ({result['redelivered']} redelivered, "
        f"deduplicated by delivery id), {result['jobs_done']} large imports done, "
        f"{result['escalations']} escalation steps fired of {durable.ESCALATED * durable.STEPS_EACH} (each a catch-up "
        f"to tier {durable.ESCALATION_STEPS}), "
        f"{result['connector_runs']} connector runs recorded of {connectors.CONNECTORS}, "
        f"{result['reminders']} reminders written once, pending {result['pending']}"
    )
    print(f"audit chain: {'verifies' if audit.returncode == 0 else 'BROKEN'} {audit.stdout.strip()[:200]}")
    passed, refused = result["shared_limit"]
    print(f"rate limit over {len(targets)} web server(s): {passed} of 70 let through, {refused} refused (limit 60)")
    lag = result["refcache"]
    print(
        f"reference copies: a category retired on web server 1 was refused by every worker of web server "
        f"{len(targets)} after {lag['seconds']} s (bound {lag['bound']} s; retire answered {lag['retire']}, "
        f"{lag['polls']} polls)"
    )
    print(f"lost {len(result['lost'])}, doubled {len(result['doubled'])}")
    for line in (result["lost"] + result["doubled"])[:20]:
        print(f"  {line}")
    clean = not result["lost"] and not result["doubled"] and not any(result["pending"].values())
    clean = clean and (passed, refused) == (60, 10) and lag["ok"]
    return 0 if clean and audit.returncode == 0 and result["checked"] > 0 and kills > 0 else 1


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if args.prepare:
        prepare(Path(args.prepare), args.source_port)
        return 0
    if args.arm:
        durable.escalations_arm(args.seconds)
        return 0
    if args.drain_in:
        durable.drain(Path(args.drain_in), args.drain)
        return 0
    guard(GROUPS)
    var = Path(tempfile.mkdtemp(prefix="ioc-crash-"))
    try:
        return run(args, var)
    finally:
        if args.keep:
            print(f"kept: {var}")
        else:
            import shutil

            shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
