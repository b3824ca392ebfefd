"""Security events over syslog (issue 21 "Speed"): `manage.py cyber_syslog` beside Debian's rsyslog, same stream.

    .venv/bin/python bench/cyber_syslog_bench.py --out var/bench-cyber-syslog.sqlite3 --rate 10000 --duration 60

1. Migrates a fresh SQLite file with the production settings (`config.settings`), registers 127.0.0.1 as an event
   source of one agency and an event rule raising `cyber.event` for every `syslog:bench-alert` event (threshold 1).
2. Starts `manage.py cyber_syslog --host 127.0.0.1 --port 0` as its own process (the port it prints).
3. A separate sender process (this script, `--role send`) writes RFC 5424 messages over one TCP connection with
   RFC 6587 octet counting, paced at `--rate` per second for `--duration` seconds; one in `--alert-every` is a
   `bench-alert` event on a host of its own, so each raises its own alert; the sender notes when it sent each.
4. Waits until the listener has stored them (or stops growing for `--drain-timeout` s): sent, stored, lost, the
   listener's CPU seconds per 1,000 events (/proc), and event → inbox alert (the alert's `first_seen_at` minus the
   time the sender wrote the event; one machine, one clock) p50/p95/max.
5. The same stream (a new sender process) to rsyslogd 8.2302 (`imtcp` → `omfile`, one line per message) on its own
   loopback port: its received count, time to write them all and CPU: the ceiling.
6. UDP: `--udp-rate` datagrams per second for `--udp-duration` s to each, the loss of each reported.

Needs `/usr/sbin/rsyslogd` (bench only, never CI): `apt-get install -y rsyslog`; `--no-rsyslog` skips it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RSYSLOGD = "/usr/sbin/rsyslogd"
TICK = os.sysconf("SC_CLK_TCK")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=str(ROOT / "var" / "bench-cyber-syslog.sqlite3"), help="SQLite file")
    parser.add_argument("--rate", type=float, default=10_000, help="TCP events per second")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of TCP sending")
    parser.add_argument("--alert-every", type=int, default=1000, help="one alert-raising event in N")
    parser.add_argument("--udp-rate", type=float, default=10_000)
    parser.add_argument("--udp-duration", type=float, default=10.0, help="0: no UDP run")
    parser.add_argument("--drain-timeout", type=float, default=60.0, help="s without progress before giving up")
    parser.add_argument("--no-rsyslog", action="store_true")
    parser.add_argument("--role", choices=["bench", "send"], default="bench")
    parser.add_argument("--proto", choices=["tcp", "udp"], default="tcp")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--tag", default="ioc")
    return parser.parse_args(argv)


# --- the sender process ------------------------------------------------------------------------------------------


def _message(n: int, stamp: str, tag: str, alert_every: int, proto: str) -> bytes:
    if alert_every and n % alert_every == alert_every - 1:
        return f"<34>1 {stamp} alert-{tag}-{n} bench-alert {n} - - Brute force from 10.0.{n % 250}.{n % 200}".encode()
    return f"<34>1 {stamp} bench-{proto} sshd {n} - - Failed password for root from 10.0.0.{n % 250} port {n}".encode()


def send(args: argparse.Namespace) -> None:
    """Paced in 5 ms slices; prints JSON: sent, seconds, the alert hosts' send times (time.time())."""
    sent, alerts, started = 0, {}, time.monotonic()
    total = int(args.duration * args.rate)
    family = socket.SOCK_STREAM if args.proto == "tcp" else socket.SOCK_DGRAM
    with socket.socket(socket.AF_INET, family) as sock:
        sock.connect(("127.0.0.1", args.port))
        while sent < total:
            due = min(int((time.monotonic() - started) * args.rate) + 1, total)
            if due <= sent:
                time.sleep(0.005)
                continue
            now = time.time()
            stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + f".{int(now % 1 * 1e6):06d}Z"
            messages = [_message(n, stamp, args.tag, args.alert_every, args.proto) for n in range(sent, due)]
            if args.proto == "tcp":
                sock.sendall(b"".join(str(len(m)).encode() + b" " + m for m in messages))
            else:
                for message in messages:
                    sock.send(message)
            for n in range(sent, due):
                if args.alert_every and n % args.alert_every == args.alert_every - 1:
                    alerts[f"alert-{args.tag}-{n}"] = now
            sent = due
    print(json.dumps({"sent": sent, "seconds": time.monotonic() - started, "alerts": alerts}))


def start_sender(args: argparse.Namespace, proto: str, port: int, tag: str, rate: float, duration: float):
    command = [sys.executable, __file__, "--role", "send", "--proto", proto, "--port", str(port), "--tag", tag]
    command += ["--rate", str(rate), "--duration", str(duration), "--alert-every", str(args.alert_every)]
    return subprocess.Popen(command, stdout=subprocess.PIPE, text=True)


def sender_result(process: subprocess.Popen) -> dict:
    out, _err = process.communicate()
    return json.loads(out)


# --- measuring -------------------------------------------------------------------------------------------------


def _stat(pid: int | str) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def cpu_seconds(pid: int) -> float:
    """utime + stime of the process and its running children (the listener's writer process)."""
    total = 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = _stat(entry.name)
            except OSError:
                continue
            if int(entry.name) == pid or int(fields[1]) == pid:
                total += int(fields[11]) + int(fields[12])
    return total / TICK


def drain(count, expected: int, timeout: float) -> tuple[int, float]:
    """Polls `count()` until it reaches `expected` or stops growing for `timeout` s; (count, when it last grew)."""
    last, grew = -1, time.monotonic()
    while True:
        now_count = count()
        if now_count != last:
            last, grew = now_count, time.monotonic()
        if now_count >= expected or time.monotonic() - grew > timeout:
            return now_count, grew
        time.sleep(0.25)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentiles(values: list[float]) -> str:
    if len(values) < 2:
        return "n/a"
    cuts = statistics.quantiles(values, n=100)
    return f"p50 {statistics.median(values):.2f} s, p95 {cuts[94]:.2f} s, max {max(values):.2f} s"


def load() -> str:
    return " ".join(f"{v:.1f}" for v in os.getloadavg())


# --- the IOC listener ------------------------------------------------------------------------------------------


def setup() -> None:
    from bench.dataset import cache_tables, configure

    configure(argparse.Namespace(db="sqlite", out=ARGS.out, fresh=True, database_url=""))
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    cache_tables()
    from ioc.accounts.testing import personas_create
    from ioc.common.choices import Severity
    from ioc.cybersecurity.services import event_rule_set, event_source_set

    people = personas_create()
    event_source_set(actor=people.admin, name="bench", address="127.0.0.1", agency=people.agency_a)
    event_rule_set(
        actor=people.admin,
        code="bench-alert",
        name="Dò mật khẩu (benchmark)",
        rule_prefix="syslog:bench-alert",
        min_severity=Severity.HIGH,
        threshold=1,
        window_minutes=10,
    )


def start_listener() -> tuple[subprocess.Popen, int]:
    command = [sys.executable, str(ROOT / "manage.py"), "cyber_syslog", "--host", "127.0.0.1", "--port", "0"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert process.stdout is not None
    line = process.stdout.readline()  # "Đang nhận syslog trên cổng N (UDP, TCP) / Listening on N"
    return process, int(line.rsplit(" ", 1)[1])


def ioc_tcp(listener: subprocess.Popen, port: int) -> dict:
    from ioc.cybersecurity.models import SecurityEvent
    from ioc.incidents.models import Alert

    cpu0, started = cpu_seconds(listener.pid), time.monotonic()
    sender = start_sender(ARGS, "tcp", port, "ioc", ARGS.rate, ARGS.duration)
    sent = sender_result(sender)
    stored, last = drain(SecurityEvent.objects.count, sent["sent"], ARGS.drain_timeout)
    cpu = cpu_seconds(listener.pid) - cpu0
    raised = dict(
        Alert.objects.filter(source="cybersecurity", dedup_key__startswith="alert-ioc-").values_list(
            "dedup_key", "first_seen_at"
        )
    )
    latencies = []
    for host, at in sent["alerts"].items():
        seen = raised.get(f"{host}:bench-alert")
        if seen is not None:
            latencies.append(seen.timestamp() - at)
    return {
        **sent,
        "stored": stored,
        "done": last - started,
        "cpu": cpu,
        "latencies": latencies,
        "alerts_expected": len(sent["alerts"]),
    }


def ioc_udp(port: int, before: int) -> dict:
    from ioc.cybersecurity.models import SecurityEvent

    sent = sender_result(start_sender(ARGS, "udp", port, "ioc-udp", ARGS.udp_rate, ARGS.udp_duration))
    stored, _last = drain(lambda: SecurityEvent.objects.count() - before, sent["sent"], 10.0)
    return {"sent": sent["sent"], "stored": stored}


# --- rsyslog ----------------------------------------------------------------------------------------------------

RSYSLOG_CONF = """global(workDirectory="{dir}")
module(load="imtcp")
module(load="imudp")
input(type="imtcp" address="127.0.0.1" port="{port}")
input(type="imudp" address="127.0.0.1" port="{port}")
template(name="raw" type="string" string="%rawmsg%\\n")
if $rawmsg contains "bench-udp" then {{
  action(type="omfile" file="{dir}/udp.log" template="raw")
}} else {{
  action(type="omfile" file="{dir}/tcp.log" template="raw")
}}
"""


def lines_in(path: Path) -> int:
    if not path.exists():
        return 0
    with path.open("rb") as handle:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))


def rsyslog_runs() -> tuple[dict, dict]:
    workdir = ROOT / "var" / "bench-rsyslog"
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    port = free_port()
    (workdir / "rsyslog.conf").write_text(RSYSLOG_CONF.format(dir=workdir, port=port))
    command = [RSYSLOGD, "-n", "-f", str(workdir / "rsyslog.conf"), "-i", str(workdir / "rsyslogd.pid")]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        cpu0, started = cpu_seconds(process.pid), time.monotonic()
        sent = sender_result(start_sender(ARGS, "tcp", port, "rsyslog", ARGS.rate, ARGS.duration))
        stored, last = drain(lambda: lines_in(workdir / "tcp.log"), sent["sent"], 15.0)
        tcp = {"sent": sent["sent"], "seconds": sent["seconds"], "stored": stored, "done": last - started}
        tcp["cpu"] = cpu_seconds(process.pid) - cpu0
        udp = {"sent": 0, "stored": 0}
        if ARGS.udp_duration:
            sent = sender_result(start_sender(ARGS, "udp", port, "rsyslog-udp", ARGS.udp_rate, ARGS.udp_duration))
            udp = {"sent": sent["sent"], "stored": drain(lambda: lines_in(workdir / "udp.log"), sent["sent"], 5.0)[0]}
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    (workdir / "tcp.log").unlink(missing_ok=True)
    (workdir / "udp.log").unlink(missing_ok=True)
    return tcp, udp


# --- report -------------------------------------------------------------------------------------------------------


def report_tcp(name: str, run: dict) -> None:
    lost = run["sent"] - run["stored"]
    print(
        f"{name} tcp: sent {run['sent']:,} in {run['seconds']:.1f} s ({run['sent'] / run['seconds']:,.0f}/s); "
        f"stored {run['stored']:,}; lost {lost:,}; all stored {run['done']:.1f} s after the first send "
        f"({run['done'] - run['seconds']:+.1f} s after the last); CPU {run['cpu']:.1f} s "
        f"= {1000 * run['cpu'] / max(run['stored'], 1):.3f} s per 1,000 events",
        flush=True,
    )


def report_udp(name: str, run: dict) -> None:
    lost = run["sent"] - run["stored"]
    share = 100 * lost / run["sent"] if run["sent"] else 0.0
    print(f"{name} udp: sent {run['sent']:,}; stored {run['stored']:,}; lost {lost:,} ({share:.1f} %)", flush=True)


def bench() -> int:
    if not ARGS.no_rsyslog and not Path(RSYSLOGD).exists():
        print(f"{RSYSLOGD} is missing (the ceiling, bench only): apt-get install -y rsyslog  (or --no-rsyslog)")
        return 2
    setup()
    print(f"load average before: {load()}", flush=True)
    listener, port = start_listener()
    try:
        tcp = ioc_tcp(listener, port)
        report_tcp("cyber_syslog", tcp)
        print(
            f"cyber_syslog event → inbox alert: {len(tcp['latencies'])} of {tcp['alerts_expected']} alerts; "
            f"{percentiles(tcp['latencies'])}",
            flush=True,
        )
        if ARGS.udp_duration:
            report_udp("cyber_syslog", ioc_udp(port, tcp["stored"]))
    finally:
        listener.send_signal(signal.SIGTERM)
        listener.wait(timeout=60)
    print(f"load average after the listener's runs: {load()}", flush=True)
    if not ARGS.no_rsyslog:
        r_tcp, r_udp = rsyslog_runs()
        report_tcp("rsyslogd 8.2302", r_tcp)
        if ARGS.udp_duration:
            report_udp("rsyslogd 8.2302", r_udp)
        print(f"load average after: {load()}", flush=True)
    return 0 if tcp["stored"] == tcp["sent"] else 1


if __name__ == "__main__":
    ARGS = parse_args(sys.argv[1:])
    if ARGS.role == "send":
        send(ARGS)
        sys.exit(0)
    sys.exit(bench())
