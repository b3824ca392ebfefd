"""The recurring data calls' sweep (issue 13, R2.6): what opening every rule's call of a period costs, and what a
second run (nothing left to open) costs, on a fresh SQLite file with production settings.

    .venv/bin/python bench/call_rules_bench.py --indicators 250 [--out var/bench-call-rules.sqlite3]

Builds (through the services): the test subset of units with province 33 as the territory and the personas
(`bench.load.registry.world_base`), `--indicators` monthly indicators approved by one decision, and one rule per
indicator × persona agency (A and B: 2 × `--indicators` rules), all for the current month. Then, on the moment
their call is due, `call_rules_open_due` as the system account: the first run opens one call per rule (a claim by
conditional UPDATE, the call, its audit entry and the agency's outbox rows, each period in a transaction of its
own); the second run at the same moment opens none (the URLconf is imported first, as in a running worker: the
notices' links reverse it). Wall time and the process's CPU time (on SQLite the database
work runs in this process), with the load average before and after.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.dataset import cache_tables, configure  # noqa: E402


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=str(ROOT / "var" / "bench-call-rules.sqlite3"), help="SQLite file")
    parser.add_argument("--indicators", type=int, default=250)
    parser.add_argument("--profile", action="store_true", help="cProfile the first run (top 25, cumulative)")
    args = parser.parse_args(argv)
    args.db, args.fresh, args.database_url = "sqlite", True, ""
    return args


def build(indicators: int) -> int:
    from bench.load.registry import world_base
    from ioc.accounts.models import User
    from ioc.agencies.models import Agency
    from ioc.indicators import services
    from ioc.indicators.models import Indicator

    world = world_base()
    leader, operator = User.objects.get(username="persona-leader"), User.objects.get(username="persona-operator")
    specs: list[services.IndicatorSpec] = [
        {  # type: ignore[typeddict-item]
            "code": f"bench_{i:04d}",
            "name": f"Chỉ số thử {i}",
            "unit_label": "tỷ đồng",
            "sector": "kinh-te",
            "period_type": "month",
            "levels": ["territory", "commune"],
            "definition": f"Định nghĩa {i}",
            "agency": "persona-agency-a",
        }
        for i in range(indicators)
    ]
    services.catalog_version_approve(
        actor=leader, add=specs, decision_no="99/QĐ-UBND", decision_date=dt.date(2026, 1, 1), signer="Chủ tịch"
    )
    agencies = [Agency.objects.get(pk=world["agency_a"]), Agency.objects.get(code="persona-agency-b")]
    made = 0
    for indicator in Indicator.objects.order_by("code"):
        for agency in agencies:
            services.call_rule_create(actor=operator, indicator=indicator, agency=agency, period_type="month")
            made += 1
    return made


def timed(label: str, run: object) -> tuple[str, int, float, float, float, float]:
    before = os.getloadavg()[0]
    wall, cpu = time.perf_counter(), time.process_time()
    count = run()  # type: ignore[operator]
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return label, count, wall, cpu, before, os.getloadavg()[0]


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    configure(args)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    cache_tables()
    rules = build(args.indicators)
    from django.urls import reverse

    from ioc.accounts.selectors import system_account
    from ioc.indicators.models import CallRule, DataCall
    from ioc.indicators.services import call_rules_open_due

    reverse("indicators:owed")  # the URLconf's one-time import, as a worker has it after its first task
    due = max(CallRule.objects.values_list("next_open_at", flat=True))
    actor = system_account()
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(call_rules_open_due, actor=actor, now=due)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        return 0
    rows = [
        timed("first run (opens every call)", lambda: call_rules_open_due(actor=actor, now=due)),
        timed("second run (nothing to open)", lambda: call_rules_open_due(actor=actor, now=due)),
    ]
    assert DataCall.objects.count() == rules, (DataCall.objects.count(), rules)
    print(f"\nRecurring data calls' sweep, SQLite (fresh file), {rules:,} rules ({args.indicators} indicators × 2)\n")
    print("| run | calls opened | wall s | CPU s | CPU per rule | load before → after |")
    print("|---|---|---|---|---|---|")
    for label, count, wall, cpu, before, after in rows:
        per_rule = cpu / rules * 1000
        print(f"| {label} | {count:,} | {wall:.2f} | {cpu:.2f} | {per_rule:.2f} ms | {before:.1f} → {after:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
