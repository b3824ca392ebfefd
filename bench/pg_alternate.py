"""Before and after on one PostgreSQL cluster (issue 11 "Speed"; docs/benchmarks.md asks for alternated runs): a
benchmark script from each of several source trees in turn, `--rounds` times, every run on a fresh copy of the
database `bench/pg-bench --build` made (`CREATE DATABASE … TEMPLATE`), so each arm starts from the same data and
the migrate + build happen once, before the bench lock:

    IOC_BENCH_LOCK=/tmp/ioc-bench.lock nice -n 19 bash bench/pg-bench --build "--no-boundaries" \\
        --run bench/pg_alternate.py --trees /tmp/base,. --rounds 2 -- \\
        bench/sta_create_observations.py --requests 10 --rows 10000

A tree is a checkout (`git archive <commit> | tar -x -C /tmp/base`); the script runs from it with this Python, as
`<script> --db postgresql --database-url <its copy> [args…]`, and prints its own figures after a header naming
the tree, the round and the load average.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import psycopg


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["postgresql"], default="postgresql")
    parser.add_argument("--database-url", required=True, help="the built database (bench/pg-bench passes it)")
    parser.add_argument("--trees", required=True, help="comma-separated source trees, run in this order each round")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("script", help="the benchmark script, relative to each tree")
    parser.add_argument("script_args", nargs=argparse.REMAINDER)
    return parser.parse_args(argv)


def _load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    base_url, _, template = args.database_url.rpartition("/")
    trees = [Path(tree).resolve() for tree in args.trees.split(",")]
    extra = [a for a in args.script_args if a != "--"]
    for round_no in range(1, args.rounds + 1):
        for index, tree in enumerate(trees):
            name = f"arm_{round_no}_{index}"
            with psycopg.connect(f"{base_url}/postgres", autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}"')  # left by a failed run on a kept cluster
                admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            print(f"\n### round {round_no}, tree {tree}: load average {_load()}", flush=True)
            command = [sys.executable, str(tree / args.script), "--db", "postgresql", "--database-url"]
            subprocess.run([*command, f"{base_url}/{name}", *extra], cwd=tree, check=True)
            print(f"### after: load average {_load()}", flush=True)
            with psycopg.connect(f"{base_url}/postgres", autocommit=True) as admin:
                admin.execute(f'DROP DATABASE "{name}"')
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
