"""SensorThings reads under load (issue 11 "Speed": `GET Datastreams(id)/Observations` with a time filter,
≤ 100 ms p95 under wrk), on the benchmark database built with `--observations`:

    .venv/bin/python bench/dataset.py --db sqlite --out var/bench-sta-get.sqlite3 --fresh --observations 10000000
    .venv/bin/python bench/sta_get_bench.py --out var/bench-sta-get.sqlite3

gunicorn with the production settings (`open311_bench.start_server`), anonymous requests (the benchmark's
Things are public) over loopback with `wrk`, each for `--duration` s after a short warm-up:

- `observations`: `Datastreams(<random>)/Observations?$top=100&$orderby=phenomenonTime desc&$filter=phenomenonTime
  ge <t> and phenomenonTime lt <t + 2 days>` (a random window of the stream's history);
- `expand-one`: `Datastreams(<random>)?$expand=Observations(<the same options>)`;
- `expand-latest`: `Datastreams?$top=100&$select=name&$expand=Observations($top=1;$orderby=phenomenonTime desc)`
  (each of 100 streams' newest reading).

Beside each wrk run, the gunicorn workers' CPU (utime + stime from /proc) per request: what a code change moves
on a shared machine, where the wall-clock percentiles move with the other sessions' load.

`cpu` (sta4 branch): each kind named in `--only` in-process (Django test client, sequential, `--requests` each
after 20 unrecorded), with the median wall time and the CPU per request of this process and of its PostgreSQL
backend: the figure to alternate between two source trees (two runs on a kept cluster).

`inprocess`: `expand-latest` with the per-parent UNION ALL against the window function it replaced
(`render.per_parent` disabled), to show the fix at this size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.maps_bench import wrk  # noqa: E402
from bench.open311_bench import WARM_UP_SECONDS, free_port, start_server, stop_server  # noqa: E402

SAMPLES_LUA = """
math.randomseed(%(seed)d)
local paths = {%(paths)s}
done = function(summary, latency, requests)
  io.write(string.format("LAT p50=%%d p90=%%d p95=%%d p99=%%d requests=%%d non2xx=%%d errors=%%d\\n",
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99),
    summary.requests, summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.timeout))
end
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
"""
LATEST = "/sta/v1.1/Datastreams?$top=100&$select=name&$expand=Observations($top=1;$orderby=phenomenonTime desc)"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--out", default=str(ROOT / "var" / "bench-sta-get.sqlite3"))
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--duration", type=int, default=20, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=0, help="WEB_CONCURRENCY (default: config/gunicorn.py's)")
    parser.add_argument("--only", default="observations,expand-one,expand-latest,inprocess")
    parser.add_argument("--requests", type=int, default=200, help="requests per kind for --only cpu")
    args = parser.parse_args(argv)
    args.fresh = False
    return args


def quoted(path: str) -> str:
    base, _, query = path.partition("?")
    return base + "?" + urllib.parse.quote(query, safe="=&$(),/';") if query else base


def samples(count: int = 400) -> dict[str, list[str]]:
    """Random (Datastream, two-day window) request paths of each kind, within each stream's history."""
    from django.db.models import Max, Min

    from ioc.sensors.models import Datastream, Observation

    rng = random.Random(11)
    spans = []
    for pk in Datastream.objects.values_list("pk", flat=True):  # each an index look-up at both ends
        ends = Observation.objects.filter(datastream_id=pk).aggregate(
            first=Min("phenomenon_time"), last=Max("phenomenon_time")
        )
        if ends["first"] is not None:
            spans.append((pk, ends["first"], ends["last"]))
    assert spans, "build the dataset first (bench/dataset.py --observations N)"
    kinds: dict[str, list[str]] = {"observations": [], "expand-one": []}
    for _ in range(count):
        pk, first, last = rng.choice(spans)
        seconds = max(0.0, (last - first).total_seconds() - 2 * 86400)
        start = first + dt.timedelta(seconds=rng.uniform(0, seconds))
        window = (
            f"$filter=phenomenonTime ge {start:%Y-%m-%dT%H:%M:%SZ} and "
            f"phenomenonTime lt {start + dt.timedelta(days=2):%Y-%m-%dT%H:%M:%SZ}"
        )
        options = f"$top=100&$orderby=phenomenonTime desc&{window}"
        kinds["observations"].append(quoted(f"/sta/v1.1/Datastreams({pk})/Observations?{options}"))
        inner = options.replace("&", ";")
        kinds["expand-one"].append(quoted(f"/sta/v1.1/Datastreams({pk})?$expand=Observations({inner})"))
    kinds["expand-latest"] = [quoted(LATEST)]
    kinds["_size"] = [str(Observation.objects.count()), str(len(spans))]
    return kinds


def tree_cpu(pid: int) -> float:
    """Seconds of CPU used so far by a process and its live children (gunicorn's master and workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    for each in [pid, *map(int, children)]:
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def backend_cpu() -> Any:
    """A reader of the CPU seconds this connection's PostgreSQL backend has used (None on SQLite)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return lambda: 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    tick = os.sysconf("SC_CLK_TCK")

    def read() -> float:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / tick

    return read


def cpu_per_request(kinds: dict[str, list[str]], requests: int, labels: set[str]) -> list[dict[str, Any]]:
    """Each kind sequentially through the Django test client: median wall ms, and CPU ms per request of this
    process and of its PostgreSQL backend."""
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    figures = []
    for label in ("observations", "expand-one", "expand-latest"):
        if label not in labels:
            continue
        paths = kinds[label]
        for n in range(20):
            assert client.get(paths[n % len(paths)]).status_code == 200
        server = backend_cpu()
        walls = []
        cpu, server_before = time.process_time(), server()
        for n in range(requests):
            started = time.perf_counter()
            response = client.get(paths[n % len(paths)])
            walls.append(time.perf_counter() - started)
            assert response.status_code == 200, response.content[:300]
        cpu, server_used = time.process_time() - cpu, server() - server_before
        figures.append(
            {
                "label": label,
                "median": 1000 * statistics.median(walls),
                "p95": 1000 * sorted(walls)[int(0.95 * len(walls)) - 1],
                "cpu": 1000 * cpu / requests,
                "server": 1000 * server_used / requests,
            }
        )
    return figures


def check(port: int, paths: list[str]) -> int:
    """The first path answers 200 with observations (anonymous: the Things are public); their number."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{paths[0]}", timeout=60) as answer:
        body = answer.read()
    assert answer.status == 200, body[:300]
    return int(body.count(b'"result"'))


def inprocess(repeat: int = 10) -> dict[str, float]:
    """`expand-latest` sequentially through the Django test client: per-parent arms against the window."""
    from django.test import Client

    from ioc.sensors.sta import render

    client = Client(HTTP_HOST="127.0.0.1")
    figures: dict[str, float] = {}
    original = render.per_parent
    for label, replacement in (("union", original), ("window", lambda *_a: None)):
        render.per_parent = replacement  # type: ignore[assignment]
        timings = []
        for _ in range(repeat):
            started = time.perf_counter()
            response = client.get(quoted(LATEST))
            timings.append(time.perf_counter() - started)
            assert response.status_code == 200, response.content[:300]
        figures[label] = 1000 * statistics.median(timings)
    render.per_parent = original  # type: ignore[assignment]
    return figures


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    from bench.dataset import configure

    configure(args)
    kinds = samples()
    rows, streams = kinds.pop("_size")
    only = set(args.only.split(","))
    load_before = os.getloadavg()
    runs: list[dict[str, Any]] = []
    port = free_port()
    if "cpu" in only:
        print(f"cpu: {args.requests} requests of each kind in-process; load average {os.getloadavg()[0]:.1f}")
        print("| request | median ms | p95 ms | CPU ms/request (this process) | backend CPU ms/request |")
        print("|---|---:|---:|---:|---:|")
        for row in cpu_per_request(kinds, args.requests, only):
            print(
                f"| {row['label']} | {row['median']:.1f} | {row['p95']:.1f} | {row['cpu']:.2f} | {row['server']:.2f} |"
            )
        print(f"load average after {os.getloadavg()[0]:.1f}")
        only -= {"cpu"}
        if not only:
            return 0
    with tempfile.TemporaryDirectory() as temp:
        server = start_server(args, port, "", Path(temp) / "gunicorn.log")
        try:
            for label in ("observations", "expand-one", "expand-latest"):
                if label not in only:
                    continue
                print(f"{label}: first answer holds {check(port, kinds[label])} results")
                paths = ", ".join(f'"{p}"' for p in kinds[label])
                used = tree_cpu(server.pid)
                run = wrk(args, port, SAMPLES_LUA % {"seed": 3, "paths": paths}, label)
                # The warm-up's requests are in the CPU too: counted by their share of the measured rate.
                served = run["requests"] * (1 + WARM_UP_SECONDS / args.duration)
                run["worker_cpu"] = 1000 * (tree_cpu(server.pid) - used) / max(1.0, served)
                runs.append(run)
        finally:
            stop_server(server)
    compared = inprocess() if "inprocess" in only else {}
    print(
        f"\n{int(rows):,} observations in {streams} Datastreams; wrk -t{args.threads} -c{args.connections} "
        f"-d{args.duration}s; load average before {load_before[0]:.1f}, after {os.getloadavg()[0]:.1f}\n"
    )
    print(
        "| request | req/s | p50 ms | p90 ms | p95 ms | p99 ms | non-2xx | errors | workers' CPU ms/request |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    )
    for run in runs:
        print(
            f"| {run['label']} | {run['rps']:.0f} | {run['p50']:.1f} | {run['p90']:.1f} | {run['p95']:.1f} | "
            f"{run['p99']:.1f} | {run['non2xx']} | {run['errors']} | {run['worker_cpu']:.2f} |"
        )
    if compared:
        print(
            f"\nexpand-latest in-process, median of 10: union {compared['union']:.1f} ms, "
            f"window {compared['window']:.1f} ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
