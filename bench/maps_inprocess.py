"""The digital map's requests in-process, one at a time (issue 20 "Speed"): wall time, and the time SQLite itself spent
(statement steps, fetches and commits, from cProfile: on SQLite rows are produced while they are fetched, so Django's
own query timer sees only the first step). On a machine shared with other work the SQL figures move less than the
wall time; they show what an index or a memo changes.

    .venv/bin/python bench/maps_inprocess.py --out var/bench.sqlite3 --requests 30

Same requests as bench/maps_bench.py (radius 300–3,000 m, polygon of 1–3 km, the layer at zoom 15, 13, 10 around a
random point of the territory), through Django's test client with the production settings and middleware, signed
in as the demo operator `vanhanh`. Needs a database built by bench/dataset.py (and migrated).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.maps_bench import LABELS, SELECTION, VIEWS  # noqa: E402

LAYER = "/api/v1/maps/layers/citizen_reports/"
SQL_FUNCTIONS = ("fetchmany", "fetchall", "fetchone", "SQLiteCursorWrapper.execute", "commit", "executemany")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=str(ROOT / "var" / "bench.sqlite3"))
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--only", default="radius,polygon,z15,z13,z10")
    parser.add_argument("--seed", type=int, default=11)
    return parser.parse_args(argv)


def sql_seconds(profile: cProfile.Profile) -> float:
    stats: Any = pstats.Stats(profile).stats
    return sum(row[2] for (_file, _line, name), row in stats.items() if any(part in name for part in SQL_FUNCTIONS))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def requests(client: Any) -> dict[str, Callable[[tuple[float, float], random.Random], Any]]:
    def layer(zoom: int) -> Callable[[tuple[float, float], random.Random], Any]:
        def get(point: tuple[float, float], _rng: random.Random) -> Any:
            dx, dy = VIEWS[zoom]
            lat, lon = point
            view = f"{lon - dx:.5f},{lat - dy:.5f},{lon + dx:.5f},{lat + dy:.5f}"
            return client.get(f"{LAYER}?zoom={zoom}&bbox={view}")

        return get

    def radius(point: tuple[float, float], rng: random.Random) -> Any:
        body = {"point": list(point), "radius_m": rng.randint(300, 3000)}
        return client.post(SELECTION, data=json.dumps(body), content_type="application/json")

    def polygon(point: tuple[float, float], rng: random.Random) -> Any:
        lat, lon = point
        a, b, c, d = (0.005 + rng.random() * 0.01 for _i in range(4))
        ring = [[lon - a, lat], [lon, lat - b], [lon + c, lat], [lon, lat + d], [lon - a, lat]]
        body = {"geometry": {"type": "Polygon", "coordinates": [ring]}}
        return client.post(SELECTION, data=json.dumps(body), content_type="application/json")

    return {"radius": radius, "polygon": polygon, "z15": layer(15), "z13": layer(13), "z10": layer(10)}


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    from bench.dataset import configure

    configure(argparse.Namespace(db="sqlite", database_url="", out=args.out, fresh=False))
    from django.conf import settings
    from django.test import Client
    from django.test.utils import override_settings

    from bench.maps_bench import deployment
    from ioc.accounts.models import User
    from ioc.accounts.testing import sign_in

    plain = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    override_settings(STORAGES=plain).enable()
    points = deployment()["points"]
    client = Client(HTTP_HOST="127.0.0.1")
    sign_in(client, User.objects.get(username="vanhanh"))
    cases = requests(client)
    print(f"load average before: {os.getloadavg()[0]:.1f}; MAPS_CACHE_SECONDS={settings.MAPS_CACHE_SECONDS}")
    print("| request | wall median ms | wall p95 ms | SQLite median ms | SQLite p95 ms |")
    print("|---|---:|---:|---:|---:|")
    for kind in filter(None, args.only.split(",")):
        fetch = cases[kind]
        fetch(points[0], random.Random(0))  # warm-up, unrecorded
        rng = random.Random(args.seed)
        walls, sqls = [], []
        for _i in range(args.requests):
            point, seed = rng.choice(points), rng.random()
            profile = cProfile.Profile()
            started = time.perf_counter()
            profile.enable()
            response = fetch(point, random.Random(seed))
            profile.disable()
            walls.append((time.perf_counter() - started) * 1000)
            sqls.append(sql_seconds(profile) * 1000)
            assert response.status_code == 200, (kind, response.status_code)
        print(
            f"| {LABELS[kind]} | {statistics.median(walls):.0f} | {percentile(walls, 0.95):.0f} "
            f"| {statistics.median(sqls):.0f} | {percentile(sqls, 0.95):.0f} |"
        )
    print(f"load average after: {os.getloadavg()[0]:.1f} (wall times include cProfile's overhead)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
