"""The monthly operations report over a million citizen reports (issue 17 "Speed": figures, charts, .docx and
.xlsx in ≤ 10 s on the 2-core machine).

    .venv/bin/python bench/dataset.py --db sqlite --out var/bench.sqlite3 --fresh --reports 1000000
    .venv/bin/python bench/reporting_bench.py --db sqlite --out var/bench.sqlite3 [--copy-from other.sqlite3]

`--copy-from` first copies an existing benchmark database (SQLite's online backup: safe while another process
reads it) to `--out`, so a database another benchmark owns is never written. The copy is migrated to the code's
schema (every app), then the province's monthly operations report of the last full month is generated as the demo
operator (`vanhanh`, the whole territory) five times (the statistics cache is bypassed: each run computes), each run
timed in three parts: the figures (every registered section's selectors), the .docx (with its charts) and the
.xlsx. Nothing is kept: each run's report is rolled back.

Results: printed as Markdown and written to var/bench-results-reporting-<db>.md (copy them into
docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sqlite3
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RUNS = 5
TARGET_SECONDS = 10.0


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--out", default=str(ROOT / "var" / "bench.sqlite3"))
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--copy-from", default="", help="an existing SQLite benchmark database to copy to --out")
    parser.add_argument("--user", default="vanhanh")
    args = parser.parse_args(argv)
    args.fresh = False
    return args


def copy_database(source: str, target: str) -> None:
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src, sqlite3.connect(target) as dst:
        src.backup(dst, pages=65536)


class Rollback(Exception):
    pass


def one_run(user: Any, period: str) -> dict[str, float]:
    from django.db import transaction
    from django.utils import timezone

    from ioc.reporting import services
    from ioc.reporting.documents import build_docx
    from ioc.reporting.models import ReportTemplate
    from ioc.reporting.workbooks import build_xlsx

    template = ReportTemplate.objects.get(code="operations-monthly")
    times: dict[str, float] = {}
    try:
        with transaction.atomic():
            started = time.perf_counter()
            report = services.report_generate(actor=user, template=template, period=period, now=timezone.now())
            times["figures"] = time.perf_counter() - started
            mark = time.perf_counter()
            docx = build_docx(report)
            times["docx"] = time.perf_counter() - mark
            mark = time.perf_counter()
            xlsx = build_xlsx(report)
            times["xlsx"] = time.perf_counter() - mark
            times["total"] = time.perf_counter() - started
            times["received"] = float(report.figures["citizen_reports.received"]["value"] or 0)
            times["bytes"] = float(len(docx) + len(xlsx))
            raise Rollback
    except Rollback:
        pass
    return times


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if args.copy_from:
        started = time.perf_counter()
        copy_database(args.copy_from, args.out)
        print(f"copied {args.copy_from} → {args.out} in {time.perf_counter() - started:.0f} s", flush=True)
    from bench.dataset import configure

    configure(args)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)  # every app: the report reads every domain's tables as they are now
    from ioc.accounts.models import User
    from ioc.common.periods import LOCAL_TZ, period_code

    user = User.objects.get(username=args.user)
    today = dt.datetime.now(LOCAL_TZ).date()
    period = period_code(today.replace(day=1) - dt.timedelta(days=1), "month")
    load = os.getloadavg()[0]
    runs = [one_run(user, period) for _ in range(RUNS)]
    for run in runs:
        print({k: round(v, 3) for k, v in run.items()}, flush=True)
    median = {key: statistics.median(r[key] for r in runs) for key in ("figures", "docx", "xlsx", "total")}
    worst = max(r["total"] for r in runs)
    verdict = "met" if worst <= TARGET_SECONDS else "NOT met"
    text = "\n".join(
        [
            f"Monthly operations report {period}, {args.db}, {int(runs[0]['received'])} citizen reports received in "
            f"the month (load average before: {load:.2f})",
            "",
            "| part | median s |",
            "|---|---|",
            *(f"| {key} | {value:.2f} |" for key, value in median.items()),
            "",
            f"Worst of {RUNS}: {worst:.2f} s (target ≤ {TARGET_SECONDS:.0f} s: {verdict}).",
        ]
    )
    out = ROOT / "var" / f"bench-results-reporting-{args.db}.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
