"""The Datastreams' latest state on PostgreSQL, two statement shapes side by side (issue 14 "Speed"): an MQTT batch of
1,000 messages over 10,000 Datastreams names ~1,000 of them, and `ioc.sensors.services._base.latest_update` wrote
each one's latest state by an `executemany` of one UPDATE per Datastream (1,000 statements); now one UPDATE … FROM
unnest(arrays). The same two statements (`_latest_sql`, `_latest_sql_pg`, the table's shape reduced to the columns
they touch) on a table of `--rows` rows, `--rounds` rounds of `--batch` random rows each, alternating; prints the
client's CPU (this process), the server backend's CPU (/proc) and the wall time per round.

    bash bench/pg-bench --build "" --run bench/pg_latest_update.py --rounds 6
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NEWER = "latest_time IS NULL OR latest_time <= %s"
ONE = (
    "UPDATE bench_ds SET phenomenon_start = CASE WHEN phenomenon_start IS NULL OR phenomenon_start > %s THEN %s "
    "ELSE phenomenon_start END, phenomenon_end = CASE WHEN phenomenon_end IS NULL OR phenomenon_end < %s THEN %s "
    f"ELSE phenomenon_end END, latest_result = CASE WHEN {NEWER} THEN %s::jsonb ELSE latest_result END, "
    f"latest_value = CASE WHEN {NEWER} THEN %s ELSE latest_value END, "
    f"latest_time = CASE WHEN {NEWER} THEN %s ELSE latest_time END WHERE id = %s"
)
NV = "d.latest_time IS NULL OR d.latest_time <= v.at"
MANY = (
    "UPDATE bench_ds AS d SET phenomenon_start = CASE WHEN d.phenomenon_start IS NULL OR d.phenomenon_start > v.first "
    "THEN v.first ELSE d.phenomenon_start END, phenomenon_end = CASE WHEN d.phenomenon_end IS NULL OR "
    "d.phenomenon_end < v.last THEN v.last ELSE d.phenomenon_end END, "
    f"latest_result = CASE WHEN {NV} THEN v.result ELSE d.latest_result END, "
    f"latest_value = CASE WHEN {NV} THEN v.number ELSE d.latest_value END, "
    f"latest_time = CASE WHEN {NV} THEN v.at ELSE d.latest_time END "
    "FROM unnest(%s::bigint[], %s::timestamptz[], %s::timestamptz[], %s::timestamptz[], %s::jsonb[], %s::float8[]) "
    "AS v(id, first, last, at, result, number) WHERE d.id = v.id"
)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["postgresql"], default="postgresql")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args(argv)
    import psycopg

    # Django's PostgreSQL backend binds on the client (psycopg's ClientCursor), as here.
    conn = psycopg.connect(args.database_url, cursor_factory=psycopg.ClientCursor)
    conn.execute(
        "CREATE TABLE bench_ds (id bigserial PRIMARY KEY, name text, phenomenon_start timestamptz, "
        "phenomenon_end timestamptz, latest_result jsonb, latest_value float8, latest_time timestamptz)"
    )
    conn.execute("INSERT INTO bench_ds (name) SELECT 'd' || g FROM generate_series(1, %s) AS g", [args.rows])
    conn.commit()
    pid = conn.execute("SELECT pg_backend_pid()").fetchone()[0]  # type: ignore[index]

    def server() -> float:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    base, rng = dt.datetime(2020, 1, 1, tzinfo=dt.UTC), random.Random(7)
    figures: dict[str, list[tuple[float, float, float]]] = {"executemany": [], "unnest": []}
    load = os.getloadavg()[0]
    for n in range(args.rounds):
        ids = sorted(rng.sample(range(1, args.rows + 1), args.batch))
        at = base + dt.timedelta(seconds=n)
        rows = [(i, at, at, at, json.dumps(rng.random() * 100), rng.random() * 100) for i in ids]
        for mode in ("executemany", "unnest") if n % 2 else ("unnest", "executemany"):
            s0, c0, w0 = server(), time.process_time(), time.perf_counter()
            with conn.cursor() as cursor:
                if mode == "executemany":
                    cursor.executemany(ONE, [(f, f, la, la, a, r, a, v, a, a, i) for i, f, la, a, r, v in rows])
                else:
                    cursor.execute(MANY, [list(column) for column in zip(*rows, strict=True)])
            conn.commit()
            figures[mode].append((time.process_time() - c0, server() - s0, time.perf_counter() - w0))
    print(
        f"{args.rounds} rounds of {args.batch} rows of {args.rows}; load average {load:.1f} → {os.getloadavg()[0]:.1f}"
    )
    for mode, runs in figures.items():
        client, srv, wall = (1000 * statistics.median(run[k] for run in runs) for k in range(3))
        print(f"{mode}: median client CPU {client:.1f} ms, server CPU {srv:.0f} ms, wall {wall:.0f} ms a batch")
    conn.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
