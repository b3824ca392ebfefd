"""The digital map under load (issue 20 "Speed"): the selection by radius and by polygon
(POST /api/v1/maps/selection/) and the citizen-reports layer (GET /api/v1/maps/layers/citizen_reports/) at three
zooms, on the benchmark database, p95 target ≤ 200 ms.

    .venv/bin/python bench/dataset.py --db sqlite --out var/bench.sqlite3 --fresh --reports 1000000
    .venv/bin/python bench/maps_bench.py --db sqlite --out var/bench.sqlite3

It starts gunicorn with the benchmark settings (bench/settings_bench.py, as bench/open311_bench.py does), signs
the demo operator `vanhanh` in (a session cookie and a CSRF token: the API is not public), checks each request
once, then drives each with `wrk` over loopback:

- radius: a random point of the territory's communes, radius 300–3,000 m;
- polygon: a random quadrilateral of 1–3 km around such a point;
- layer z15 / z13 / z10: the view around such a point at zoom 15 (a few streets), 13 (a commune), 10 (the
  territory: more than 2,000 points in view, so clustered by the server).

Results: printed as Markdown and written to var/bench-results-maps-<db>.md (copy them into docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.open311_bench import WARM_UP_SECONDS, free_port, settle, start_server, stop_server  # noqa: E402

SELECTION = "/api/v1/maps/selection/"
LAYER = "/api/v1/maps/layers/citizen_reports/"
# (zoom, half width of the view in degrees of longitude, half height in latitude) of a 1440×900 screen
VIEWS = {15: (0.0155, 0.009), 13: (0.062, 0.036), 10: (0.5, 0.29)}

COMMON_LUA = """
math.randomseed(%(seed)d)
local points = {%(points)s}
local headers = {["Cookie"] = "%(cookie)s", ["X-CSRFToken"] = "%(csrf)s",
  ["Content-Type"] = "application/json"%(extra)s}
done = function(summary, latency, requests)
  io.write(string.format("LAT p50=%%d p90=%%d p95=%%d p99=%%d requests=%%d non2xx=%%d errors=%%d\\n",
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99),
    summary.requests, summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.timeout))
end
"""
RADIUS_LUA = (
    COMMON_LUA
    + """
request = function()
  local p = points[math.random(#points)]
  local body = string.format('{"point": [%%.6f, %%.6f], "radius_m": %%d}', p[1], p[2], math.random(300, 3000))
  return wrk.format("POST", "%(path)s", headers, body)
end
"""
)
POLYGON_LUA = (
    COMMON_LUA
    + """
request = function()
  local p = points[math.random(#points)]
  local function r() return (0.005 + math.random() * 0.01) end
  local a, b, c, d = r(), r(), r(), r()
  local body = string.format('{"geometry": {"type": "Polygon", "coordinates": [[[%%.6f, %%.6f], [%%.6f, %%.6f], '
    .. '[%%.6f, %%.6f], [%%.6f, %%.6f], [%%.6f, %%.6f]]]}}',
    p[2] - a, p[1], p[2], p[1] - b, p[2] + c, p[1], p[2], p[1] + d, p[2] - a, p[1])
  return wrk.format("POST", "%(path)s", headers, body)
end
"""
)
LAYER_LUA = (
    COMMON_LUA
    + """
request = function()
  local p = points[math.random(#points)]
  local bbox = string.format("%%.5f,%%.5f,%%.5f,%%.5f", p[2] - %(dx)f, p[1] - %(dy)f, p[2] + %(dx)f, p[1] + %(dy)f)
  return wrk.format("GET", "%(path)s?zoom=%(zoom)d&bbox=" .. bbox, headers)
end
"""
)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--out", default=str(ROOT / "var" / "bench.sqlite3"))
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--duration", type=int, default=20, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=0, help="WEB_CONCURRENCY (default: config/gunicorn.py's)")
    parser.add_argument("--only", default="radius,polygon,z15,z13,z10")
    parser.add_argument("--settle", type=float, default=180.0, help="seconds to wait at most for an idle CPU")
    parser.add_argument(
        "--background",
        action="store_true",
        help="send X-IOC-Background: 1 (no session write per request, as the wall screen's polling)",
    )
    return parser.parse_args(argv)


def deployment() -> dict[str, Any]:
    """Points inside the territory's communes, the operator's session cookie and a CSRF token."""
    from django.conf import settings
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import Client

    from bench import builders
    from ioc.accounts.models import User
    from ioc.accounts.testing import sign_in
    from ioc.citizen_reports.models import Report
    from ioc.geo.selectors import territory_get

    territory = territory_get(profile=builders.BENCH_PROFILE)
    assert territory is not None, "build the dataset first (bench/dataset.py --reports N)"
    pools = builders._point_pools(list(territory.communes.all()), random.Random(7), per_unit=4)
    points = [p for pool in pools.values() for p in pool]
    client = Client(HTTP_HOST="127.0.0.1")
    sign_in(client, User.objects.get(username="vanhanh"))
    csrf = _get_new_csrf_string()
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    cookie = f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={csrf}"
    return {"points": points, "cookie": cookie, "csrf": csrf, "reports": Report.objects.count()}


def script(kind: str, dep: dict[str, Any]) -> str:
    values: dict[str, Any] = {
        "seed": 17,
        "points": ", ".join(f"{{{lat:.6f}, {lon:.6f}}}" for lat, lon in dep["points"]),
        "cookie": dep["cookie"],
        "csrf": dep["csrf"],
        "extra": ', ["X-IOC-Background"] = "1"' if dep.get("background") else "",
    }
    if kind == "radius":
        return RADIUS_LUA % {**values, "path": SELECTION}
    if kind == "polygon":
        return POLYGON_LUA % {**values, "path": SELECTION}
    zoom = int(kind[1:])
    dx, dy = VIEWS[zoom]
    return LAYER_LUA % {**values, "path": LAYER, "zoom": zoom, "dx": dx, "dy": dy}


def check(port: int, dep: dict[str, Any]) -> dict[str, Any]:
    """Each request answers 200 once before any load; what the z10 view holds (clustered or not)."""
    base = f"http://127.0.0.1:{port}"
    headers = {"Cookie": dep["cookie"], "X-CSRFToken": dep["csrf"], "Content-Type": "application/json"}
    lat, lon = dep["points"][0]
    body = json.dumps({"point": [lat, lon], "radius_m": 2000}).encode()
    request = urllib.request.Request(base + SELECTION, data=body, headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=60) as answer:
        selected = json.loads(answer.read())
    dx, dy = VIEWS[10]
    view = f"{lon - dx},{lat - dy},{lon + dx},{lat + dy}"
    request = urllib.request.Request(f"{base}{LAYER}?zoom=10&bbox={view}", headers=headers)
    with urllib.request.urlopen(request, timeout=60) as answer:
        layer = json.loads(answer.read())
    sample = {
        "radius_2km_reports": selected["groups"]["citizen_reports"]["total"],
        "z10_clustered": layer["clustered"],
        "z10_points": layer["total"],
        "z10_features": len(layer["features"]),
    }
    print(sample)
    return sample


def wrk(
    args: argparse.Namespace,
    port: int,
    lua: str,
    label: str,
    server: int = 0,
) -> dict[str, Any]:
    """One wrk run after a short unrecorded one; requests/s and the latency percentiles (µs → ms) from `done`; with
    `server` (gunicorn's master pid) the server's CPU per request of the recorded run (user + system of the master
    and its workers, from /proc: a figure that the other work of a loaded machine moves far less than latency)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(lua)
    base = ["wrk", f"-t{args.threads}", f"-c{args.connections}", "--timeout", "10s", "-s", handle.name]
    base.append(f"http://127.0.0.1:{port}")
    subprocess.run([*base[:3], f"-d{WARM_UP_SECONDS}s", *base[3:]], capture_output=True, check=True)
    cpu_before = server_cpu(server) if server else 0.0
    output = subprocess.run([*base[:3], f"-d{args.duration}s", *base[3:]], capture_output=True, text=True, check=True)
    cpu_spent = server_cpu(server) - cpu_before if server else 0.0
    os.unlink(handle.name)
    figures = dict(re.findall(r"(\w+)=(\d+)", output.stdout.split("LAT", 1)[1]))
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output.stdout)
    result: dict[str, Any] = {"label": label, "rps": float(rps.group(1)) if rps else 0.0}
    result.update({key: int(figures[key]) / 1000 for key in ("p50", "p90", "p95", "p99")})
    result.update({key: int(figures[key]) for key in ("requests", "non2xx", "errors")})
    result["cpu_ms"] = 1000 * cpu_spent / max(1, result["requests"])
    print(result)
    return result


def markdown(args: argparse.Namespace, dep: dict[str, Any], sample: dict[str, Any], runs: list[Any]) -> str:
    lines = [
        f"{dep['reports']:,} reports; wrk -t{args.threads} -c{args.connections} -d{args.duration}s over loopback; "
        f"gunicorn config/gunicorn.py; X-IOC-Background: {int(args.background)}; "
        f"load average before: {os.getloadavg()[0]:.1f}",
        f"A 2 km radius held {sample['radius_2km_reports']:,} reports; the territory view at zoom 10 held "
        f"{sample['z10_points']:,} points (clustered: {sample['z10_clustered']}, {sample['z10_features']} features).",
        "",
        "| request | req/s | p50 ms | p90 ms | p95 ms | p99 ms | server CPU ms / request | non-2xx | socket errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run in runs:
        lines.append(
            f"| {run['label']} | {run['rps']:.0f} | {run['p50']:.0f} | {run['p90']:.0f} | {run['p95']:.0f} | "
            f"{run['p99']:.0f} | {run['cpu_ms']:.1f} | {run['non2xx']} | {run['errors']} |"
        )
    return "\n".join(lines) + "\n"


LABELS = {
    "radius": "selection, radius 0.3–3 km",
    "polygon": "selection, polygon 1–3 km",
    "z15": "layer, zoom 15",
    "z13": "layer, zoom 13",
    "z10": "layer, zoom 10 (territory)",
}


def server_cpu(pid: int) -> float:
    """CPU seconds (user + system) of gunicorn's master `pid` and its workers so far, from /proc (Linux)."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry) == pid or int(fields[1]) == pid:  # fields[1]: the parent's pid
            total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    from bench.dataset import cache_tables, configure

    configure(argparse.Namespace(db=args.db, database_url=args.database_url, out=args.out, fresh=False))
    dep = deployment()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    cache_tables()
    port = free_port()
    log = ROOT / "var" / f"bench-gunicorn-maps-{args.db}.log"
    dep["background"] = args.background
    settle(args.settle)
    server = start_server(args, port, "", log)
    runs = []
    try:
        sample = check(port, dep)
        for kind in filter(None, args.only.split(",")):
            runs.append(wrk(args, port, script(kind, dep), LABELS[kind], server.pid))
    finally:
        stop_server(server)
    text = markdown(args, dep, sample, runs)
    out = ROOT / "var" / f"bench-results-maps-{args.db}.md"
    out.write_text(text, encoding="utf-8")
    print(text)
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
