"""Where the CPU goes during the GET runs: CPU seconds of PostgreSQL's processes and of gunicorn's (Python), per
request, from /proc, while wrk drives Open311 GET and then the bare view (issue 3, "where the time goes").

    bash bench/pg-bench … keeps no cluster: start one, build the dataset, then
    .venv/bin/python bench/cpu_share.py --db postgresql --database-url postgresql://…

wrk's own CPU is not counted (it has exited when the second snapshot is taken).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import open311_bench as bench


def cpu_ticks() -> dict[str, tuple[str, int]]:
    """pid → (command, user + system clock ticks)."""
    found = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        command = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        found[pid] = (command, int(fields[11]) + int(fields[12]))
    return found


def family(command: str) -> str:
    if command.startswith("postgres"):
        return "postgres"
    return "python" if "python" in command or "gunicorn" in command else "other"


def main(argv: list[str]) -> int:
    args = bench.parse_args(argv)
    from bench.dataset import configure

    configure(argparse.Namespace(db=args.db, database_url=args.database_url, out=args.out, fresh=False))
    dep = bench.deployment()
    port = bench.free_port()
    bench.settle()
    server = bench.start_server(args, port, dep["prefix"], Path("var") / f"bench-cpu-{args.db}.log")
    ticks_per_second = os.sysconf("SC_CLK_TCK")
    try:
        bench.check(port, dep)
        for path, label in ((bench.OPEN311, "Open311 GET"), (bench.BARE_IDS_FIRST, "bare GET")):
            before, started = cpu_ticks(), time.monotonic()
            result = bench.wrk(args, port, bench.read_script(path), label)
            after = cpu_ticks()
            requests = result["rps"] * (time.monotonic() - started)  # the warm-up is counted on both sides
            spent: dict[str, float] = {}
            for pid, (command, ticks) in after.items():
                name = family(command)
                spent[name] = spent.get(name, 0.0) + (ticks - before.get(pid, (command, 0))[1]) / ticks_per_second
            per_request = {name: round(seconds * 1000 / requests, 2) for name, seconds in sorted(spent.items())}
            print(f"{label}: {result['rps']:.0f} requests/s; CPU ms per request: {per_request}")
    finally:
        bench.stop_server(server)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
