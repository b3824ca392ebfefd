"""The machine's bench lock for a script that builds and measures in one process (bench/pg-bench's IOC_BENCH_LOCK
for the shell): the build runs at the caller's priority (a shared machine runs builds at nice 19), and only the
measured part waits for the lock and runs at nice 0, its I/O best-effort.

    IOC_BENCH_LOCK=/tmp/ioc-bench.lock nice -n 19 ionice -c3 .venv/bin/python bench/datahub_ingest.py --rows 100000

    with measuring():
        ...  # the timed part

Without IOC_BENCH_LOCK, `measuring()` does nothing. `measuring(path, pids)`: the lock file given by the script (its
own `--lock` option, for a script run through bench/pg-bench, whose IOC_BENCH_LOCK would take the lock before the
script's build), and other processes set back to nice 0 with it (a PostgreSQL cluster, Redis: `cluster_pids`).
Raising the priority back needs root (the benchmark machine's sessions run as root); otherwise it says so and
measures at the caller's priority.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

WAIT_SECONDS = 1500


def _timed_out(signum: int, frame: object) -> None:
    raise TimeoutError


def cluster_pids(database_url: str) -> list[int]:
    """A PostgreSQL cluster's postmaster and its children (new backends inherit the postmaster's niceness), and the
    Redis server of REDIS_URL if set: what pg-bench starts at the caller's priority."""
    import psycopg
    import redis

    with psycopg.connect(database_url) as conn:
        backend = conn.execute("SELECT pg_backend_pid()").fetchone()
    assert backend is not None
    postmaster = int(Path(f"/proc/{backend[0]}/stat").read_text().rsplit(")", 1)[1].split()[1])
    children = subprocess.run(["pgrep", "-P", str(postmaster)], capture_output=True, text=True).stdout.split()
    pids = [postmaster, *map(int, children)]
    if os.environ.get("REDIS_URL"):
        pids.append(int(redis.Redis.from_url(os.environ["REDIS_URL"]).info("server")["process_id"]))
    return pids


@contextlib.contextmanager
def measuring(path: str | None = None, pids: Sequence[int] = ()) -> Iterator[None]:
    path = os.environ.get("IOC_BENCH_LOCK", "") if path is None else path
    if not path:
        yield
        return
    with open(path, "a") as handle:
        # A blocking wait, as flock(1)'s waiters do (a poller would lose every hand-over to them), bounded by an alarm.
        previous = signal.signal(signal.SIGALRM, _timed_out)
        signal.alarm(WAIT_SECONDS)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)
        except TimeoutError:
            sys.exit(f"bench lock {path} not free within {WAIT_SECONDS} s")
        finally:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)
        before = os.getpriority(os.PRIO_PROCESS, 0)
        try:
            for pid in (os.getpid(), *pids):
                os.setpriority(os.PRIO_PROCESS, pid, 0)
            subprocess.run(["ionice", "-c2", "-n4", "-p", str(os.getpid()), *map(str, pids)], check=False)
        except PermissionError:
            print(f"bench lock: cannot raise the priority (nice {before}); measuring at the caller's", file=sys.stderr)
        load = " ".join(open("/proc/loadavg").read().split()[:3])  # noqa: SIM115 - one read
        print(f"measuring under the bench lock {path} at nice {os.getpriority(os.PRIO_PROCESS, 0)}; load: {load}")
        try:
            yield
        finally:
            print(f"bench lock released; load: {' '.join(open('/proc/loadavg').read().split()[:3])}")  # noqa: SIM115
            fcntl.flock(handle, fcntl.LOCK_UN)
