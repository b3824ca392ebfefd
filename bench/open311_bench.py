"""Open311 and statistics under load (issue 3 "Speed"), each figure next to a bare view in the same run.

    .venv/bin/python bench/dataset.py --db sqlite --out var/bench.sqlite3 --fresh --reports 1000000
    .venv/bin/python bench/open311_bench.py --db sqlite --out var/bench.sqlite3
    .venv/bin/python bench/open311_bench.py --db postgresql --database-url postgresql://ioc@127.0.0.1:5432/ioc

It starts gunicorn with the production settings (config/gunicorn.py; settings = config/settings.py plus the two
overrides of bench/settings_bench.py: the bare views' URLs and the benchmark key's rate limit) on the benchmark
database, and drives it over loopback with `wrk` (Debian package) for each of, in turn:

- GET requests.json, 50 per page, a random 30-day window of the last year and status open or closed — the
  bare read view (bench/bare_views.py) first, then /open311/v2/;
- POST requests.json (form-encoded, the benchmark api_key, a random point of the territory and category, an
  e-mail so the receipt notification writes its outbox row) — bare write first, then /open311/v2/;
- the statistics page for the last year as an IOC operator (sequential, 10 timed requests).

Then it profiles the same requests in-process (cProfile, Django test client) to show where the time goes.
Results: printed as Markdown and written to var/bench-results-<db>.md (copy them into docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OPEN311 = "/open311/v2/requests.json"
BARE = "/bench/bare/requests.json"
BARE_IDS_FIRST = "/bench/bare/ids-first/requests.json"
DESCRIPTION = "Ổ gà lớn giữa đường, xe máy đi qua rất nguy hiểm (phép thử tải)"

READ_LUA = """
math.randomseed(%(seed)d)
local now = os.time()
request = function()
  local back = math.random(0, 330) * 86400
  local s = os.date("!%%Y-%%m-%%dT%%H:%%M:%%SZ", now - back - 30 * 86400)
  local e = os.date("!%%Y-%%m-%%dT%%H:%%M:%%SZ", now - back)
  local st = (math.random() < 0.5) and "open" or "closed"
  return wrk.format("GET", "%(path)s?start_date=" .. s .. "&end_date=" .. e .. "&status=" .. st .. "&page_size=50")
end
"""
WRITE_LUA = """
math.randomseed(%(seed)d)
local points = {%(points)s}
local codes = {%(codes)s}
request = function()
  local p = points[math.random(#points)]
  local body = "api_key=%(key)s&service_code=" .. codes[math.random(#codes)] .. "&lat=" .. p[1] .. "&long=" .. p[2]
    .. "&description=%(description)s&email=bench%%40canary.invalid"
  return wrk.format("POST", "%(path)s", {["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end
"""


OPERATOR_LUA = """
math.randomseed(%(seed)d)
local ids = {%(ids)s}
local paths = {%(paths)s}
local headers = {["Cookie"] = "%(cookie)s"}
request = function()
  local path = paths[math.random(#paths)]
  if path == "detail" then path = "%(detail)s" .. ids[math.random(#ids)] .. "/" end
  return wrk.format("GET", path, headers)
end
"""


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--out", default=str(ROOT / "var" / "bench.sqlite3"))
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--duration", type=int, default=20, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=0, help="WEB_CONCURRENCY (default: config/gunicorn.py's)")
    parser.add_argument("--profile-requests", type=int, default=100)
    parser.add_argument(
        "--only",
        default="",
        help="comma list: read,write,app,stats,profile (and naive, split, operator); app: no-middleware app; split: "
        "the bare read view with the product's middleware added stage by stage (bench/settings_bare_app.py); operator: "
        "the operator's queue, a report's page and the statistics page under wrk, signed in",
    )
    return parser.parse_args(argv)


# --- set-up ------------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def deployment() -> dict[str, Any]:
    """The benchmark key, points inside the territory and category codes (the dataset builder made them)."""
    from bench import builders
    from ioc.accounts.selectors import token_resolve
    from ioc.citizen_reports.models import Category
    from ioc.demo.profiles import profile_get
    from ioc.demo.secrets_store import SecretStore
    from ioc.geo.selectors import territory_get

    store = SecretStore(profile_get(builders.BENCH_PROFILE).key)
    token = store.token("open311")
    if not token or token_resolve(value=token).token is None:  # another database's key: issue this one's
        builders.bench_setup()
        token = SecretStore(profile_get(builders.BENCH_PROFILE).key).token("open311")
    assert token, "no benchmark token: build the dataset first (bench/dataset.py --reports N)"
    territory = territory_get(profile=builders.BENCH_PROFILE)
    assert territory is not None
    rng = random.Random(5)
    pools = builders._point_pools(list(territory.communes.all()), rng, per_unit=4)
    inside = set(pools)
    points = [p for pool in pools.values() for p in pool if _unit_of(*p) in inside]
    codes = list(Category.objects.filter(is_active=True).values_list("code", flat=True))
    return {"token": token, "prefix": token[4:14], "points": points, "codes": codes}


def _cpu_idle(seconds: float) -> float:
    """The share of both cores left idle over the next `seconds` (/proc/stat)."""

    def sample() -> tuple[int, int]:
        values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        return values[3] + values[4], sum(values)  # idle + iowait, total

    idle0, total0 = sample()
    time.sleep(seconds)
    idle1, total1 = sample()
    return (idle1 - idle0) / max(1, total1 - total0)


def settle(limit: float = 180.0) -> None:
    """Wait (at most `limit` s) until the machine is quiet: right after a dataset build, PostgreSQL's checkpointer
    and autovacuum, or the previous run's page-cache writes, would otherwise count against the first runs."""
    started = time.monotonic()
    idle = _cpu_idle(3)
    while idle < 0.9 and time.monotonic() - started < limit:
        idle = _cpu_idle(3)
    print(f"settled after {time.monotonic() - started:.0f} s: {idle:.0%} of the CPU idle")


def _unit_of(lat: float, lon: float) -> int | None:
    """The commune Open311 will find for the point (near a border it may be another province's)."""
    from ioc.geo.selectors import PointOutsideError, unit_at_point

    try:
        return unit_at_point(lat=lat, lon=lon).pk
    except PointOutsideError:
        return None


def start_server(
    args: argparse.Namespace,
    port: int,
    prefix: str,
    log: Path,
    settings: str = "bench.settings_bench",
    ready: str = "/open311/v2/services.json",
    extra: dict[str, str] | None = None,
    ready_seconds: float = 180.0,
) -> subprocess.Popen[bytes]:
    """gunicorn with the benchmark settings (and `extra` environment), once `ready` answers 200 (at most
    `ready_seconds`: on a loaded machine the workers' Django start alone can take most of a minute)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings, "BENCH_TOKEN_PREFIX": prefix, **(extra or {})}
    env.update({"PORT": str(port), "DEBUG": "0"})
    if args.workers:
        env["WEB_CONCURRENCY"] = str(args.workers)
    command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi:application", "-c", "config/gunicorn.py"]
    handle = log.open("wb")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + ready_seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{ready}", timeout=max(5, ready_seconds / 4)) as answer:
                if answer.status == 200:
                    return process
        except OSError:
            time.sleep(0.5)
    process.terminate()
    raise RuntimeError(f"gunicorn did not answer in {ready_seconds:.0f} s; see {log}")


def operator_paths(args: argparse.Namespace, port: int) -> list[dict[str, Any]]:
    """Issue 16 item 6: the operator's main pages under wrk, signed in as the demo operator `vanhanh` (a session
    cookie): the queue (its default filter), a report's page (a random one of the 2,000 newest) and the statistics
    page of the last year (served from the statistics cache after its first request), each alone, then mixed."""
    import datetime as dt

    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from ioc.accounts.models import User
    from ioc.accounts.testing import sign_in
    from ioc.citizen_reports.models import Report

    client = Client(HTTP_HOST="127.0.0.1")
    sign_in(client, User.objects.get(username="vanhanh"))
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    ids = list(Report.objects.order_by("-pk").values_list("pk", flat=True)[:2000])
    today = dt.date.today()
    year = urllib.parse.urlencode({"start": (today - dt.timedelta(days=365)).isoformat(), "end": today.isoformat()})
    queue, statistics = reverse("citizen_reports:staff_index"), f"{reverse('citizen_reports:staff_statistics')}?{year}"
    detail = reverse("citizen_reports:staff_report_detail", args=[1]).removesuffix("1/")
    for path in (queue, f"{detail}{ids[0]}/", statistics):  # each answers the operator before any load
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Cookie": cookie})
        with urllib.request.urlopen(request, timeout=300) as answer:
            landed = answer.geturl().split("?")[0]  # not the sign-in page
            assert answer.status == 200 and landed.endswith(path.split("?")[0]), (path, answer.status, landed)
    runs: list[dict[str, Any]] = []
    for label, paths in (("queue", [queue]), ("report page", ["detail"]), ("statistics", [statistics]),
                         ("mixed", [queue, "detail", statistics])):  # fmt: skip
        script = OPERATOR_LUA % {
            "seed": 17,
            "ids": ", ".join(map(str, ids)),
            "paths": ", ".join(f'"{path}"' for path in paths),
            "cookie": cookie,
            "detail": detail,
        }
        runs.append(wrk(args, port, script, f"operator {label}"))
    return runs


def middleware_split(args: argparse.Namespace, dep: dict[str, Any]) -> list[dict[str, Any]]:
    """Issue 16 item 6: the bare read view in a server of its own per stage of the product's middleware (the
    stages of bench/settings_bare_app.py, cumulative), so each stage's cost is the drop from the one before."""
    from bench.settings_bare_app import MIDDLEWARE_STAGES

    runs: list[dict[str, Any]] = []
    ready = BARE_IDS_FIRST + "?status=open&page_size=1"
    for stage, (name, _cut) in enumerate(MIDDLEWARE_STAGES):
        port = free_port()
        log = ROOT / "var" / f"bench-gunicorn-split-{stage}-{args.db}.log"
        extra = {"BENCH_MIDDLEWARE_STAGE": str(stage)}
        settings = "bench.settings_bare_app"
        server = start_server(args, port, dep["prefix"], log, settings=settings, ready=ready, extra=extra)
        try:
            runs.append(wrk(args, port, read_script(BARE_IDS_FIRST), f"split {stage}: + {name}"))
        finally:
            stop_server(server)
    return runs


def split_lines(runs: list[dict[str, Any]]) -> list[str]:
    """What each middleware stage costs a GET: the extra milliseconds of server time per request (2 cores busy:
    2 / rate), from the stage before."""
    staged = [run for run in runs if run["label"].startswith("split ") and run["rps"]]
    if len(staged) < 2:
        return []
    head = "| middleware stage (cumulative) | requests/s | of none | + ms a request (2 cores) |"
    lines = ["", head, "|---|---:|---:|---:|"]
    base = staged[0]["rps"]
    previous = None
    for run in staged:
        extra = "" if previous is None else f"{(2 / run['rps'] - 2 / previous) * 1000:+.2f}"
        lines.append(f"| {run['label']} | {run['rps']:.0f} | {run['rps'] / base:.0%} | {extra} |")
        previous = run["rps"]
    return lines


def stop_server(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


# --- load ---------------------------------------------------------------------------------------------------------


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip()).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


WARM_UP_SECONDS = 4
# wrk's --latency table has no 95th percentile: every script also prints it (µs) when the run ends.
P95_LUA = """
done = function(summary, latency, requests)
  io.write(string.format("P95 %d\\n", latency:percentile(95)))
end
"""


def wrk(args: argparse.Namespace, port: int, script: str, label: str) -> dict[str, Any]:
    """One wrk run after a short unrecorded one (every worker thread opens its database connection and fills
    its caches: the figures are the steady state); requests/s, latency percentiles and non-2xx answers."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script if "done = function" in script else script + P95_LUA)
    warm_up = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{WARM_UP_SECONDS}s", "-s", handle.name]
    subprocess.run([*warm_up, f"http://127.0.0.1:{port}"], capture_output=True, check=True)
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{args.duration}s",
        "--latency",
        "-s",
        handle.name,
        f"http://127.0.0.1:{port}",
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    os.unlink(handle.name)
    result: dict[str, Any] = {"label": label, "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))}  # type: ignore[union-attr]
    for pct in ("50", "90", "99"):
        found = re.search(rf"^\s+{pct}(?:\.000)?%\s+(\S+)", output, re.MULTILINE)
        result[f"p{pct}"] = _ms(found.group(1)) if found else None
    p95 = re.search(r"^P95 (\d+)$", output, re.MULTILINE)
    result["p95"] = int(p95.group(1)) / 1000 if p95 else None
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    result["non_2xx"] = int(errors.group(1)) if errors else 0
    sockets = re.search(r"Socket errors:(.*)", output)
    result["socket_errors"] = sockets.group(1).strip() if sockets else ""
    result["requests"] = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    print(f"{label}: {result}")
    return result


def read_script(path: str) -> str:
    return READ_LUA % {"seed": 11, "path": path}


def write_script(path: str, dep: dict[str, Any]) -> str:
    points = ", ".join(f"{{{lat}, {lon}}}" for lat, lon in dep["points"])
    codes = ", ".join(f'"{code}"' for code in dep["codes"])
    description = urllib.parse.quote(DESCRIPTION)
    return WRITE_LUA % {
        "seed": 13,
        "points": points,
        "codes": codes,
        "key": dep["token"],
        "description": description,
        "path": path,
    }


def check(port: int, dep: dict[str, Any]) -> None:
    """Each endpoint answers as expected before any load (a broken endpoint is not a fast one)."""
    base = f"http://127.0.0.1:{port}"
    for path in (OPEN311, BARE):
        with urllib.request.urlopen(f"{base}{path}?status=open&page_size=50", timeout=30) as answer:
            assert answer.status == 200, (path, answer.status)
            assert isinstance(json.loads(answer.read()), list)
        lat, lon = dep["points"][0]
        form = {
            "api_key": dep["token"],
            "service_code": dep["codes"][0],
            "lat": lat,
            "long": lon,
            "description": DESCRIPTION,
            "email": "bench@canary.invalid",
        }
        request = urllib.request.Request(f"{base}{path}", data=urllib.parse.urlencode(form).encode(), method="POST")
        with urllib.request.urlopen(request, timeout=30) as answer:
            assert answer.status in (200, 201), (path, answer.status)


def statistics_page(port: int) -> dict[str, Any]:
    """The statistics page for a year as the demo operator: 10 different years (each ending one day earlier, so
    none is served from the statistics cache), then the same year 5 times more (cached), sequentially."""
    import datetime as dt

    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from ioc.accounts.models import User
    from ioc.accounts.testing import sign_in
    from ioc.citizen_reports.forms.staff import StatisticsFilterForm

    client = Client(HTTP_HOST="127.0.0.1")
    sign_in(client, User.objects.get(username="vanhanh"))
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    group_by = StatisticsFilterForm.base_fields["group_by"].choices[0][0]  # type: ignore[attr-defined]
    page = f"http://127.0.0.1:{port}{reverse('citizen_reports:staff_statistics')}"

    def fetch(end: dt.date) -> float:
        query = {"start": (end - dt.timedelta(days=365)).isoformat(), "end": end.isoformat(), "group_by": group_by}
        started = time.perf_counter()
        request = urllib.request.Request(f"{page}?{urllib.parse.urlencode(query)}", headers={"Cookie": cookie})
        with urllib.request.urlopen(request, timeout=120) as answer:
            assert answer.status == 200, answer.status
            answer.read()
        return (time.perf_counter() - started) * 1000

    today = dt.date.today()
    uncached = [fetch(today - dt.timedelta(days=n)) for n in range(10)]
    cached = [fetch(today) for _n in range(5)]
    result = {
        "label": "statistics page, one year",
        "median_ms": statistics.median(uncached),
        "max_ms": max(uncached),
        "min_ms": min(uncached),
        "cached_ms": statistics.median(cached),
        "url": f"{page}?start=…&end=…&group_by={group_by}",
    }
    print(result)
    return result


# --- profile -------------------------------------------------------------------------------------------------------


def profile(dep: dict[str, Any], count: int) -> str:
    """Where the time of Open311 GET and POST requests.json goes, in-process (Django test client, cProfile)."""
    from django.test import Client, override_settings

    client = Client(HTTP_HOST="127.0.0.1")
    reports = []
    with override_settings(RATE_LIMIT_TOKEN_OVERRIDES={dep["prefix"]: 10**9}):
        for label, call in (
            (
                "GET requests.json",
                lambda i: client.get(OPEN311, {"status": "closed" if i % 2 else "open", "page_size": 50}),
            ),
            (
                "POST requests.json",
                lambda i: client.post(
                    OPEN311,
                    {
                        "api_key": dep["token"],
                        "service_code": dep["codes"][i % len(dep["codes"])],
                        "lat": dep["points"][i % len(dep["points"])][0],
                        "long": dep["points"][i % len(dep["points"])][1],
                        "description": DESCRIPTION,
                        "email": "bench@canary.invalid",
                    },
                ),
            ),
        ):
            call(0)
            profiler = cProfile.Profile()
            started = time.perf_counter()
            profiler.enable()
            for i in range(count):
                response = call(i + 1)
                assert response.status_code in (200, 201), (label, response.status_code, response.content[:300])
            profiler.disable()
            took = (time.perf_counter() - started) / count * 1000
            stream = io.StringIO()
            stats = pstats.Stats(profiler, stream=stream)
            stats.sort_stats("cumulative").print_stats(r"ioc/(?!common/middleware|web/m|accounts/middleware)", 22)
            stats.sort_stats("tottime").print_stats(14)
            reports.append(
                f"### {label}: {took:.1f} ms per request in-process (cProfile on)\n\n```\n"
                + _trim(stream.getvalue())
                + "```\n"
            )
    return "\n".join(reports)


def _trim(text: str) -> str:
    """The two tables only (cumulative within ioc/, then own time), paths shortened."""
    lines = [line for line in text.splitlines() if line.strip()]
    kept = [line for line in lines if line.strip()[:1].isdigit() or line.strip().startswith("ncalls")]
    root, venv = str(ROOT) + "/", str(ROOT / ".venv" / "lib" / "python3.11" / "site-packages") + "/"
    return "\n".join(line.replace(venv, "").replace(root, "") for line in kept) + "\n"


# --- main ----------------------------------------------------------------------------------------------------------


def markdown(args: argparse.Namespace, runs: list[dict[str, Any]], stats: dict[str, Any] | None, prof: str) -> str:
    from django.db import connection

    from ioc.citizen_reports.models import Report

    lines = [
        f"## {args.db}: {Report.objects.count():,} reports — {time.strftime('%Y-%m-%d %H:%M')}",
        "",
        f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s over loopback; gunicorn config/gunicorn.py "
        f"(WEB_CONCURRENCY={args.workers or 'default'}); database {connection.vendor}; "
        f"load average before: {os.getloadavg()[0]:.1f}",
        "",
        "| run | requests/s | p50 ms | p90 ms | p95 ms | p99 ms | non-2xx |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for run in runs:
        lines.append(
            f"| {run['label']} | {run['rps']:.0f} | {run['p50'] or 0:.1f} | {run['p90'] or 0:.1f} | "
            f"{run['p95'] or 0:.1f} | {run['p99'] or 0:.1f} | {run['non_2xx']} |"
        )
    by_label = {run["label"]: run for run in runs}
    for kind in ("GET", "POST"):
        real, bare, app = (by_label.get(f"{name} {kind}") for name in ("Open311", "bare", "bare app"))
        if real and bare and bare["rps"]:
            lines.append(f"\nOpen311 {kind} = {real['rps'] / bare['rps']:.0%} of the bare view.")
        if app and app["rps"]:
            shares = [f"{run['label']} = {run['rps'] / app['rps']:.0%}" for run in (real, bare) if run]
            lines.append(f"Of the middleware-free bare app ({app['rps']:.0f}/s): " + ", ".join(shares) + ".")
    lines += split_lines(runs)
    if stats:
        lines.append(
            f"\nStatistics page, one year (10 different years, none cached): median {stats['median_ms']:.0f} ms, "
            f"min {stats['min_ms']:.0f}, max {stats['max_ms']:.0f}; from the statistics cache: "
            f"{stats['cached_ms']:.0f} ms — `{stats['url']}`"
        )
    if prof:
        lines += ["", prof]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk")
    from bench.dataset import cache_tables, configure

    configure(argparse.Namespace(db=args.db, database_url=args.database_url, out=args.out, fresh=False))
    only = set(filter(None, args.only.split(","))) or {"read", "write", "app", "stats", "profile"}
    dep = deployment()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)  # production serves the manifest (WhiteNoise)
    cache_tables()
    port = free_port()
    log = ROOT / "var" / f"bench-gunicorn-{args.db}.log"
    runs: list[dict[str, Any]] = []
    stats = None
    settle()
    server = start_server(args, port, dep["prefix"], log)
    app_port, app = free_port(), None
    if "app" in only:  # the same bare views with no middleware, in a gunicorn of their own (issue 16 item 6)
        app_log = ROOT / "var" / f"bench-gunicorn-bare-app-{args.db}.log"
        ready = BARE_IDS_FIRST + "?status=open&page_size=1"
        app = start_server(args, app_port, dep["prefix"], app_log, settings="bench.settings_bare_app", ready=ready)
    try:
        check(port, dep)
        if "naive" in only:  # the page in one query: SQLite builds every matching row before sorting
            runs.append(wrk(args, port, read_script(BARE), "bare GET, one query"))
        if "read" in only:
            if app:
                runs.append(wrk(args, app_port, read_script(BARE_IDS_FIRST), "bare app GET"))
            runs.append(wrk(args, port, read_script(BARE_IDS_FIRST), "bare GET"))
            runs.append(wrk(args, port, read_script(OPEN311), "Open311 GET"))
        if "write" in only:
            if app:
                runs.append(wrk(args, app_port, write_script(BARE, dep), "bare app POST"))
            runs.append(wrk(args, port, write_script(BARE, dep), "bare POST"))
            runs.append(wrk(args, port, write_script(OPEN311, dep), "Open311 POST"))
        if "stats" in only:
            stats = statistics_page(port)
        if "split" in only:
            runs += middleware_split(args, dep)
        if "operator" in only:
            runs += operator_paths(args, port)
    finally:
        stop_server(server)
        if app:
            stop_server(app)
    prof = profile(dep, args.profile_requests) if "profile" in only else ""
    text = markdown(args, runs, stats, prof)
    out = ROOT / "var" / f"bench-results-{args.db}.md"
    out.write_text(text, encoding="utf-8")
    print(text)
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
