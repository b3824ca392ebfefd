"""The overview's JS heap over a long watch (issue 20 "Speed": kept open 30 minutes with polling ten times faster,
no JS heap growth beyond 20 %, CDP `Runtime.getHeapUsage`, start and end recorded).

    .venv/bin/python bench/overview_heap.py --out var/bench-speed.sqlite3 --minutes 30 [--arrivals 20]

Starts gunicorn on the database (production settings, static files from the apps: bench/overview_browser_settings.py),
signs `--user` in (default: the demo's first wall-screen account `man-hinh-…`, else the operator `vanhanh`), and
opens `/man-hinh/?poll=0.2` (the version polled every 0.2 s instead of 2 s) at 1920×1080 in Debian's chromium
through Playwright. After the first draw and a forced garbage collection it records the heap in use (start), then
once a minute, and after `--minutes` another forced collection (end). Passes when end ≤ start × 1.2; the polls seen
and any page error are reported too. Writes var/overview-heap.md.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GROWTH_MAX = 0.20
POLL_SECONDS = 0.2


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--out", default=str(ROOT / "var" / "bench-overview.sqlite3"), help="the SQLite database")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--arrivals", type=float, default=0.0, help="a new report every N seconds (0: none)")
    parser.add_argument("--user", default="")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args(argv)
    args.fresh = False
    return args


def screen_user(username: str) -> Any:
    """`username`, else the first wall-screen account of the demo, else the demo operator."""
    from ioc.accounts.models import User

    if username:
        return User.objects.get(username=username)
    screen = User.objects.filter(username__startswith="man-hinh-", is_active=True).order_by("pk").first()
    return screen or User.objects.get(username="vanhanh")


def session_cookie(user: Any) -> tuple[str, str]:
    from django.conf import settings
    from django.test import Client

    from ioc.accounts.testing import sign_in

    client = Client(HTTP_HOST="127.0.0.1")
    sign_in(client, user)
    return settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value


def start_server(port: int, log: Path) -> subprocess.Popen[bytes]:
    """gunicorn as `bench/overview_bench.py` starts it, with the browser checks' settings."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.overview_browser_settings", "PORT": str(port), "DEBUG": "0"}
    command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi:application", "-c", "config/gunicorn.py"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:
                if answer.status == 200:
                    return process
        except OSError:
            time.sleep(0.5)
    process.terminate()
    raise RuntimeError(f"gunicorn did not answer in 90 s; see {log}")


def heap_used(cdp: Any, *, collect: bool) -> int:
    if collect:
        cdp.send("HeapProfiler.collectGarbage")
    return int(cdp.send("Runtime.getHeapUsage")["usedSize"])


def arrival_maker() -> Callable[[], None]:
    """A function that records one new citizen report through the service, at one of the newest reports' places
    (inside the territory, so it is drawn), in an active category."""
    from ioc.citizen_reports import services
    from ioc.citizen_reports.models import Category, Report

    category = Category.objects.filter(is_active=True).order_by("pk").first()
    places = list(
        Report.objects.filter(lat__isnull=False, unit__isnull=False).order_by("-pk").values_list("lat", "lon")[:200]
    )
    if category is None or not places:
        raise RuntimeError("--arrivals needs an active category and reports with a place in the database")
    draw = random.Random(20)

    def arrive() -> None:
        lat, lon = draw.choice(places)
        services.report_receive(
            channel="web", category=category, description="Phản ánh mới (đo bộ nhớ màn hình)", lat=lat, lon=lon
        )

    return arrive


def watch(args: argparse.Namespace, base: str, cookie: tuple[str, str]) -> dict[str, Any]:
    """Open the overview, sample the heap (and make a report arrive every `--arrivals` seconds), return the
    figures."""
    from playwright.sync_api import sync_playwright

    from ioc.common.testing import CHROMIUM_ARGS

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the ORM beside Playwright's sync API, as in tests
    arrive = arrival_maker() if args.arrivals > 0 else None
    polls, errors = [0], []
    seen = {"swaps": 0, "layers": 0, "arrivals": 0}

    def asked(url: str) -> None:
        polls[0] += "/man-hinh/phien-ban/" in url
        seen["swaps"] += "/man-hinh/bang/" in url
        seen["layers"] += "/api/v1/maps/layers/" in url

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1920, "height": 1080})
            context.add_cookies([{"name": cookie[0], "value": cookie[1], "url": base}])
            page = context.new_page()
            page.on("request", lambda r: asked(r.url))
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            answer = page.goto(f"{base}/man-hinh/?poll={POLL_SECONDS:g}", wait_until="load")
            if answer is None or answer.status != 200:
                raise RuntimeError(f"/man-hinh/ answered {answer.status if answer else None}")
            page.wait_for_function(
                "() => [...document.querySelectorAll('.leaflet-container')].some(e => e.iocBoundaries)", timeout=60_000
            )
            page.wait_for_timeout(5_000)
            if arrive is not None:  # warm: the swap's and the reload's code is compiled once, before the start
                arrive()
                page.wait_for_timeout(max(5_000, args.arrivals * 1000))
            cdp = context.new_cdp_session(page)
            cdp.send("HeapProfiler.enable")
            start, started = heap_used(cdp, collect=True), time.monotonic()
            polls_at_start, seen_at_start = polls[0], dict(seen)
            samples = [start]
            print(f"start: {start / 1e6:.2f} MB used", flush=True)
            finish = started + args.minutes * 60
            next_sample = started + 60
            next_arrival = started + args.arrivals if arrive is not None else float("inf")
            while time.monotonic() < finish:
                wake = min(next_sample, next_arrival, finish)
                page.wait_for_timeout(max(0.0, wake - time.monotonic()) * 1000)
                now = time.monotonic()
                if arrive is not None and now >= next_arrival:
                    arrive()
                    seen["arrivals"] += 1
                    next_arrival += args.arrivals
                if now >= next_sample or now >= finish:  # with arrivals, after a collection: the trend, not GC's timing
                    samples.append(heap_used(cdp, collect=arrive is not None))
                    print(f"{(now - started) / 60:5.1f} min: {samples[-1] / 1e6:.2f} MB", flush=True)
                    next_sample += 60
            end = heap_used(cdp, collect=True)
            minutes = (time.monotonic() - started) / 60
            reloads = page.evaluate("performance.getEntriesByType('navigation').length")
        finally:
            browser.close()
    return {
        "start": start,
        "end": end,
        "peak": max(samples),
        "minutes": minutes,
        "polls": polls[0] - polls_at_start,
        **{key: seen[key] - seen_at_start[key] for key in seen},
        "errors": errors,
        "navigations": reloads,
    }


def markdown(args: argparse.Namespace, result: dict[str, Any], load: tuple[float, float]) -> str:
    growth = (result["end"] - result["start"]) / result["start"]
    verdict = "met" if growth <= GROWTH_MAX else "NOT met"
    return (
        f"Overview JS heap, {result['minutes']:.1f} min, poll every {POLL_SECONDS:g} s ({result['polls']} version "
        f"polls, {result['polls'] / max(result['minutes'] * 60, 1):.1f}/s), database {Path(args.out).name}, "
        f"load average {load[0]:.1f} before, {load[1]:.1f} after\n\n"
        f"| heap used (after GC) | MB |\n|---|---:|\n| start | {result['start'] / 1e6:.2f} |\n"
        f"| end | {result['end'] / 1e6:.2f} |\n"
        f"| highest minute sample ({'after GC' if args.arrivals > 0 else 'no GC'}) | {result['peak'] / 1e6:.2f} |\n\n"
        f"Growth {growth * 100:+.1f} % (target ≤ +{GROWTH_MAX * 100:.0f} %: {verdict}); page errors: "
        f"{len(result['errors'])}; navigations: {result['navigations']} (1 = no reload); reports arrived: "
        f"{result['arrivals']} (every {args.arrivals:g} s), panel swaps asked: {result['swaps']}, layer reloads "
        f"asked: {result['layers']}.\n"
    )


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    from bench.dataset import cache_tables, configure
    from bench.open311_bench import free_port, stop_server

    configure(args)
    cache_tables()
    cookie = session_cookie(screen_user(args.user))
    port = free_port()
    log = Path(tempfile.gettempdir()) / f"overview-heap-{port}.log"
    load_before = os.getloadavg()[0]
    server = start_server(port, log)
    try:
        result = watch(args, f"http://127.0.0.1:{port}", cookie)
    finally:
        stop_server(server)
    text = markdown(args, result, (load_before, os.getloadavg()[0]))
    (ROOT / "var" / "overview-heap.md").write_text(text, encoding="utf-8")
    print(text)
    for error in result["errors"]:
        print("page error:", error)
    return 0 if (result["end"] - result["start"]) / result["start"] <= GROWTH_MAX else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
