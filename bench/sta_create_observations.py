"""`CreateObservations` (the SensorThings dataArray extension, issue 11 "Speed"), in-process: the view itself
(token check, JSON parse, validation, the service's transaction, audit entry, latest state) against a raw batched
insert of the same rows into the same table, in one run on one SQLite file.

    .venv/bin/python bench/sta_create_observations.py --requests 20 --rows 10000

A first figure, not the issue's full benchmark: no HTTP server or load generator (that is `open311_bench.py`'s
gunicorn + wrk harness, to be generalised), no PostgreSQL, no peer package.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=str(ROOT / "var" / "bench-sta.sqlite3"))
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--rows", type=int, default=10_000, help="observations per request")
    args = parser.parse_args(argv)
    args.db, args.fresh, args.database_url = "sqlite", True, ""
    return args


METRE = {"name": "m", "symbol": "m", "definition": "ucum:m"}
PROPERTY = {"name": "o", "definition": "http://example.org/o", "description": "o"}


def bench_thing(
    people: Any, *, stream: str = "d", unit: dict[str, str] = METRE, observed: dict[str, str] = PROPERTY
) -> Any:
    """One Thing at a point with one Datastream, created through the services as the system account; the stream."""
    from ioc.sensors.drafts import parse_draft
    from ioc.sensors.models import Datastream
    from ioc.sensors.selectors import viewer_for
    from ioc.sensors.services import entity_create

    body = {
        "name": "Bench",
        "description": "bench",
        "Locations": [
            {
                "name": "p",
                "description": "p",
                "encodingType": "application/geo+json",
                "location": {"type": "Point", "coordinates": [106.05, 20.65]},
            }
        ],
        "Datastreams": [
            {
                "name": stream,
                "description": "d",
                "unitOfMeasurement": unit,
                "observationType": "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement",
                "Sensor": {"name": "s", "description": "s", "encodingType": "text/html", "metadata": "x"},
                "ObservedProperty": observed,
            }
        ],
    }
    viewer = viewer_for(people.system_user)
    entity_create(
        actor=people.system_user, agency_id=people.agency_a.pk, viewer=viewer, draft=parse_draft("Things", body)
    )
    return Datastream.objects.get()


def world() -> tuple[str, int, int]:
    """A token with sta.write, and one Datastream with its FeatureOfInterest (through the services)."""
    from ioc.accounts.testing import personas_create
    from ioc.sensors.services import feature_for

    people = personas_create()
    stream = bench_thing(people)
    return people.system_token, stream.pk, feature_for(stream).pk


def payload(stream: int, start: dt.datetime, rows: int) -> bytes:
    data = [
        [(start + dt.timedelta(seconds=i)).isoformat().replace("+00:00", "Z"), round(i * 0.001, 3)] for i in range(rows)
    ]
    batch = {"Datastream": {"@iot.id": stream}, "components": ["phenomenonTime", "result"], "dataArray": data}
    return json.dumps([batch]).encode()


def through_the_view(token: str, stream: int, args: argparse.Namespace) -> float:
    from django.test import RequestFactory

    from ioc.sensors.sta.views import create_observations

    factory = RequestFactory(HTTP_HOST="localhost")
    bodies = [
        payload(stream, dt.datetime(2020, 1, 1, tzinfo=dt.UTC) + dt.timedelta(days=k), args.rows)
        for k in range(args.requests + 1)
    ]
    started = 0.0
    for number, body in enumerate(bodies):
        if number == 1:  # the first request is an unrecorded warm-up (imports, compiled expressions, caches)
            started = time.perf_counter()
        request = factory.post(
            "/sta/v1.1/CreateObservations",
            data=body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        response = create_observations(request)
        assert response.status_code == 201, response.content[:300]
    return args.requests * args.rows / (time.perf_counter() - started)


def raw(stream: int, feature: int, args: argparse.Namespace) -> float:
    from django.db import connection, transaction

    adapt = connection.ops.adapt_datetimefield_value
    sql = (
        "INSERT INTO sensors_observation (datastream_id, feature_of_interest_id, phenomenon_time, result, "
        "result_number) VALUES (%s, %s, %s, %s, %s)"
    )
    batches = []
    for k in range(args.requests):
        start = dt.datetime(2021, 1, 1, tzinfo=dt.UTC) + dt.timedelta(days=k)
        batches.append(
            [
                (stream, feature, adapt(start + dt.timedelta(seconds=i)), json.dumps(i * 0.001), i * 0.001)
                for i in range(args.rows)
            ]
        )
    started = time.perf_counter()
    for rows in batches:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)
    return args.requests * args.rows / (time.perf_counter() - started)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    from bench.dataset import configure

    configure(args)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    token, stream, feature = world()
    view = through_the_view(token, stream, args)
    bare = raw(stream, feature, args)
    print(f"CreateObservations (in-process view): {view:,.0f} observations/s")
    print(f"raw executemany, same rows and table:  {bare:,.0f} observations/s")
    print(f"ratio: {view / bare:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
