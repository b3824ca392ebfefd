"""Bring a kept benchmark cluster (bench/pg-bench with IOC_BENCH_PGDATA, which reuses a cluster and never migrates
it) to this tree's migrations, or one app to a named migration (a before/after of a migration on the same data),
then VACUUM ANALYZE what moved:

    IOC_BENCH_PGDATA=var/pg-ops1m bash bench/pg-bench --build "<its flags>" --run bench/pg_migrate.py
    IOC_BENCH_PGDATA=var/pg-ops1m bash bench/pg-bench --build "<its flags>" --run bench/pg_migrate.py \\
        citizen_reports 0006 --analyze citizen_reports_report
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["postgresql"], default="postgresql")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("app", nargs="?", help="one app (default: every app to the newest migration)")
    parser.add_argument("target", nargs="?", help="the app's migration to move to (default: its newest)")
    parser.add_argument("--analyze", default="", help="a table to VACUUM ANALYZE after (default: the whole database)")
    args = parser.parse_args(argv)
    from bench.dataset import configure

    configure(argparse.Namespace(db=args.db, database_url=args.database_url, out="", fresh=False))
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", *[part for part in (args.app, args.target) if part])
    with connection.cursor() as cursor:
        cursor.execute(f'VACUUM ANALYZE "{args.analyze}"' if args.analyze else "VACUUM ANALYZE")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
