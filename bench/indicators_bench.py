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
    out = ROOT / "var" / f"bench-indicators-{args.db}.md"
    out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
