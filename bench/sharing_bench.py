"""The sharing read API under load (issue 10 item 8 "Speed"): a page of 1,000 rows from a 1,000,000-row dataset,
filtered and sorted on an indexed field, p95 target ≤ 300 ms.

    .venv/bin/python bench/dataset.py --db sqlite --out var/bench-sharing.sqlite3 --fresh --no-boundaries \\
        --datahub-records 1000000
    .venv/bin/python bench/sharing_bench.py --out var/bench-sharing.sqlite3 [--requests 200] [--wrk]
    bash bench/pg-bench --build "--no-boundaries --datahub-records 1000000" --run bench/sharing_bench.py --wrk

With `--wrk`, then: the same first pages under wrk over loopback — gunicorn with the production settings
(bench/settings_bench.py, config/gunicorn.py, as bench/open311_bench.py starts it), read by agency A's information
system with a Bearer token of scope `sharing.read` issued for the run (its rate limit raised by the benchmark
settings, as Open311's key), a random threshold per request; each answer is checked once before the load.
`--db postgresql --database-url URL` (what bench/pg-bench passes) reads a PostgreSQL benchmark database.

In-process (Django's test client, production settings, the consumer officer's verified session): each request
is `GET /api/v1/sharing/datasets/bench-chia-se/records/?so_giuong__gte=<t>&sort=so_giuong&limit=1000` with a
random threshold; every other one then follows its `next` link (a keyset page deep in the index). The grant
(agency A reads agency B's dataset) is made through the services on the first run. Each response is checked
(200, 1,000 rows, sorted, above the threshold); every page writes its audit entry as in production.

Results: printed as Markdown (copy them into docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.dataset import configure  # noqa: E402

FIELDS = ["ma_co_so", "ten_co_so", "loai", "so_giuong", "cong_suat"]
PAGE = 1000


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--out", default=str(ROOT / "var" / "bench-sharing.sqlite3"), help="SQLite file")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""), help="--db postgresql")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seed", type=int, default=20251203)
    parser.add_argument("--wrk", action="store_true", help="then the first pages under wrk through gunicorn")
    parser.add_argument("--duration", type=int, default=20, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=0, help="WEB_CONCURRENCY (default: config/gunicorn.py's)")
    parser.add_argument("--settle", type=float, default=60.0, help="seconds to wait at most for an idle CPU")
    parser.add_argument("--plans", action="store_true", help="only print the page query's plans")
    parser.add_argument(
        "--profile", type=int, default=0, metavar="N", help="only cProfile N in-process pages (Bearer token, as wrk)"
    )
    args = parser.parse_args(argv)
    args.fresh = False
    return args


def grant_ensure(people: Any, dataset: Any) -> None:
    """A live grant of agency A on the benchmark dataset, through the services (once)."""
    from django.utils import timezone

    from bench.builders import _person
    from ioc.sharing import selectors, services

    reader = _person(people, "officer_a")
    if not isinstance(selectors.grant_for_read(user=reader, dataset=dataset), selectors.GrantRefusal):
        return
    request = services.access_request_submit(
        actor=reader, dataset=dataset, fields=FIELDS, purpose="Benchmark", legal_basis="Nghị định 47/2020/NĐ-CP"
    )
    services.access_request_approve(
        actor=_person(people, "officer_b"), request=request, expires_at=timezone.now() + dt.timedelta(days=30)
    )


def check(body: dict[str, Any], threshold: int) -> None:
    beds = [row["so_giuong"] for row in body["results"]]
    assert len(beds) == PAGE, len(beds)
    assert beds == sorted(beds) and beds[0] >= threshold, (threshold, beds[:3])


WRK_LUA = """
math.randomseed(%(seed)d)
local headers = {["Authorization"] = "Bearer %(token)s", ["Accept"] = "application/json"}
request = function()
  local path = string.format("%(path)s?so_giuong__gte=%%d&sort=so_giuong&limit=%(page)d", math.random(0, 400))
  return wrk.format("GET", path, headers)
end
done = function(summary, latency, requests)
  io.write(string.format("LAT p50=%%d p90=%%d p95=%%d p99=%%d requests=%%d non2xx=%%d errors=%%d\\n",
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99),
    summary.requests, summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.timeout))
end
"""


def reader_token(people: Any) -> tuple[str, str]:
    """A Bearer token of scope `sharing.read` for agency A's information system, issued for this run through the
    accounts services (value, prefix)."""
    from django.utils import timezone

    from bench.builders import _person
    from ioc.accounts import services as accounts
    from ioc.accounts.choices import RequestKind
    from ioc.accounts.models import User
    from ioc.accounts.testing import _request

    admin = _person(people, "admin")
    system_user = User.objects.get(is_service_account=True, information_system__code="persona-system")
    token, value = accounts.token_issue(
        account_request=_request(admin, RequestKind.ISSUE_TOKEN, system_user),
        actor=admin,
        user=system_user,
        scopes=["sharing.read"],
        expires_at=timezone.now() + dt.timedelta(days=1),
        label="sharing bench",
    )
    return value, token.prefix


def wrk_run(args: argparse.Namespace) -> dict[str, Any]:
    """The first pages under wrk through gunicorn (production settings), read with the system's Bearer token."""
    from django.core.management import call_command

    from bench.builders import SHARING_DATASET, sharing_people
    from bench.dataset import cache_tables
    from bench.open311_bench import WARM_UP_SECONDS, free_port, settle, start_server, stop_server

    value, prefix = reader_token(sharing_people())
    call_command("collectstatic", interactive=False, verbosity=0)
    cache_tables()
    path = f"/api/v1/sharing/datasets/{SHARING_DATASET}/records/"
    port = free_port()
    log = ROOT / "var" / f"bench-gunicorn-sharing-{args.db}.log"
    settle(args.settle)
    server = start_server(args, port, prefix, log, ready="/healthz", ready_seconds=240)
    try:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}{path}?so_giuong__gte=250&sort=so_giuong&limit={PAGE}",
            headers={"Authorization": f"Bearer {value}"},
        )
        with urllib.request.urlopen(request, timeout=60) as answer:
            check(json.loads(answer.read()), 250)
        lua = WRK_LUA % {"seed": args.seed, "token": value, "path": path, "page": PAGE}
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
            handle.write(lua)
        base = ["wrk", f"-t{args.threads}", f"-c{args.connections}", "--timeout", "10s", "-s", handle.name]
        url = f"http://127.0.0.1:{port}"
        subprocess.run([*base, f"-d{WARM_UP_SECONDS}s", url], capture_output=True, check=True)
        cpu, db_cpu = _tree_cpu(server.pid), _database_cpu()
        output = subprocess.run([*base, f"-d{args.duration}s", url], capture_output=True, text=True, check=True)
        cpu, db_cpu = _tree_cpu(server.pid) - cpu, _database_cpu() - db_cpu
        os.unlink(handle.name)
    finally:
        stop_server(server)
    figures = dict(re.findall(r"(\w+)=(\d+)", output.stdout.split("LAT", 1)[1]))
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output.stdout)
    result: dict[str, Any] = {"rps": float(rps.group(1)) if rps else 0.0, "server_cpu_s": cpu, "db_cpu_s": db_cpu}
    result.update({key: int(figures[key]) / 1000 for key in ("p50", "p90", "p95", "p99")})
    result.update({key: int(figures[key]) for key in ("requests", "non2xx", "errors")})
    return result


def _tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a live process and its children so far, from /proc (gunicorn's master and
    workers: the server's CPU during a run is the difference of two readings)."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return 0.0
    total += (int(fields[11]) + int(fields[12])) / tick
    return total + sum(_tree_cpu(int(child)) for child in children)


def _database_cpu() -> float:
    """PostgreSQL's CPU seconds so far (0 on SQLite, whose work is in the server's processes): the postmaster with
    its reaped children (cutime, cstime) and its live ones — found as the parent of this connection's backend. A
    page written by the database costs CPU there, not in gunicorn: the two are reported side by side."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    status = Path(f"/proc/{backend}/status").read_text()
    postmaster = int(re.search(r"^PPid:\s+(\d+)", status, re.MULTILINE).group(1))  # type: ignore[union-attr]
    tick = os.sysconf("SC_CLK_TCK")
    fields = Path(f"/proc/{postmaster}/stat").read_text().rsplit(")", 1)[1].split()
    reaped = (int(fields[13]) + int(fields[14])) / tick  # children that exited (backends of closed connections)
    return reaped + _tree_cpu(postmaster)


def plans() -> dict[str, str]:
    """The plan of the page's query as the API runs it, a first page and one after a cursor (the expression index
    must serve filter, order and the cursor's seek): SQLite's EXPLAIN QUERY PLAN, PostgreSQL's EXPLAIN (ANALYZE,
    BUFFERS) with its timings."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.builders import sharing_people
    from ioc.datahub.models import Dataset
    from ioc.sharing.selectors import shared_page

    dataset = Dataset.objects.get(code="bench-chia-se")
    grant_ensure(sharing_people(), dataset)
    grant = dataset.grants.get()
    grant.dataset = dataset
    filters, found = {"so_giuong__gte": "250"}, {}
    first = shared_page(dataset=dataset, grant=grant, filters=filters, sort="so_giuong", limit=PAGE)
    for name, cursor in (("first page", ""), ("next page", first.next_cursor or "")):
        with CaptureQueriesContext(connection) as ctx:
            shared_page(dataset=dataset, grant=grant, filters=filters, sort="so_giuong", cursor=cursor, limit=PAGE)
        sqls = [q["sql"] for q in ctx.captured_queries if "ORDER BY" in q["sql"] and "datahub_record" in q["sql"]]
        explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS) "
        with connection.cursor() as db:
            lines = []
            for sql in sqls:
                db.execute(explain + sql)
                lines += [str(row[-1]) for row in db.fetchall()]
        found[name] = ("\n" if connection.vendor == "postgresql" else " / ").join(lines)
    return found


def run(args: argparse.Namespace) -> dict[str, list[float]]:
    from django.conf import settings
    from django.test import Client

    from bench.builders import SHARING_DATASET, _person, sharing_people
    from ioc.accounts.testing import sign_in
    from ioc.datahub.models import Dataset

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    people = sharing_people()
    dataset = Dataset.objects.get(code=SHARING_DATASET)
    grant_ensure(people, dataset)
    if getattr(args, "bearer", ""):  # as wrk reads: agency A's information system with its token
        client = Client(headers={"Authorization": f"Bearer {args.bearer}"})
    else:
        client = Client()
        sign_in(client, _person(people, "officer_a"))
    url = f"/api/v1/sharing/datasets/{SHARING_DATASET}/records/"
    rng = random.Random(args.seed)
    timings: dict[str, list[float]] = {"first page": [], "next page": []}
    for i in range(args.requests):
        threshold = rng.randint(0, 400)
        started = time.perf_counter()
        response = client.get(url, {"so_giuong__gte": threshold, "sort": "so_giuong", "limit": PAGE})
        timings["first page"].append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.content[:300]
        body = response.json()
        check(body, threshold)
        if i % 2:
            started = time.perf_counter()
            response = client.get(body["next"])
            timings["next page"].append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.content[:300]
            check(response.json(), body["results"][-1]["so_giuong"])
    return timings


def profile(args: argparse.Namespace) -> None:
    """cProfile of N in-process first pages (after one unprofiled): where a page's CPU goes."""
    import cProfile
    import pstats

    from bench.builders import sharing_people

    args.requests = 1
    run(args)
    args.bearer = reader_token(sharing_people())[0]  # the wrk run's way in, not the officer's session
    run(args)
    args.requests = args.profile
    profiler = cProfile.Profile(time.process_time)  # CPU, not the loaded machine's wall clock
    cpu = time.process_time()
    profiler.runcall(run, args)
    cpu = time.process_time() - cpu
    print(f"{args.profile} first pages (+ every other next page), this process's CPU {cpu:.2f} s")
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(25)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    configure(args)
    from ioc.datahub.models import Record

    if args.plans:
        for name, found in plans().items():
            print(f"\nplan, {name}:\n{found}")
        return 0
    if args.profile:
        profile(args)
        return 0
    rows = Record.objects.filter(dataset__code="bench-chia-se", is_current=True).count()
    load_before = os.getloadavg()[0]
    cpu = time.process_time()
    timings = run(args)
    cpu_per_request = (time.process_time() - cpu) * 1000 / sum(len(v) for v in timings.values())
    engine = "PostgreSQL" if args.db == "postgresql" else "SQLite"
    print(f"\nSharing read API, {engine}, {rows:,} rows, pages of {PAGE:,} (in-process client)")
    print(f"load average before {load_before:.2f}, after {os.getloadavg()[0]:.2f}; ", end="")
    print(f"this process's CPU per request {cpu_per_request:.0f} ms\n")
    print("| request | n | p50 ms | p95 ms | p99 ms | max ms |")
    print("|---|---|---|---|---|---|")
    for name, values in timings.items():
        print(
            f"| {name} | {len(values)} | {statistics.median(values):.0f} | {percentile(values, 0.95):.0f} | "
            f"{percentile(values, 0.99):.0f} | {max(values):.0f} |"
        )
    for name, found in plans().items():
        print(f"\nplan, {name}:\n{found}")
    if args.wrk:
        load_before = os.getloadavg()[0]
        result = wrk_run(args)
        print(
            f"\nwrk -t{args.threads} -c{args.connections} -d{args.duration}s, gunicorn (production settings), "
            f"Bearer token `sharing.read`; load average before {load_before:.2f}, after {os.getloadavg()[0]:.2f}\n"
        )
        print(
            "| request | requests | req/s | p50 ms | p90 ms | p95 ms | p99 ms | non-2xx | socket errors | "
            "server CPU ms per request | database CPU ms per request |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        answered = max(1, result["requests"])
        print(
            f"| first page (wrk) | {result['requests']} | {result['rps']:.1f} | {result['p50']:.0f} | "
            f"{result['p90']:.0f} | {result['p95']:.0f} | {result['p99']:.0f} | {result['non2xx']} | "
            f"{result['errors']} | {1000 * result['server_cpu_s'] / answered:.1f} | "
            f"{1000 * result['db_cpu_s'] / answered:.1f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
