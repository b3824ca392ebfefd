"""Security events over syslog (issue 21 "Speed"): the `cyber_syslog` listener in-process on an ephemeral loopback
port, fed over one TCP connection (RFC 6587 octet counting, RFC 5424 messages) at `--rate` events per second for
`--duration` seconds, then over UDP (`--udp` datagrams, loss reported). Counts what was sent and what the batch
writer stored (0 lost is the goal), the sustained rate, and the time the writer needed to drain after the last send.

    .venv/bin/python bench/cyber_syslog_bench.py --db sqlite --out var/bench-cyber.sqlite3 --fresh
    bash bench/pg-bench --build "" --run bench/cyber_syslog_bench.py

Not measured here yet: the p95 event → inbox alert, rsyslog beside it, 60 s runs at 10,000 events/s.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--out", default=str(ROOT / "var" / "bench-cyber.sqlite3"))
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--fresh", action="store_true", help="delete the SQLite file first")
    parser.add_argument("--rate", type=float, default=10_000, help="TCP events per second")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of TCP sending")
    parser.add_argument("--udp", type=int, default=5_000, help="UDP datagrams after the TCP run (0: none)")
    parser.add_argument("--drain-timeout", type=float, default=120.0)
    return parser.parse_args(argv)


def _frame(n: int, stamp: str) -> bytes:
    message = f"<34>1 {stamp} bench-host sshd {n} - - Failed password for root port {n}".encode()
    return str(len(message)).encode() + b" " + message


def send_tcp(port: int, rate: float, duration: float) -> int:
    """Paced sending in 10 ms slices; returns how many frames went out."""
    sent, started = 0, time.monotonic()
    with socket.create_connection(("127.0.0.1", port)) as sock:
        while (elapsed := time.monotonic() - started) < duration:
            due = int(elapsed * rate)
            if due > sent:
                stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()) + f".{sent % 1_000_000:06d}Z"
                sock.sendall(b"".join(_frame(n, stamp) for n in range(sent, due)))
                sent = due
            else:
                time.sleep(0.01)
    return sent


def send_udp(port: int, count: int) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        for n in range(count):
            stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()) + f".{n:06d}Z"
            sock.sendto(f"<34>1 {stamp} bench-udp sshd {n} - - udp {n}".encode(), ("127.0.0.1", port))
    return count


def wait_for(host: str, expected: int, timeout: float) -> tuple[int, float]:
    from ioc.cybersecurity.models import SecurityEvent

    started = time.monotonic()
    stored = 0
    while time.monotonic() - started < timeout:
        stored = SecurityEvent.objects.filter(host=host).count()
        if stored >= expected:
            break
        time.sleep(0.2)
    return stored, time.monotonic() - started


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    from bench.dataset import cache_tables, configure

    configure(args)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    cache_tables()
    from ioc.accounts.testing import personas_create, system_actor
    from ioc.cybersecurity.ingest import SourceMap, syslog_batch
    from ioc.cybersecurity.services import event_source_set
    from ioc.cybersecurity.syslog import Listener

    actor = system_actor()
    people = personas_create()
    event_source_set(actor=people.admin, name="bench", address="127.0.0.1", agency=people.agency_a)
    sources = SourceMap()
    listener = Listener(
        host="127.0.0.1", port=0, flush=lambda lines: syslog_batch(lines=lines, sources=sources, actor=actor)
    ).start()
    print(f"load average before: {os.getloadavg()[0]:.1f}", flush=True)
    started = time.monotonic()
    sent = send_tcp(listener.port, args.rate, args.duration)
    send_time = time.monotonic() - started
    stored, drain = wait_for("bench-host", sent, args.drain_timeout)
    total = time.monotonic() - started
    print(
        f"tcp: sent {sent:,} in {send_time:.1f}s ({sent / send_time:,.0f}/s); stored {stored:,}; "
        f"lost {sent - stored:,}; drained {drain:.1f}s after the last send; end to end {stored / total:,.0f}/s"
    )
    if args.udp:
        udp = send_udp(listener.port, args.udp)
        got, _drain = wait_for("bench-udp", udp, 30.0)
        print(f"udp: sent {udp:,}, stored {got:,}, lost {udp - got:,} ({100 * (udp - got) / udp:.1f} %)")
    listener.stop()
    return 0 if stored == sent else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
