"""The overview's data endpoints under load (issue 20 "Speed": ≤ 200 ms p95 at 1,000,000 reports).

    .venv/bin/python bench/dataset.py --db sqlite --out var/bench-overview.sqlite3 --fresh \
        --reports 1000000 --incidents 5000
    .venv/bin/python bench/overview_bench.py --db sqlite --out var/bench-overview.sqlite3
    bash bench/pg-bench --build "--reports 1000000 --incidents 5000" --run bench/overview_bench.py

First one uncached computation of `ioc.web.overview.overview_figures` in-process (median and max of 10, the
statistics cache off): what one screen costs when its figures are recomputed. Then gunicorn with the production
settings (bench/settings_overview.py) and `wrk -t2 -c8 --latency` against each endpoint as the demo operator
(`vanhanh`, the whole territory), signed in by a session cookie and sending `X-IOC-Background: 1` like a screen:
`/man-hinh/phien-ban/` (the 2-second poll, answered 304 against its ETag), `/man-hinh/bang/` (the panels htmx
swaps in), `/man-hinh/du-lieu/` (the figures as JSON). Each with the overview cache as shipped (2 s) and off
(every request recomputes: the worst case, many different users at once).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ENDPOINTS = (
    ("version (304)", "/man-hinh/phien-ban/"),
    ("panels (htmx)", "/man-hinh/bang/"),
    ("data (JSON)", "/man-hinh/du-lieu/"),
)
LUA = """
wrk.headers["Cookie"] = "%(cookie)s"
wrk.headers["X-IOC-Background"] = "1"
%(etag)s
"""


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--out", default=str(ROOT / "var" / "bench-overview.sqlite3"))
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--duration", type=int, default=20, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=0, help="WEB_CONCURRENCY (default: config/gunicorn.py's)")
    parser.add_argument("--user", default="vanhanh")
    args = parser.parse_args(argv)
    args.fresh = False
    return args


def in_process(user: Any) -> dict[str, Any]:
    from django.test import override_settings

    from ioc.web.overview import overview_figures

    times = []
    with override_settings(CITIZEN_REPORTS_STATISTICS_CACHE_SECONDS=0):
        for _n in range(10):
            started = time.perf_counter()
            figures = overview_figures(user=user)
            times.append((time.perf_counter() - started) * 1000)
    result = {
        "label": "overview_figures in-process, uncached",
        "median_ms": round(statistics.median(times), 1),
        "max_ms": round(max(times), 1),
        "reports_30d": figures["reports"]["d30"]["received"],
        "open_incidents": figures["incidents"]["open"],
    }
    print(result, flush=True)
    return result


def session_cookie(user: Any) -> str:
    from django.conf import settings
    from django.test import Client

    from ioc.accounts.testing import sign_in

    client = Client(HTTP_HOST="127.0.0.1")
    sign_in(client, user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def start(args: argparse.Namespace, port: int, cache_seconds: int, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings_overview", "PORT": str(port), "DEBUG": "0"}
    env["IOC_OVERVIEW_CACHE_SECONDS"] = str(cache_seconds)
    if getattr(args, "workers", 0):
        env["WEB_CONCURRENCY"] = str(args.workers)
    command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi:application", "-c", "config/gunicorn.py"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:
                if answer.status == 200:
                    return process
        except OSError:
            time.sleep(0.5)
    process.terminate()
    raise RuntimeError(f"gunicorn did not answer in 60 s; see {log}")


def etag_of(port: int, cookie: str) -> str:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/man-hinh/phien-ban/", headers={"Cookie": cookie, "X-IOC-Background": "1"}
    )
    with urllib.request.urlopen(request, timeout=60) as answer:
        assert answer.status == 200, answer.status
        return str(answer.headers["ETag"])


def run_endpoints(args: argparse.Namespace, cookie: str, cache_seconds: int) -> list[dict[str, Any]]:
    import tempfile

    from bench.open311_bench import free_port, stop_server, wrk

    port = free_port()
    log = Path(tempfile.gettempdir()) / f"overview-bench-{port}.log"
    server = start(args, port, cache_seconds, log)
    runs = []
    try:
        etag = etag_of(port, cookie)
        for label, path in ENDPOINTS:
            header = f"wrk.headers[\"If-None-Match\"] = '{etag}'" if "phien-ban" in path else ""
            script = LUA % {"cookie": cookie, "etag": header}
            script += f'\nwrk.path = "{path}"\n'
            result = wrk(args, port, script, f"{label}, cache {cache_seconds} s")
            result["load"] = round(os.getloadavg()[0], 1)
            runs.append(result)
    finally:
        stop_server(server)
    return runs


def markdown(args: argparse.Namespace, local: dict[str, Any], runs: list[dict[str, Any]]) -> str:
    lines = [
        f"Overview endpoints, {args.db}, wrk -t{args.threads} -c{args.connections} -d{args.duration}s "
        f"(load average before: {runs[0]['load'] if runs else '?'})",
        "",
        f"In-process, uncached: median {local['median_ms']} ms, max {local['max_ms']} ms "
        f"(30-day reports {local['reports_30d']}, open incidents {local['open_incidents']}).",
        "",
        "| endpoint | requests/s | p50 ms | p90 ms | p99 ms | non-2xx/3xx |",
        "|---|---|---|---|---|---|",
    ]
    for run in runs:
        lines.append(
            f"| {run['label']} | {run['rps']:.0f} | {run['p50']:.1f} | {run['p90']:.1f} | {run['p99']:.1f} "
            f"| {run['non_2xx']} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    from bench.dataset import configure

    configure(args)
    from ioc.accounts.models import User

    user = User.objects.get(username=args.user)
    local = in_process(user)
    cookie = session_cookie(user)
    runs = run_endpoints(args, cookie, 2) + run_endpoints(args, cookie, 0)
    text = markdown(args, local, runs)
    out = ROOT / "var" / f"bench-overview-{args.db}.md"
    out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
