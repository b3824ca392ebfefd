"""The monitoring indicators' speed figures (issue 13 "Speed"), on the database `bench/dataset.py --indicators`
builds (500 monthly indicators × 36 months × every commune of the benchmark territory and the territory):

    .venv/bin/python bench/dataset.py --db sqlite --out var/bench-indicators.sqlite3 --fresh --indicators 500
    .venv/bin/python bench/indicators_bench.py --db sqlite --out var/bench-indicators.sqlite3

With the production settings (bench/settings_bench.py), in-process:
1. forecasting the territory series of every indicator (`selectors.territory_forecasts`, the forecast cache
   emptied first; target ≤ 60 s);
2. the sector dashboard `/chi-so/?sector=…` through Django's test client as an IOC leader, server time per
   request: the first request of each sector with the forecast cache empty ("cold"), then `--requests` more per
   sector ("warm"); p50 / p95 / max (target ≤ 300 ms p95);
3. a batch of `--batch` new values (the month after the history, for the first indicators × every commune) through
   `values_import` — checks, writes, aggregates, formulas, statuses, warnings — then `indicators_recompute` of the
   same indicators × period alone (target ≤ 10 s); both inside a transaction rolled back afterwards, so the
   database can be measured again.
The figures go to var/bench-indicators-<db>.md, with the load average before each step and the process's CPU time
(on SQLite the database work runs in the same process: what the request costs whatever the machine's load).

With `--wrk`, then: 4. the sector dashboard under wrk — gunicorn with bench/settings_bench.py (config/gunicorn.py,
as bench/maps_bench.py starts it through bench/open311_bench.py's helpers), `--user` signed in (a session cookie),
`wrk -c --connections` on `/chi-so/?sector=<a random sector>` for `--duration` s after a short unrecorded run;
p50 / p90 / p95 / p99 over loopback (target ≤ 300 ms p95) and the gunicorn workers' CPU seconds per request
(/proc: what a code change moves, whatever the load). The default 4 connections are fewer than the workers
(2 × cores), so a request waits for no other in gunicorn's queue: the latency is the server time plus loopback.
On PostgreSQL (the cluster of bench/pg-bench):

    bash bench/pg-bench --build "--indicators 500" --run bench/indicators_bench.py --requests 10 --wrk
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--out", default=str(ROOT / "var" / "bench-indicators.sqlite3"))
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--user", default="lanhdao-ioc", help="an IOC leader of the benchmark deployment")
    parser.add_argument("--requests", type=int, default=20, help="warm dashboard requests per sector")
    parser.add_argument("--batch", type=int, default=10_000, help="new values in the recomputation batch")
    parser.add_argument("--wrk", action="store_true", help="then the dashboard under wrk through gunicorn")
    parser.add_argument("--duration", type=int, default=20, help="seconds of the wrk run")
    parser.add_argument("--connections", type=int, default=4, help="wrk connections")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=0, help="WEB_CONCURRENCY (default: config/gunicorn.py's)")
    parser.add_argument("--settle", type=float, default=60.0, help="seconds to wait at most for an idle CPU")
    args = parser.parse_args(argv)
    args.fresh = False
    return args


def load() -> float:
    return round(os.getloadavg()[0], 1)


def percentile(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return round(ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)], 1)


def bench_forecasts() -> dict[str, Any]:
    from django.core.cache import cache

    from ioc.indicators import selectors

    indicators = list(selectors.indicator_list())
    cache.clear()
    before = load()
    started = time.perf_counter()
    views = selectors.territory_forecasts(indicators=indicators)
    seconds = time.perf_counter() - started
    methods: dict[str, int] = {}
    for view in views.values():
        methods[view.method] = methods.get(view.method, 0) + 1
    result = {"series": len(views), "seconds": round(seconds, 2), "methods": methods, "load": before}
    print("forecasts", result, flush=True)
    return result


def bench_dashboard(user: Any, requests: int) -> dict[str, Any]:
    from django.core.cache import cache
    from django.test import Client

    from ioc.accounts.testing import sign_in
    from ioc.indicators import selectors

    client = Client(HTTP_HOST="127.0.0.1")
    sign_in(client, user)
    cache.clear()
    sectors = [code for code, _label in selectors.sectors()]
    before = load()
    cold: list[float] = []
    warm: list[float] = []
    cpu: list[float] = []
    for n in range(requests + 1):
        for sector in sectors:
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get("/chi-so/", {"sector": sector})
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, (sector, response.status_code)
            (cold if n == 0 else warm).append(elapsed)
            if n:
                cpu.append((time.process_time() - cpu_started) * 1000)
    result = {
        "sectors": len(sectors),
        "cold_p50": percentile(cold, 0.5), "cold_max": round(max(cold), 1),
        "warm_n": len(warm), "warm_p50": percentile(warm, 0.5), "warm_p95": percentile(warm, 0.95),
        "warm_max": round(max(warm), 1), "cpu_p50": percentile(cpu, 0.5), "cpu_p95": percentile(cpu, 0.95),
        "load": before,
    }  # fmt: skip
    print("dashboard", result, flush=True)
    return result


def _batch_rows(size: int) -> tuple[list[dict[str, Any]], str]:
    from django.conf import settings

    from ioc.geo.selectors import territory_communes, territory_get
    from ioc.indicators.models import Value
    from ioc.indicators.periods import shift

    territory = territory_get(profile=settings.IOC_PROFILE)
    assert territory is not None
    communes = list(territory_communes(territory=territory).values_list("code", flat=True))
    last = Value.objects.order_by("-period_start").values_list("period", flat=True).first()
    assert last is not None, "build the dataset with --indicators first"
    period = shift(last, "month", 1)
    from ioc.indicators import selectors

    plain = [i.code for i in selectors.indicator_list().exclude(source="formula").order_by("code")]
    rows = [
        {"indicator": code, "period": period, "unit": unit, "value": 100 + k}
        for k, (code, unit) in enumerate((c, u) for c in plain for u in communes)
    ]
    return rows[:size], period


def bench_recompute(size: int) -> dict[str, Any]:
    from django.db import transaction

    from ioc.accounts.selectors import system_account
    from ioc.indicators import services
    from ioc.indicators.models import Indicator

    rows, period = _batch_rows(size)
    actor = system_account()
    before = load()
    with transaction.atomic():
        started, cpu_started = time.perf_counter(), time.process_time()
        summary = services.values_import(actor=actor, rows=rows)  # type: ignore[arg-type]
        imported, imported_cpu = time.perf_counter() - started, time.process_time() - cpu_started
        assert summary["status"] == "accepted", summary["conflicts"][:3]
        ids = set(Indicator.objects.filter(code__in={r["indicator"] for r in rows}).values_list("pk", flat=True))
        started, cpu_started = time.perf_counter(), time.process_time()
        services.indicators_recompute(actor=actor, indicator_ids=ids, periods={period})
        recomputed, recomputed_cpu = time.perf_counter() - started, time.process_time() - cpu_started
        transaction.set_rollback(True)
    result = {
        "values": len(rows), "indicators": len(ids), "period": period, "import_seconds": round(imported, 2),
        "recompute_seconds": round(recomputed, 2), "import_cpu": round(imported_cpu, 2),
        "recompute_cpu": round(recomputed_cpu, 2), "load": before,
    }  # fmt: skip
    print("recompute", result, flush=True)
    return result


DASHBOARD_LUA = """
math.randomseed(%(seed)d)
local sectors = {%(sectors)s}
local headers = {["Cookie"] = "%(cookie)s"}
request = function()
  return wrk.format("GET", "/chi-so/?sector=" .. sectors[math.random(#sectors)], headers)
end
done = function(summary, latency, requests)
  io.write(string.format("LAT p50=%%d p90=%%d p95=%%d p99=%%d requests=%%d non2xx=%%d errors=%%d\\n",
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99),
    summary.requests, summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.timeout))
end
"""


def _session_cookie(user: Any) -> str:
    from django.conf import settings
    from django.test import Client

    from ioc.accounts.testing import sign_in

    client = Client(HTTP_HOST="127.0.0.1")
    sign_in(client, user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def _tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a process and its children, from /proc (gunicorn's master and workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(stat.parent.name) == pid or int(fields[1]) == pid:  # fields[1]: the parent's pid
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def bench_wrk(args: argparse.Namespace, user: Any) -> dict[str, Any]:
    """The sector dashboard under wrk through gunicorn (production settings), signed in as `user`."""
    import urllib.parse
    import urllib.request

    from bench.maps_bench import wrk
    from bench.open311_bench import free_port, settle, start_server, stop_server
    from ioc.indicators import selectors

    sectors = [code for code, _label in selectors.sectors()]
    cookie = _session_cookie(user)
    lua = DASHBOARD_LUA % {"seed": 13, "sectors": ", ".join(f'"{s}"' for s in sectors), "cookie": cookie}
    port = free_port()
    log = ROOT / "var" / f"bench-gunicorn-indicators-{args.db}.log"
    settle(args.settle)
    server = start_server(args, port, "", log, ready="/open311/v2/services.json")
    try:
        for sector in sectors:  # each sector answers 200 to the signed-in leader before any load (and warms it)
            request = urllib.request.Request(f"http://127.0.0.1:{port}/chi-so/?sector={sector}")
            request.add_header("Cookie", cookie)
            with urllib.request.urlopen(request, timeout=60) as answer:
                landed = urllib.parse.urlsplit(answer.geturl()).path  # not the sign-in page
                assert answer.status == 200 and landed == "/chi-so/", (sector, answer.geturl())
        before, cpu_before = load(), _tree_cpu(server.pid)
        # maps_bench.wrk: an unrecorded warm-up of WARM_UP_SECONDS, then the recorded run (its requests counted)
        run = wrk(args, port, lua, "sector dashboard")
        cpu = _tree_cpu(server.pid) - cpu_before
    finally:
        stop_server(server)
    from bench.open311_bench import WARM_UP_SECONDS

    # The CPU covers the warm-up too: per request over both, at the recorded run's rate.
    served = run["requests"] + run["rps"] * WARM_UP_SECONDS
    result = {
        **run, "sectors": len(sectors), "load": before, "load_after": load(),
        "cpu_ms": round(cpu * 1000 / max(1.0, served), 1), "connections": args.connections,
        "threads": args.threads, "duration": args.duration,
    }  # fmt: skip
    print("wrk", result, flush=True)
    return result


def markdown_wrk(run: dict[str, Any]) -> str:
    return (
        f"| sector dashboard under wrk (gunicorn, -t{run['threads']} -c{run['connections']} -d{run['duration']}s, "
        f"{run['sectors']} sectors at random, {run['requests']:,} requests, {run['rps']:.1f} req/s) "
        f"| p50 {run['p50']:.0f} ms, p90 {run['p90']:.0f} ms, **p95 {run['p95']:.0f} ms**, p99 {run['p99']:.0f} ms; "
        f"non-2xx {run['non2xx']}, socket errors {run['errors']}; gunicorn CPU {run['cpu_ms']} ms a request "
        f"| ≤ 300 ms p95 | {run['load']} (after {run['load_after']}) |\n"
    )


def markdown(args: argparse.Namespace, forecasts: dict[str, Any], dash: dict[str, Any], rec: dict[str, Any]) -> str:
    from ioc.indicators.models import Value

    values = Value.objects.count()
    return (
        "\n".join(
            [
                f"Indicators, {args.db}, {forecasts['series']} indicators, {values:,} values; production settings "
                "(bench/settings_bench.py), in-process.",
                "",
                "| measure | result | target | load average before |",
                "|---|---|---|---|",
                f"| forecast every territory series ({forecasts['series']}) | {forecasts['seconds']} s "
                f"| ≤ 60 s | {forecasts['load']} |",
                f"| sector dashboard, warm ({dash['warm_n']} requests, {dash['sectors']} sectors) "
                f"| p50 {dash['warm_p50']} ms, "
                f"**p95 {dash['warm_p95']} ms**, max {dash['warm_max']} ms "
                f"(CPU p50 {dash['cpu_p50']} ms, p95 {dash['cpu_p95']} ms) | ≤ 300 ms p95 | {dash['load']} |",
                f"| sector dashboard, cold (first of each sector, forecast cache empty) | p50 {dash['cold_p50']} ms, "
                f"max {dash['cold_max']} ms | — | {dash['load']} |",
                f"| `values_import` of {rec['values']:,} new values ({rec['indicators']} indicators, {rec['period']}), "
                f"with the recomputation | {rec['import_seconds']} s (CPU {rec['import_cpu']} s) | ≤ 10 s "
                f"| {rec['load']} |",
                f"| `indicators_recompute` of the same indicators × period alone | {rec['recompute_seconds']} s "
                f"(CPU {rec['recompute_cpu']} s) "
                f"| ≤ 10 s | {rec['load']} |",
                "",
                f"Forecast methods chosen: {forecasts['methods']}",
            ]
        )
        + "\n"
    )


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings_bench")
    from bench.dataset import configure

    configure(args)
    from django.core.management import call_command

    from ioc.accounts.models import User

    call_command("collectstatic", interactive=False, verbosity=0)  # production serves the manifest (WhiteNoise)

    user = User.objects.get(username=args.user)
    forecasts = bench_forecasts()
    dash = bench_dashboard(user, args.requests)
    rec = bench_recompute(args.batch)
    text = markdown(args, forecasts, dash, rec)
    if args.wrk:
        from bench.dataset import cache_tables

        cache_tables()
        table_end = text.index("\n\nForecast methods")
        text = text[: table_end + 1] + markdown_wrk(bench_wrk(args, user)) + text[table_end + 1 :]
    out = ROOT / "var" / f"bench-indicators-{args.db}.md"
    out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
