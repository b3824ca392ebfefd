"""Running the center under load (issue 24 "Speed"): a month's allowance sheets for 2,000 staff in 60 paying
agencies (target ≤ 2 s) and the coverage of a year of 24/7 shifts (target ≤ 1 s), with their query counts.

    .venv/bin/python bench/operations_bench.py [--staff 2000] [--agencies 60] [--repeat 3]

Self-contained: a fresh in-memory SQLite test database (the test settings, migrations applied), the personas of
`ioc.accounts.testing`, staff and postings written in bulk (a quarter of them move from the center to elsewhere
mid-month, a tenth join mid-month), the act's two allowances (1.000.000 / 500.000 đồng) with proration by days.
Timed: `allowance_sheets_prepare_month` (one transaction: every paying agency's draft, lines, audit entries), run
`--repeat` times (a rerun recomputes the drafts in place); then twelve 24/7 rosters (1,095 shifts, two people on
each but Tết's) and `roster_gaps` over the twelve. Results: printed as Markdown (docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--staff", type=int, default=2000)
    parser.add_argument("--agencies", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=3)
    return parser.parse_args(argv)


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, keepdb=False)


def build(staff: int, agencies: int) -> tuple[Any, list[Any]]:
    from ioc.accounts.testing import personas_create
    from ioc.agencies.models import Agency
    from ioc.operations.choices import WorkPlace
    from ioc.operations.models import Posting, Staff
    from ioc.operations.testing import allowance_rules_make

    people = personas_create()
    allowance_rules_make(actor=people.system_account, leader=people.leader)
    payers = Agency.objects.bulk_create(
        [Agency(code=f"bench-{n:03d}", name=f"Cơ quan thử {n:03d}") for n in range(agencies)]
    )
    rows = Staff.objects.bulk_create(
        [
            Staff(full_name=f"Nhân sự {n:05d}", home_agency=payers[n % agencies], position="Chuyên viên")
            for n in range(staff)
        ]
    )
    start, move = dt.date(2025, 1, 1), dt.date(2025, 7, 16)
    postings = []
    for n, person in enumerate(rows):
        if n % 4 == 0:
            postings += [
                Posting(
                    staff=person, work_place=WorkPlace.CENTER, starts_on=start, ends_on=move - dt.timedelta(days=1)
                ),
                Posting(staff=person, work_place=WorkPlace.ELSEWHERE, starts_on=move),
            ]
        else:
            joined = dt.date(2025, 7, 15) if n % 10 == 1 else start
            postings.append(Posting(staff=person, work_place=WorkPlace.CENTER, starts_on=joined))
    Posting.objects.bulk_create(postings, batch_size=1000)
    return people, rows


def timed(call: Callable[[], T]) -> tuple[T, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = call()
        elapsed = time.perf_counter() - started
    return result, elapsed, len(queries.captured_queries)


def main(argv: list[str]) -> None:
    args = parse_args(argv)
    setup()
    from ioc.agencies.models import Agency
    from ioc.operations import selectors, services
    from ioc.operations.models import RosterDuty, RosterShift

    people, rows = build(args.staff, args.agencies)
    now = dt.datetime(2025, 8, 5, 9, tzinfo=dt.UTC)
    july = dt.date(2025, 7, 1)
    sheet_times: list[float] = []
    sheet_queries, sheets = 0, list[Any]()
    for _ in range(args.repeat):
        sheets, elapsed, sheet_queries = timed(
            lambda: services.allowance_sheets_prepare_month(actor=people.leader, month=july, now=now)
        )
        sheet_times.append(elapsed)
    Agency.objects.filter(pk=people.agency_a.pk).update(works_24x7=True)
    people.agency_a.refresh_from_db()
    rosters = [
        services.roster_create(actor=people.leader, agency=people.agency_a, month=dt.date(2026, m, 1))
        for m in range(1, 13)
    ]
    duties = [
        RosterDuty(shift=shift, staff=rows[(i * 2 + k) % len(rows)], as_leader=k == 0)
        for i, shift in enumerate(
            RosterShift.objects.filter(roster__in=rosters, is_holiday=False).order_by("starts_at")
        )
        for k in range(2)
    ]
    RosterDuty.objects.bulk_create(duties, batch_size=1000)
    shifts = RosterShift.objects.filter(roster__in=rosters).count()
    gap_times: list[float] = []
    gap_queries, gaps = 0, 0
    for _ in range(args.repeat):
        found, elapsed, gap_queries = timed(lambda: [g for r in rosters for g in selectors.roster_gaps(roster=r)])
        gaps = len(found)
        gap_times.append(elapsed)
    total = sum(s.total_vnd for s in sheets)
    print("| measure | size | median | best | queries | target |")
    print("|---|---|---|---|---|---|")
    print(
        f"| a month's allowance sheets (`allowance_sheets_prepare_month`) | {args.staff} staff, {len(sheets)} paying "
        f"agencies, total {total:,} đồng | {statistics.median(sheet_times):.2f} s | {min(sheet_times):.2f} s | "
        f"{sheet_queries} | ≤ 2 s |"
    )
    print(
        f"| coverage of a year of 24/7 shifts (`roster_gaps` × 12) | {shifts} shifts, {len(duties)} duties, "
        f"{gaps} gaps | {statistics.median(gap_times):.3f} s | {min(gap_times):.3f} s | {gap_queries} | ≤ 1 s |"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
