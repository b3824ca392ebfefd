"""Builds a reusable benchmark database (foundation issue, item 10). Later issues extend it, never fork it.

    .venv/bin/python bench/dataset.py --db sqlite --out var/bench.sqlite3 --audit-entries 1000000
    .venv/bin/python bench/dataset.py --db postgresql --database-url postgresql://ioc@127.0.0.1:5432/ioc \
        --reports 1000000

Steps: migrate, load the national reference data (units, boundaries, succession), then each requested domain
builder inserts its rows in bulk (executemany in large batches on SQLite, COPY on PostgreSQL). A builder lives
in `bench/builders.py` under the flag it answers (`--reports` → `reports`); a flag whose domain has not landed
yet stops with a clear message instead of building something else.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DOMAIN_FLAGS = {
    "reports": "citizen reports (issue: citizen field reports)",
    "sensors": "sensors (issue: sensors)",
    "observations": "sensor observations (issue: sensors; after --sensors)",
    "incidents": "incidents (issue: incidents)",
    "audit_entries": "audit entries (foundation)",
    "datahub_records": "rows of one shared data hub dataset (issue 10: sharing)",
    "indicators": "monitoring indicators × 36 months × every commune (issue 13)",
    "dossiers": "public administration dossiers, six events each (issue 23; bench/builders_dossiers.py)",
    "media_items": "online-information items over a year (issue 22)",
    "security_events": "security events over the retention, with their daily cells (issue 21)",
    "security_event_cells": "only the daily cells N security events would leave (issue 21: the 30-day query)",
}


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--out", default=str(ROOT / "var" / "bench.sqlite3"), help="SQLite file (--db sqlite)")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""), help="--db postgresql")
    parser.add_argument("--seed", type=int, default=20251124)
    parser.add_argument("--fresh", action="store_true", help="delete the SQLite file first")
    parser.add_argument("--no-boundaries", action="store_true", help="skip boundary polygons (faster)")
    for flag in DOMAIN_FLAGS:
        parser.add_argument(f"--{flag.replace('_', '-')}", type=int, default=0, metavar="N")
    return parser.parse_args(argv)


def configure(args: argparse.Namespace) -> None:
    """Point Django at the benchmark database before setup; production settings otherwise."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    for key in ("SECRET_KEY", "AUDIT_KEY", "TOKEN_HMAC_KEY", "FIELD_ENCRYPTION_KEY"):
        os.environ.setdefault(key, f"bench-only-{key.lower()}-" + "b" * 40)
    os.environ.setdefault("IOC_TLS", "0")
    # The benchmark deployment's own var directory (secrets file with its tokens, media, Huey): never the demo's.
    os.environ.setdefault("IOC_VAR_DIR", str(ROOT / "var" / f"bench-{args.db}"))
    if args.db == "postgresql":
        if not args.database_url.startswith("postgres"):
            sys.exit("--db postgresql needs --database-url postgresql://… (or DATABASE_URL)")
        os.environ["DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("DATABASE_URL", None)
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        if args.fresh:  # a WAL left without its main file would be replayed into the new one
            for suffix in ("", "-wal", "-shm"):
                Path(str(out) + suffix).unlink(missing_ok=True)
        os.environ["SQLITE_PATH"] = str(out)
    import django

    django.setup()


def cache_tables() -> None:
    """The cache table in every database that takes it (a SQLite deployment's own cache file: decisions/0002)."""
    from django.core.management import call_command
    from django.db import connections

    for alias in connections:
        call_command("createcachetable", database=alias, verbosity=0)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    configure(args)
    from django.core.management import call_command

    from bench import builders, builders_dossiers

    builders.BUILDERS.setdefault("dossiers", builders_dossiers.build_dossiers)

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    cache_tables()
    print(f"migrate: {time.perf_counter() - started:.1f}s")
    step = time.perf_counter()
    builders.reference_data(boundaries=not args.no_boundaries)
    print(f"reference data: {time.perf_counter() - step:.1f}s")
    rng = random.Random(args.seed)
    for flag, label in DOMAIN_FLAGS.items():
        count = getattr(args, flag)
        if not count:
            continue
        build = builders.BUILDERS.get(flag)
        if build is None:
            print(f"--{flag.replace('_', '-')}: {label} has not landed yet; nothing to build", file=sys.stderr)
            return 2
        step = time.perf_counter()
        build(n=count, rng=rng)
        print(f"{flag}: {count:,} rows in {time.perf_counter() - step:.1f}s")
    print(f"total: {time.perf_counter() - started:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
