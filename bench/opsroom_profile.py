"""Where an operations-room request spends its time, in-process (issue 20 "Speed", issue 16 item 6): the operator's
home and queue, the overview's figures, the map's selection and the citizen reports' staff list and report page.

    .venv/bin/python bench/opsroom_profile.py --out var/bench.sqlite3 --requests 20 [--only home,overview] [--top 25]
    IOC_BENCH_PGDATA=var/pg-ops1m bash bench/pg-bench --build "--reports 1000000" --run bench/opsroom_profile.py \
        --requests 20 --no-profile          # PostgreSQL: also the CPU of this connection's backend per request

Through Django's test client with the production settings and middleware (static files not collected), signed in
as the demo operator `vanhanh`, one request at a time after two unrecorded warm-ups per case. For each case: wall
time and CPU time (`time.process_time`) per request, queries per request, the time SQLite spent (statement steps
and fetches, from cProfile, as bench/maps_inprocess.py counts it), then the functions that cost the most over all
the case's requests (cProfile, own time and cumulative time) and the statements repeated most per request
(numbers folded to `?`). Wall and CPU times include cProfile's overhead (× 1.5–2); compare runs with each other.
`overview` recomputes every time (IOC_OVERVIEW_CACHE_SECONDS=0 and the statistics cache off): what a screen pays
on a miss; `version` is the wall screen's 2-second poll with the cache as shipped.
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
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.maps_inprocess import percentile, sql_seconds  # noqa: E402
from bench.sta_get_bench import backend_cpu as backend_seconds  # noqa: E402

CASES = "home,page2,filtered,search,phone,overview,version,radius,polygon,reports,report"
NUMBERS = re.compile(r"(?<![A-Za-z_])-?\d+(\.\d+)?")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--out", default=str(ROOT / "var" / "bench.sqlite3"))
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--only", default=CASES, help=f"cases, comma-separated: {CASES}")
    parser.add_argument("--top", type=int, default=25, help="functions listed per case (0: none)")
    parser.add_argument("--no-profile", action="store_true", help="time only (no cProfile): wall and CPU")
    parser.add_argument("--seed", type=int, default=20261205)
    return parser.parse_args(argv)


def fold(sql: str) -> str:
    return NUMBERS.sub("?", sql)[:160]


def cases(client: Any, rng: random.Random) -> dict[str, Callable[[], Any]]:
    from urllib.parse import urlencode

    from django.urls import reverse

    from bench.maps_bench import deployment
    from ioc.citizen_reports.models import Report
    from ioc.geo.models import Territory

    communes = list(Territory.objects.get().communes.values_list("pk", flat=True))
    ids = list(Report.objects.order_by("-pk").values_list("pk", flat=True)[:2000])
    points = deployment()["points"]
    detail = reverse("citizen_reports:staff_report_detail", args=[1]).removesuffix("1/")

    def htmx(url: str) -> Any:
        return client.get(url, HTTP_HX_REQUEST="true")

    def selection(body: dict[str, Any]) -> Any:
        return client.post("/api/v1/maps/selection/", data=json.dumps(body), content_type="application/json")

    def radius() -> Any:
        return selection({"point": list(rng.choice(points)), "radius_m": rng.randint(300, 3000)})

    def polygon() -> Any:
        lat, lon = rng.choice(points)
        a, b, c, d = (0.005 + rng.random() * 0.01 for _i in range(4))
        ring = [[lon - a, lat], [lon, lat - b], [lon + c, lat], [lon, lat + d], [lon - a, lat]]
        return selection({"geometry": {"type": "Polygon", "coordinates": [ring]}})

    from bench.queue_bench import phone_urls, search_urls
    from ioc.incidents.models import Incident

    codes = list(Report.objects.order_by("-pk").values_list("tracking_code", flat=True)[:16])
    incidents = [i.reference for i in Incident.objects.order_by("-pk")[:16]]
    names = list(Territory.objects.get().communes.order_by("pk").values_list("name", flat=True)[:16])
    searches = search_urls(codes=codes, incidents=incidents, communes=names)
    phones = phone_urls(rng=rng)
    background = {"HTTP_X_IOC_BACKGROUND": "1"}
    return {
        "home": lambda: client.get("/"),
        "page2": lambda: htmx("/hang-doi/?page=2"),
        "filtered": lambda: htmx(
            "/hang-doi/?" + urlencode({"kind": "citizen_reports", "commune": rng.choice(communes)})
        ),
        "search": lambda: client.get(rng.choice(searches)),  # the search box: words, codes, references, communes
        "phone": lambda: client.get(rng.choice(phones)),
        "overview": lambda: client.get("/man-hinh/du-lieu/", **background),
        "version": lambda: client.get("/man-hinh/phien-ban/", **background),
        "radius": radius,
        "polygon": polygon,
        "reports": lambda: client.get(reverse("citizen_reports:staff_index")),
        "report": lambda: client.get(f"{detail}{rng.choice(ids)}/"),
    }


def run_case(name: str, fetch: Callable[[], Any], args: argparse.Namespace) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings

    overrides: dict[str, Any] = {}
    if name == "overview":
        overrides = {"IOC_OVERVIEW_CACHE_SECONDS": 0, "CITIZEN_REPORTS_STATISTICS_CACHE_SECONDS": 0}
    with override_settings(**overrides):
        for _i in range(2):
            response = fetch()
            assert response.status_code == 200, (name, response.status_code)
        walls, cpus, sqls, counts = [], [], [], []
        shapes: Counter[str] = Counter()
        merged: pstats.Stats | None = None
        backend = backend_seconds()
        backend_start = backend()
        for _i in range(args.requests):
            profile = None if args.no_profile else cProfile.Profile()
            with CaptureQueriesContext(connection) as queries:
                wall, cpu = time.perf_counter(), time.process_time()
                if profile:
                    profile.enable()
                response = fetch()
                if profile:
                    profile.disable()
                cpus.append((time.process_time() - cpu) * 1000)
                walls.append((time.perf_counter() - wall) * 1000)
            assert response.status_code == 200, (name, response.status_code)
            counts.append(len(queries.captured_queries))
            shapes.update(fold(q["sql"]) for q in queries.captured_queries)
            if profile:
                sqls.append(sql_seconds(profile) * 1000)
                if merged is None:
                    merged = pstats.Stats(profile)
                else:
                    merged.add(profile)
        backend_ms = (backend() - backend_start) * 1000 / args.requests
    sql = (
        f", SQLite {statistics.median(sqls):.0f} / {percentile(sqls, 0.95):.0f} ms"
        if sqls and args.db == "sqlite"
        else ""
    )
    if args.db == "postgresql":
        sql += f", PostgreSQL backend CPU {backend_ms:.1f} ms a request (mean)"
    print(
        f"\n## {name}: wall {statistics.median(walls):.0f} / {percentile(walls, 0.95):.0f} ms, "
        f"CPU {statistics.median(cpus):.0f} / {percentile(cpus, 0.95):.0f} ms (median / p95){sql}, "
        f"queries {statistics.median(counts):.0f} per request"
    )
    n = args.requests
    for shape, seen in shapes.most_common(12):
        print(f"  {seen / n:5.1f}× {shape}")
    if merged is not None and args.top:
        for order in ("tottime", "cumulative"):
            buffer = io.StringIO()
            merged.stream = buffer  # type: ignore[attr-defined]
            merged.sort_stats(order).print_stats(args.top)
            body = buffer.getvalue()
            start = body.find("   ncalls")
            print(f"  -- by {order} (over {n} requests)")
            print("\n".join("  " + line for line in body[start:].splitlines() if line.strip()))


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    from bench.dataset import configure

    configure(argparse.Namespace(db=args.db, database_url=args.database_url, out=args.out, fresh=False))
    from django.conf import settings
    from django.test import Client
    from django.test.utils import override_settings

    from ioc.accounts.models import User
    from ioc.accounts.testing import sign_in

    plain = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    override_settings(STORAGES=plain).enable()
    client = Client(HTTP_HOST="127.0.0.1")
    sign_in(client, User.objects.get(username="vanhanh"))
    chosen = cases(client, random.Random(args.seed))
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    for name in filter(None, args.only.split(",")):
        run_case(name, chosen[name], args)
    print(f"\nload average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
