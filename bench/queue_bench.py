"""The operator's work queue and its search box at scale (issue 20 "Speed": ≤ 200 ms p95 at 1,000,000 reports).

    .venv/bin/python bench/dataset.py --db sqlite --out var/bench-queue.sqlite3 --fresh --reports 1000000
    .venv/bin/python bench/queue_bench.py --out var/bench-queue.sqlite3

In-process (Django test client, the production settings and middleware, no HTTP server, static files not
collected), signed in as the demo
operator `vanhanh`, sequential: after 3 unrecorded warm-up requests, `--requests` timed requests of each of
- the operator's home (the handover, the queue's first page, its filters);
- the queue fragment as htmx fetches it: page 2, then a kind and a commune filter (a random commune each time);
- the search box with text (folded words of the catalogue and tracking codes), incidents, units and agencies;
- the search box with a phone number (the blind index; the dataset holds no contacts, so it finds nothing).
Prints median, p95 and max per case, the median and p95 of its SQL time, and the load average before and after.

`--wrk` (issue 20 "Speed": the queue under load): gunicorn with the benchmark settings and `config/gunicorn.py` (as
bench/maps_bench.py starts it), the demo operator's session cookie, then per case `wrk -t2 -c8 -d<duration>s` over
loopback after a short unrecorded run: the home page, the queue's page 2 (htmx), the kind + commune filter
(htmx, a random commune of the territory per request), and the search box as its form sends it (a plain GET of
`/hang-doi/tim/?q=…`): `search` — words typed with and without marks, the newest reports' tracking codes, incident
references and commune names, one drawn per request —, and `phone` — a reporter's phone number (the operator only;
the blind index). p95 from wrk's own histogram; each URL checked once first. The server's CPU a request: gunicorn's
master and workers' clock ticks (/proc) over the recorded run, divided by its requests.

    .venv/bin/python bench/queue_bench.py --out var/bench.sqlite3 --wrk --duration 15 --settle 5
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = ("o ga", "den duong", "rac thai", "ngap", "cay do", "tieng on", "lan chiem", "nuoc thai")
# The same words as an operator types them, with their marks (the search folds both).
MARKED = ("ổ gà", "đèn đường", "rác thải", "ngập", "cây đổ", "tiếng ồn", "lấn chiếm", "nước thải")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--out", default=str(ROOT / "var" / "bench-queue.sqlite3"))
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--seed", type=int, default=20261203)
    parser.add_argument(
        "--only", default="", help="cases, comma-separated (default: all; with --wrk: home,page2,filtered,search,phone)"
    )
    parser.add_argument("--wrk", action="store_true", help="through gunicorn under wrk instead of in-process")
    parser.add_argument("--duration", type=int, default=15, help="--wrk: seconds per case")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=0, help="WEB_CONCURRENCY (default: config/gunicorn.py's)")
    parser.add_argument("--settle", type=float, default=180.0, help="--wrk: seconds to wait at most for an idle CPU")
    args = parser.parse_args(argv)
    args.fresh = False
    return args


def timed(label: str, make: Callable[[], str], fetch: Callable[[str], int], n: int) -> dict[str, object]:
    """Wall time per request, and the time its SQL statements took (what the indexes change; on a machine shared
    with other work the wall time mostly measures the wait for a core)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        fetch(make())
    times, sql = [], []
    for _ in range(n):
        url = make()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            status = fetch(url)
            times.append((time.perf_counter() - started) * 1000)
        sql.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
        assert status == 200, (url, status)
    times.sort()
    sql.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    sql95 = sql[min(len(sql) - 1, round(0.95 * (len(sql) - 1)))]
    return {
        "label": label,
        "median": statistics.median(times),
        "p95": p95,
        "max": times[-1],
        "sql_median": statistics.median(sql),
        "sql_p95": sql95,
    }


WRK_LUA = """
math.randomseed(17)
local urls = {%(urls)s}
local headers = {["Cookie"] = "%(cookie)s"%(extra)s}
done = function(summary, latency, requests)
  io.write(string.format("LAT p50=%%d p90=%%d p95=%%d p99=%%d requests=%%d non2xx=%%d errors=%%d\\n",
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99),
    summary.requests, summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.timeout))
end
request = function()
  return wrk.format("GET", urls[math.random(#urls)], headers)
end
"""
WRK_CASES = {
    "home": "home (operator)",
    "page2": "queue page 2 (htmx)",
    "filtered": "queue, kind + commune (htmx)",
    "search": "search, text or code",
    "phone": "search, phone (blind index)",
}


def search_urls(*, codes: list[str], incidents: list[str], communes: list[str]) -> list[str]:
    """The search box's requests under wrk: words without and with marks, tracking codes, incident references and
    commune names, in equal parts (wrk draws one per request)."""
    from urllib.parse import urlencode

    queries = [*WORDS, *MARKED, *codes[:16], *incidents[:16], *communes[:16]]
    return ["/hang-doi/tim/?" + urlencode({"q": q}) for q in queries]


def phone_urls(*, rng: random.Random, n: int = 64) -> list[str]:
    """Phone numbers as a reporter's would be typed (some spaced); the benchmark data holds no contacts, so each
    read of the blind index finds nothing (and writes no audit entry)."""
    from urllib.parse import urlencode

    numbers = [f"09{rng.randrange(10**8):08d}" for _i in range(n)]
    typed = [f"{x[:4]} {x[4:7]} {x[7:]}" if i % 2 else x for i, x in enumerate(numbers)]
    return ["/hang-doi/tim/?" + urlencode({"q": q}) for q in typed]


def main_wrk(args: argparse.Namespace) -> int:
    """The queue's pages through gunicorn under wrk (see the module's docstring)."""
    import urllib.request
    from urllib.parse import urlencode

    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from bench.dataset import cache_tables
    from bench.maps_bench import wrk
    from bench.open311_bench import free_port, settle, start_server, stop_server
    from ioc.accounts.models import User
    from ioc.accounts.testing import sign_in
    from ioc.citizen_reports.models import Report
    from ioc.geo.models import Territory
    from ioc.incidents.models import Incident

    client = Client(HTTP_HOST="127.0.0.1")
    sign_in(client, User.objects.get(username="vanhanh"))
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    rng = random.Random(args.seed)
    territory_communes = Territory.objects.get().communes.order_by("pk")
    communes = list(territory_communes.values_list("pk", flat=True))
    filtered = ["/hang-doi/?" + urlencode({"kind": "citizen_reports", "commune": pk}) for pk in communes]
    codes = list(Report.objects.order_by("-pk").values_list("tracking_code", flat=True)[:16])
    incidents = [i.reference for i in Incident.objects.order_by("-pk")[:16]]
    names = list(territory_communes.values_list("name", flat=True))
    rng.shuffle(names)
    urls = {
        "home": (["/"], False),
        "page2": (["/hang-doi/?page=2"], True),
        "filtered": (filtered, True),
        "search": (search_urls(codes=codes, incidents=incidents, communes=names), False),
        "phone": (phone_urls(rng=rng), False),
    }
    total = Report.objects.count()
    call_command("collectstatic", interactive=False, verbosity=0)
    cache_tables()
    port = free_port()
    settle(args.settle)
    load_before = os.getloadavg()[0]
    server = start_server(args, port, "", ROOT / "var" / "bench-gunicorn-queue.log")
    runs = []
    try:
        for key in (args.only or "home,page2,filtered,search,phone").split(","):
            paths, htmx = urls[key]
            headers = {"Cookie": cookie, **({"HX-Request": "true"} if htmx else {})}
            request = urllib.request.Request(f"http://127.0.0.1:{port}{paths[0]}", headers=headers)
            with urllib.request.urlopen(request, timeout=60) as answer:  # checked once: 200, not a sign-in page
                assert answer.status == 200 and "/dang-nhap/" not in answer.url, (key, answer.status, answer.url)
            lua = WRK_LUA % {
                "urls": ", ".join(f'"{path}"' for path in paths),
                "cookie": cookie,
                "extra": ', ["HX-Request"] = "true"' if htmx else "",
            }
            runs.append(wrk(args, port, lua, WRK_CASES[key], server=server.pid))  # with the server's CPU a request
    finally:
        stop_server(server)
    print(
        f"{total:,} reports; wrk -t{args.threads} -c{args.connections} -d{args.duration}s; "
        f"load before {load_before:.1f}, after {os.getloadavg()[0]:.1f}"
    )
    print("| request | req/s | p50 ms | p90 ms | p95 ms | p99 ms | server CPU ms a request | non-2xx | socket errors |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for run in runs:
        print(
            f"| {run['label']} | {run['rps']:.0f} | {run['p50']:.0f} | {run['p90']:.0f} | {run['p95']:.0f} "
            f"| {run['p99']:.0f} | {run['cpu_ms']:.1f} | {run['non2xx']} | {run['errors']} |"
        )
    return 0


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    from bench.dataset import configure

    configure(args)
    if args.wrk:
        return main_wrk(args)
    from urllib.parse import urlencode

    from django.conf import settings
    from django.test import Client
    from django.test.utils import override_settings

    from ioc.accounts.models import User
    from ioc.accounts.testing import sign_in
    from ioc.citizen_reports.models import Report
    from ioc.geo.models import Territory

    # Static files are not collected for an in-process run: plain storage, no manifest.
    plain = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    override_settings(STORAGES=plain).enable()
    rng = random.Random(args.seed)
    client = Client(HTTP_HOST="127.0.0.1")
    sign_in(client, User.objects.get(username="vanhanh"))
    territory = Territory.objects.get()
    communes = list(territory.communes.values_list("pk", flat=True))
    codes = list(Report.objects.order_by("-pk").values_list("tracking_code", flat=True)[:500])
    total = Report.objects.count()

    def get(url: str) -> int:
        return client.get(url).status_code

    def htmx(url: str) -> int:
        return client.get(url, HTTP_HX_REQUEST="true").status_code

    def filtered() -> str:
        return "/hang-doi/?" + urlencode({"kind": "citizen_reports", "commune": rng.choice(communes)})

    def text() -> str:
        return "/hang-doi/tim/?" + urlencode({"q": rng.choice(WORDS + tuple(codes[:8]))})

    def phone() -> str:
        return "/hang-doi/tim/?" + urlencode({"q": f"09{rng.randrange(10**8):08d}"})

    print(f"reports: {total:,}; load before: {os.getloadavg()[0]:.2f}")
    plan: dict[str, tuple[str, Callable[[], str], Callable[[str], int]]] = {
        "home": ("home (operator)", lambda: "/", get),
        "page2": ("queue page 2 (htmx)", lambda: "/hang-doi/?page=2", htmx),
        "filtered": ("queue, kind + commune (htmx)", filtered, htmx),
        "text": ("search, text or code", text, get),
        "phone": ("search, phone (blind index)", phone, get),
    }
    chosen = [plan[key] for key in (args.only or ",".join(plan)).split(",") if key]
    cases = [timed(label, make, fetch, args.requests) for label, make, fetch in chosen]
    for case in cases:
        print(
            f"| {case['label']} | {case['median']:.0f} | {case['p95']:.0f} | {case['max']:.0f} "
            f"| {case['sql_median']:.0f} | {case['sql_p95']:.0f} |"
        )
    print(f"load after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
