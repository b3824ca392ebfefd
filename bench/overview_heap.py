"""The overview kept open with fast polling: JS heap at the start and the end (issue 20 "Speed": no growth beyond
20 % over 30 minutes with polling ten times faster).

    .venv/bin/python bench/overview_heap.py --db sqlite --out var/bench-overview.sqlite3 --minutes 30

gunicorn serves the benchmark database (bench/settings_overview.py, overview cache as shipped); Debian's chromium
(Playwright, never `playwright install`) opens `/man-hinh/` as the demo operator at 1920×1080 with the page's poll
interval divided by ten (the HTML's `data-poll-seconds` rewritten on the way in: 2 s → 0.2 s), while the script
posts a citizen report through Open311 every `--every` seconds, so the panels are swapped again and again. Every
minute it forces a garbage collection and reads `Runtime.getHeapUsage` over CDP; it prints the series and the
growth from the first sample (after a one-minute warm-up) to the last, and how many swaps happened.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--out", default=str(ROOT / "var" / "bench-overview.sqlite3"))
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--every", type=float, default=5.0, help="seconds between posted reports")
    parser.add_argument("--speed-up", type=float, default=10.0, help="poll interval divided by this")
    parser.add_argument("--user", default="vanhanh")
    args = parser.parse_args(argv)
    args.fresh = False
    return args


def poster(url: str, dep: dict[str, Any], every: float, stop: threading.Event, counts: dict[str, int]) -> None:
    rng = random.Random(3)
    while not stop.wait(every):
        lat, lon = rng.choice(dep["points"])
        body = urllib.parse.urlencode({
            "api_key": dep["token"], "service_code": rng.choice(dep["codes"]), "lat": f"{lat:.6f}",
            "long": f"{lon:.6f}", "description": "Đèn đường hỏng trước cổng trường (heap bench)",
        }).encode()  # fmt: skip
        try:
            with urllib.request.urlopen(f"{url}/open311/v2/requests.json", data=body, timeout=30) as answer:
                counts["posted" if answer.status in (200, 201) else "refused"] += 1
        except OSError:
            counts["refused"] += 1


def heap(cdp: Any) -> int:
    cdp.send("HeapProfiler.collectGarbage")
    return int(cdp.send("Runtime.getHeapUsage")["usedSize"])


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    from bench.dataset import configure

    configure(args)
    from playwright.sync_api import sync_playwright

    from bench.open311_bench import deployment, free_port, stop_server
    from bench.overview_bench import session_cookie, start
    from ioc.accounts.models import User
    from ioc.common.testing import CHROMIUM_ARGS

    dep = deployment()
    name, value = session_cookie(User.objects.get(username=args.user)).split("=", 1)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = start(args, port, 2, Path(tempfile.gettempdir()) / f"overview-heap-{port}.log")
    stop, counts = threading.Event(), {"posted": 0, "refused": 0}
    samples: list[tuple[float, int]] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1920, "height": 1080})
            context.add_cookies([{"name": name, "value": value, "url": url}])
            page = context.new_page()
            fast = f'data-poll-seconds="{2 / args.speed_up:g}"'

            def faster(route: Any) -> None:
                response = route.fetch()
                route.fulfill(response=response, body=response.text().replace('data-poll-seconds="2"', fast))

            page.route("**/man-hinh/", faster)
            swaps = {"n": 0}
            page.on("response", lambda r: swaps.__setitem__("n", swaps["n"] + ("/man-hinh/bang/" in r.url)))
            page.goto(url + "/man-hinh/")
            assert page.get_attribute("body", "data-poll-seconds") == f"{2 / args.speed_up:g}"
            cdp = context.new_cdp_session(page)
            thread = threading.Thread(target=poster, args=(url, dep, args.every, stop, counts), daemon=True)
            thread.start()
            page.wait_for_timeout(60_000)  # warm-up: caches, first swaps
            started = time.monotonic()
            end = started + args.minutes * 60
            while True:
                samples.append((time.monotonic() - started, heap(cdp)))
                print(f"{samples[-1][0] / 60:5.1f} min: {samples[-1][1] / 1e6:.2f} MB, swaps {swaps['n']}, {counts}")
                if time.monotonic() >= end:
                    break
                page.wait_for_timeout(min(60_000, max(1, int((end - time.monotonic()) * 1000))))
            stop.set()
            browser.close()
    finally:
        stop.set()
        stop_server(server)
    first, last = samples[0][1], samples[-1][1]
    growth = (last - first) / first
    text = (
        f"overview heap: {samples[-1][0] / 60:.1f} min after a 1-min warm-up, poll {2 / args.speed_up:g} s, "
        f"a report every {args.every:g} s ({counts['posted']} posted, {counts['refused']} refused), "
        f"{swaps['n']} panel swaps; heap {first / 1e6:.2f} MB → {last / 1e6:.2f} MB ({growth:+.1%}); "
        f"min {min(s for _t, s in samples) / 1e6:.2f} MB, max {max(s for _t, s in samples) / 1e6:.2f} MB\n"
    )
    (ROOT / "var" / f"bench-overview-heap-{args.db}.txt").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
