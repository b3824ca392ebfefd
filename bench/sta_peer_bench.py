"""The peer of decision 0007 (issue 11): `django-ogc-sensorthings` 1.2.0 with `odata-query`, driven as
`bench/sta_create_observations.py` and `bench/sta_get_bench.py` drive ours, in-process, plus the conformance probes
listed in docs/decisions/0007. Never in the project's environment: a throwaway one under /tmp.

    python3 -m venv /tmp/peer && /tmp/peer/bin/pip install "django-ogc-sensorthings==1.2.0" odata-query
    /tmp/peer/bin/python bench/sta_peer_bench.py 10 10000 10 30000   # requests, rows, GET streams, rows each

Arguments: CreateObservations requests and rows per request (0 0: skip), then the Datastreams and readings per
Datastream built for the GETs (0 0: stop after CreateObservations, as `sta_create_observations.py --peer` runs it). The peer's SQLite file is PEER_DB (default /tmp/peer-bench.sqlite3), made afresh.
"""

# ruff: noqa
# mypy: ignore-errors
import os
import sys
import django
from django.conf import settings

DB = os.environ.get("PEER_DB", "/tmp/peer-bench.sqlite3")
for suffix in ("", "-wal", "-shm"):
    if os.path.exists(DB + suffix):
        os.unlink(DB + suffix)
settings.configure(
    SECRET_KEY="peer-bench-only",
    DEBUG=False,
    ALLOWED_HOSTS=["*"],
    USE_TZ=True,
    INSTALLED_APPS=[
        "django.contrib.contenttypes",
        "django.contrib.auth",
        "sensorthings.versions.v1_1",
        "sensorthings.versions.v1_1.backends.django",
        "sensorthings.versions.v1_1.extensions.dataarray",
    ],
    MIDDLEWARE=[],
    ROOT_URLCONF=__name__,
    DATABASES={
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DB,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; "
                "PRAGMA cache_size=-64000;",
            },
        }
    },
    SENSORTHINGS_V1_1_SERVICE_URL="http://testserver/sensorthings",
    SENSORTHINGS_V1_1_BACKEND_ADAPTER="sensorthings.versions.v1_1.backends.django.adapter.DjangoBackendAdapter",
    SENSORTHINGS_V1_1_ID_DELIMITER="'",
    DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
)
import uuid as _uuid

settings.SENSORTHINGS_V1_1_ID_TYPE = _uuid.UUID
django.setup()
from django.core.management import call_command
from django.urls import include, path

urlpatterns = [path("sensorthings/", include("sensorthings.versions.v1_1.urls"))]
call_command("migrate", verbosity=0)
import datetime as dt, json, statistics, time, uuid, random
from django.db import connection, transaction
from django.test import Client

REQUESTS, ROWS = int(sys.argv[1]), int(sys.argv[2])
SKIP_CREATE = REQUESTS == 0
GET_STREAMS, GET_PER_STREAM = int(sys.argv[3]), int(sys.argv[4])
c = Client(raise_request_exception=False)
ROOT = "/sensorthings/v1.1/"
T0 = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)


def thing(name):
    body = {
        "name": name,
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
                "name": "d",
                "description": "d",
                "unitOfMeasurement": {"name": "m", "symbol": "m", "definition": "ucum:m"},
                "observationType": "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement",
                "Sensor": {"name": "s", "description": "s", "encodingType": "text/html", "metadata": "x"},
                "ObservedProperty": {"name": "o", "definition": "http://example.org/o", "description": "o"},
            }
        ],
    }
    r = c.post(ROOT + "Things", json.dumps(body), content_type="application/json")
    assert r.status_code == 201, r.content[:400]
    ds = c.get(r["Location"].replace("http://testserver", "") + "/Datastreams").json()["value"][0]["@iot.id"]
    return ds


def payload(ds, start, rows):
    data = [
        [(start + dt.timedelta(seconds=i)).isoformat().replace("+00:00", "Z"), round(i * 0.001, 3)] for i in range(rows)
    ]
    return json.dumps([{"Datastream": {"@iot.id": ds}, "components": ["phenomenonTime", "result"], "dataArray": data}])


ds = thing("Bench")
if SKIP_CREATE:
    REQUESTS, ROWS = 1, 10
bodies = [payload(ds, T0 + dt.timedelta(days=k), ROWS) for k in range(REQUESTS + 1)]
for n, body in enumerate(bodies):
    if n == 1:
        started, cpu = time.perf_counter(), time.process_time()
    r = c.post(ROOT + "CreateObservations", body, content_type="application/json")
    assert r.status_code == 201, r.content[:400]
view = REQUESTS * ROWS / (time.perf_counter() - started)
view_cpu = 1e6 * (time.process_time() - cpu) / (REQUESTS * ROWS)
table = "sensorthings_v1_1_django_backend_observation"
foi = connection.cursor().execute(f"SELECT feature_of_interest_id FROM {table} LIMIT 1").fetchone()[0]
dsid = uuid.UUID(ds).hex
adapt = connection.ops.adapt_datetimefield_value
sql = f"INSERT INTO {table} (id, phenomenon_time_begin, result, result_time, datastream_id, feature_of_interest_id) VALUES (%s, %s, %s, %s, %s, %s)"
batches = []
for k in range(REQUESTS):
    start = dt.datetime(2021, 1, 1, tzinfo=dt.UTC) + dt.timedelta(days=k)
    batches.append(
        [
            (
                uuid.uuid4().hex,
                adapt(start + dt.timedelta(seconds=i)),
                i * 0.001,
                adapt(start + dt.timedelta(seconds=i)),
                dsid,
                foi,
            )
            for i in range(ROWS)
        ]
    )
started, cpu = time.perf_counter(), time.process_time()
for rows in batches:
    with transaction.atomic(), connection.cursor() as cur:
        cur.executemany(sql, rows)
raw = REQUESTS * ROWS / (time.perf_counter() - started)
raw_cpu = 1e6 * (time.process_time() - cpu) / (REQUESTS * ROWS)
print(f"peer CreateObservations (in-process view): {view:,.0f} observations/s, {view_cpu:.1f} µs CPU/obs")
print(f"raw executemany, same rows and table:      {raw:,.0f} observations/s, {raw_cpu:.1f} µs CPU/obs")
print(f"ratio: {view / raw:.2f}")
if GET_STREAMS == 0:
    sys.exit(0)

# GET: GET_STREAMS streams of GET_PER_STREAM readings every 15 minutes, then the same requests as ours
streams = [thing(f"get{k}") for k in range(GET_STREAMS)]
now = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
for s in streams:
    f = connection.cursor().execute(f"SELECT feature_of_interest_id FROM {table} LIMIT 1").fetchone()[0]
    rows = [
        (
            uuid.uuid4().hex,
            adapt(now - dt.timedelta(minutes=15 * i)),
            random.random() * 100,
            adapt(now - dt.timedelta(minutes=15 * i)),
            uuid.UUID(s).hex,
            f,
        )
        for i in range(GET_PER_STREAM)
    ]
    with transaction.atomic(), connection.cursor() as cur:
        cur.executemany(sql, rows)
total = connection.cursor().execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
rng = random.Random(11)
span = GET_PER_STREAM * 900 - 2 * 86400


def timed(paths):
    out = []
    for p in paths:
        t = time.perf_counter()
        r = c.get(p)
        out.append(1000 * (time.perf_counter() - t))
        assert r.status_code == 200, (p, r.status_code, r.content[:300])
    return out


paths = []
for _ in range(60):
    s = rng.choice(streams)
    start = now - dt.timedelta(seconds=GET_PER_STREAM * 900) + dt.timedelta(seconds=rng.uniform(0, span))
    f = f"phenomenonTime ge {start:%Y-%m-%dT%H:%M:%SZ} and phenomenonTime lt {start + dt.timedelta(days=2):%Y-%m-%dT%H:%M:%SZ}"
    paths.append(f"{ROOT}Datastreams('{s}')/Observations?$top=100&$orderby=phenomenonTime desc&$filter={f}")
r = c.get(paths[0])
print("GET with $orderby=phenomenonTime desc:", r.status_code, r.content[:120])
paths = [p.replace("&$orderby=phenomenonTime desc", "") for p in paths]
r = c.get(paths[0])
print("first GET (no $orderby) holds", len(r.json()["value"]), "observations")
times = timed(paths)[10:]
print(
    f"GET Observations (no $orderby) over {total:,} rows ({GET_STREAMS} streams x {GET_PER_STREAM:,}): median {statistics.median(times):.1f} ms, p95 {sorted(times)[int(0.95 * len(times))]:.1f} ms"
)
latest = f"{ROOT}Datastreams?$top=100&$select=name&$expand=Observations($top=1)"
times = timed([latest] * 6)[1:]
print(f"expand-latest (no $orderby): median {statistics.median(times):.1f} ms")
s0 = streams[0]
probes = {
    "string id Things('x')": f"{ROOT}Things('tram-a')",
    "numeric id Things(1)": f"{ROOT}Things(1)",
    "$filter substringof": f"{ROOT}Things?$filter=substringof('get', name)",
    "$filter startswith": f"{ROOT}Things?$filter=startswith(name, 'get')",
    "$filter arithmetic": f"{ROOT}Observations?$top=2&$filter=result add 1 gt 50",
    "$filter year()": f"{ROOT}Observations?$top=2&$filter=year(phenomenonTime) eq 2026",
    "$filter geo.distance": f"{ROOT}Locations?$filter=geo.distance(location, geography'POINT(106.05 20.65)') lt 0.1",
    "$filter st_within": f"{ROOT}Locations?$filter=st_within(location, geography'POLYGON((106 20, 107 20, 107 21, 106 21, 106 20))')",
    "$filter id eq": f"{ROOT}Datastreams?$filter=id eq '{s0}'",
    "$orderby phenomenonTime": f"{ROOT}Observations?$top=2&$orderby=phenomenonTime desc",
    "$orderby result": f"{ROOT}Observations?$top=2&$orderby=result desc",
    "$expand nested with options": f"{ROOT}Things?$top=2&$expand=Datastreams($select=name;$expand=Observations($top=2;$count=true))",
    "$select": f"{ROOT}Things?$select=name",
    "$count": f"{ROOT}Things?$count=true&$top=1",
    "nextLink": f"{ROOT}Things?$top=1",
    "navigation Datastreams(id)/Observations": f"{ROOT}Datastreams('{s0}')/Observations?$top=1",
    "bad $filter -> 400": f"{ROOT}Things?$filter=name eq",
    "unknown property -> 400": f"{ROOT}Things?$select=nosuch",
}
for label, path in probes.items():
    r = c.get(path)
    body = r.content[:160].decode(errors="replace").replace("\n", " ")
    extra = ""
    if r.status_code == 200 and label == "nextLink":
        extra = "nextLink present" if "@iot.nextLink" in r.json() else "no nextLink"
    print(f"PROBE {label}: {r.status_code} {extra} {body[:110]}")
