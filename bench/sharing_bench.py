"""The sharing read API under load (issue 10 item 8 "Speed"): a page of 1,000 rows from a 1,000,000-row dataset,
filtered and sorted on an indexed field, p95 target ≤ 300 ms.

    .venv/bin/python bench/dataset.py --db sqlite --out var/bench-sharing.sqlite3 --fresh --no-boundaries \\
        --datahub-records 1000000
    .venv/bin/python bench/sharing_bench.py --out var/bench-sharing.sqlite3 [--requests 200]

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
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.dataset import configure  # noqa: E402

FIELDS = ["ma_co_so", "ten_co_so", "loai", "so_giuong", "cong_suat"]
PAGE = 1000


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=str(ROOT / "var" / "bench-sharing.sqlite3"), help="SQLite file")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seed", type=int, default=20251203)
    args = parser.parse_args(argv)
    args.db, args.fresh, args.database_url = "sqlite", False, ""
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


def plan() -> list[str]:
    """SQLite's plan of one page's query as the API runs it (the expression index must serve filter and order)."""
    from django.db import connection

    from ioc.datahub.models import Dataset
    from ioc.sharing.selectors import records

    dataset = Dataset.objects.get(code="bench-chia-se")
    grant = dataset.grants.get()
    qs = records._apply_filters(records._base(dataset, grant), dataset, grant, {"so_giuong__gte": "250"})
    key = records.RawSQL(records.field_sql("so_giuong", field_type="integer"), [])
    sql, params = qs.annotate(o_key=key).order_by("o_key", "pk")[:PAGE].query.sql_with_params()
    index = records._sqlite_index(dataset, "so_giuong")
    sql = sql.replace(f'FROM "{records.TABLE}"', f'FROM "{records.TABLE}" INDEXED BY "{index}"', 1)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return [str(row[-1]) for row in cursor.fetchall()]


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


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    configure(args)
    from ioc.datahub.models import Record

    rows = Record.objects.filter(dataset__code="bench-chia-se", is_current=True).count()
    timings = run(args)
    print(f"\nSharing read API, SQLite, {rows:,} rows, pages of {PAGE:,} (in-process client)\n")
    print("| request | n | p50 ms | p95 ms | p99 ms | max ms |")
    print("|---|---|---|---|---|---|")
    for name, values in timings.items():
        print(
            f"| {name} | {len(values)} | {statistics.median(values):.0f} | {percentile(values, 0.95):.0f} | "
            f"{percentile(values, 0.99):.0f} | {max(values):.0f} |"
        )
    print("\nplan: " + " / ".join(plan()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
