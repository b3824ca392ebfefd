"""One check round of 500 watched sites (issue 21 "Speed": every 5 minutes, each round done in ≤ 60 s).

    .venv/bin/python bench/cyber_checks_bench.py --out var/bench-cyber-checks.sqlite3 --sites 500 --silent 0.1

A separate process serves the sites on 127.0.0.1: an HTTP server (`/site/N/`, a small page with security headers)
and, for `--silent` of them, a port that accepts connections and never answers. The benchmark migrates a fresh
SQLite file with the production settings (`config.settings`, `OUTBOUND_TIMEOUT_SECONDS` as deployed: 15 s) plus,
for this run only, loopback in `OUTBOUND_ALLOWED_CIDRS` (the address guard refuses it otherwise), registers the
sites as assets and runs the periodic task the worker calls (`tasks.run_checks`: claim by lease, probe, record
each result and its alerts), timing the round: wall, CPU of this process, results recorded, sites down.
"""

from __future__ import annotations

import argparse
import http.server
import multiprocessing
import os
import socket
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGE = (
    "<!doctype html><html lang='vi'><head><title>Cổng thông tin {n}</title></head><body>"
    "<main id='noi-dung'><h1>Cổng thông tin điện tử số {n}</h1><p>Tin tức, văn bản, dịch vụ công.</p></main>"
    "</body></html>"
)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=str(ROOT / "var" / "bench-cyber-checks.sqlite3"), help="SQLite file")
    parser.add_argument("--sites", type=int, default=500)
    parser.add_argument("--silent", type=float, default=0.1, help="share of sites that accept and never answer")
    return parser.parse_args(argv)


class _Site(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        body = PAGE.format(n=self.path.strip("/").rsplit("/", 1)[-1]).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Content-Security-Policy", "default-src 'self'")
        self.send_header("Strict-Transport-Security", "max-age=31536000")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024


def serve(ports: multiprocessing.connection.Connection) -> None:
    """The sites' process: a threaded HTTP server and a silent port (accepts, holds, never answers)."""
    server = _Server(("127.0.0.1", 0), _Site)
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1024)
    held: list[socket.socket] = []

    def hold() -> None:
        while True:
            held.append(silent.accept()[0])

    threading.Thread(target=hold, daemon=True).start()
    ports.send((server.server_address[1], silent.getsockname()[1]))
    server.serve_forever()


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    parent, child = multiprocessing.get_context("fork").Pipe()
    sites = multiprocessing.get_context("fork").Process(target=serve, args=(child,), daemon=True)
    sites.start()
    web_port, silent_port = parent.recv()
    os.environ["OUTBOUND_ALLOWED_CIDRS"] = "127.0.0.1/32"  # this benchmark's settings only
    from bench.dataset import cache_tables, configure

    configure(argparse.Namespace(db="sqlite", out=args.out, fresh=True, database_url=""))
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    cache_tables()
    from ioc.accounts.testing import personas_create
    from ioc.cybersecurity import tasks
    from ioc.cybersecurity.choices import AssetKind, AssetStatus
    from ioc.cybersecurity.models import Asset, CheckResult
    from ioc.cybersecurity.services import asset_create

    people = personas_create()
    every = round(1 / args.silent) if args.silent else 0
    for n in range(args.sites):
        port = silent_port if every and n % every == 0 else web_port
        asset_create(
            actor=people.admin,
            code=f"site-{n}",
            name=f"Cổng thông tin {n}",
            kind=AssetKind.PORTAL,
            agency=people.agency_a,
            level=3,
            url=f"http://127.0.0.1:{port}/site/{n}/",
        )
    print(
        f"{args.sites} sites ({Asset.objects.filter(url__contains=f':{silent_port}/').count()} silent); "
        f"timeout {settings.OUTBOUND_TIMEOUT_SECONDS} s; load average before: {os.getloadavg()}",
        flush=True,
    )
    wall0, cpu0 = time.monotonic(), time.process_time()
    recorded = tasks.run_checks.call_local()
    wall, cpu = time.monotonic() - wall0, time.process_time() - cpu0
    down = Asset.objects.filter(status=AssetStatus.DOWN).count()
    print(
        f"round: {recorded} results recorded ({CheckResult.objects.count()} rows), {down} down, in {wall:.1f} s "
        f"(target ≤ 60 s); CPU {cpu:.1f} s = {1000 * cpu / max(recorded, 1):.1f} ms per site; "
        f"load average after: {os.getloadavg()}",
        flush=True,
    )
    sites.terminate()
    return 0 if recorded == args.sites and wall <= 60 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
