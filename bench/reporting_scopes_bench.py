"""The incidents' part of a report (issue 17, part B): CPU and queries per report for the territory, one agency and
one commune, on the benchmark database built with incidents.

    .venv/bin/python bench/dataset.py --db sqlite --out var/repb-scopes.sqlite3 --fresh --no-boundaries \
        --incidents 100000
    .venv/bin/python bench/reporting_scopes_bench.py --out var/repb-scopes.sqlite3 [--runs 7] [--scopes territory]

Each run computes every figure of the registered `incidents` section that answers the scope, for the month with
the most incidents, on a fresh FigureContext (as one report does), as the operator `--user` (the whole territory).
The agency is the one holding the most incidents' parts, the commune the one with the most incidents. It reports,
per scope, the median CPU seconds (`time.process_time`, what a code change moves on a shared machine), the median
wall seconds and the SQL queries of one report. Only reads: the database is opened as built. The script only
imports names every version of the section has, so a `git archive` of an earlier commit can run it (copied into
that tree's bench/) for a before/after comparison, alternately.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=str(ROOT / "var" / "repb-scopes.sqlite3"))
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--scopes", default="territory,agency,commune")
    parser.add_argument("--user", default="vanhanh")
    args = parser.parse_args(argv)
    args.db, args.database_url, args.fresh = "sqlite", "", False
    return args


def _busiest() -> tuple[str, int, int, int]:
    """The month with the most incidents (its DHIS2 id and count), the agency holding the most parts, the commune
    with the most incidents."""
    from django.db.models import Count
    from django.db.models.functions import TruncMonth

    from ioc.assignments.models import Assignment
    from ioc.incidents.models import Incident

    month = (
        Incident.objects.annotate(m=TruncMonth("raised_at")).values("m").annotate(n=Count("pk")).order_by("-n").first()
    )
    assert month is not None, "no incidents: build the database with --incidents"
    agency = Assignment.objects.filter(process="incidents").values("agency_id").annotate(n=Count("pk")).order_by("-n")
    unit = Incident.objects.values("unit_id").annotate(n=Count("pk")).order_by("-n")
    return f"{month['m']:%Y%m}", int(month["n"]), int(agency[0]["agency_id"]), int(unit[0]["unit_id"])


def one_report(user: Any, period: str, scope: Any) -> tuple[float, float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from ioc.common.periods import period_parse
    from ioc.common.report_sections import FigureContext, section_get

    parsed = period_parse(period)
    section = section_get("incidents")
    assert section is not None
    ctx = FigureContext(
        user=user, period_code=period, start=parsed.start, end=parsed.end, scope=scope, now=timezone.now()
    )
    with CaptureQueriesContext(connection) as queries:
        cpu, wall = time.process_time(), time.perf_counter()
        answers = {f.code: f.compute(ctx) for f in section.figures if f.covers(scope)}
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return cpu, wall, len(queries), len(answers)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    from bench.dataset import configure

    configure(args)
    from ioc.accounts.models import User
    from ioc.common.report_sections import ReportScope

    user = User.objects.get(username=args.user)
    period, incidents, agency_id, unit_id = _busiest()
    scopes = {
        "territory": ReportScope(),
        "agency": ReportScope(kind="agency", agency_id=agency_id),
        "commune": ReportScope(kind="commune", unit_id=unit_id),
    }
    print(f"tree {ROOT}; period {period}: {incidents} incidents; load {os.getloadavg()[0]:.2f}", flush=True)
    for name in args.scopes.split(","):
        one_report(user, period, scopes[name])  # warm: the reference caches, the page cache
        runs = [one_report(user, period, scopes[name]) for _ in range(args.runs)]
        cpu = statistics.median(r[0] for r in runs)
        wall = statistics.median(r[1] for r in runs)
        print(
            f"| {name} | {runs[0][3]} | {runs[0][2]} | {cpu * 1000:.0f} | {wall * 1000:.0f} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
