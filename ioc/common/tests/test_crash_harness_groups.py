"""The crash harness never leaves its children running (issue 16; bench/load/groups.py): a harness that fails
or times out took gunicorn, Huey, Mosquitto or Redis with it, else they kept `/tmp/ioc-crash-*` SQLite files
locked for later tests. Each test runs a small stand-in harness that starts children the way crash.py does
(each in a process group of its own, with a grandchild) and then fails or hangs; pytest is never signalled."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from bench.load.groups import harness_run

ROOT = Path(__file__).resolve().parents[3]

# The stand-in: two children in groups of their own (each with a grandchild in its group), their pids written
# down, then it fails (`raise`), hangs (`hang`) or hangs ignoring SIGTERM (`stubborn`).
HARNESS = """
import signal, subprocess, sys, time
from pathlib import Path
from bench.load.groups import Groups, guard
groups = Groups()
guard(groups)
how, pids = sys.argv[1], Path(sys.argv[2])
child = "import subprocess, time; subprocess.Popen(['sleep', '300']); time.sleep(300)"
started = [groups.spawn([sys.executable, '-c', child]) for _ in range(2)]
time.sleep(0.5)
found = subprocess.run(['pgrep', '-g', ','.join(str(p.pid) for p in started)], capture_output=True, text=True)
pids.write_text(found.stdout)
if how == 'raise':
    raise RuntimeError('the harness failed')
if how == 'stubborn':
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
time.sleep(300)
"""


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"  # a zombie has ended (nobody reaped it yet)


def run_harness(tmp_path: Path, how: str, timeout: float, grace: float = 40.0) -> tuple[object, list[int]]:
    script, pids = tmp_path / "harness.py", tmp_path / "pids"
    script.write_text(HARNESS)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = harness_run([sys.executable, str(script), how, str(pids)], cwd=ROOT, env=env, timeout=timeout, grace=grace)
    return done, [int(line) for line in pids.read_text().split()]


def gone(pids: list[int]) -> bool:
    deadline = time.monotonic() + 5  # SIGKILL is delivered at once; the kernel ends the process a moment later
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not any(alive(pid) for pid in pids)


def test_a_failing_harness_kills_its_groups_on_the_way_out(tmp_path: Path) -> None:
    done, pids = run_harness(tmp_path, "raise", timeout=60)
    assert done.returncode == 1 and "the harness failed" in done.stderr  # type: ignore[attr-defined]
    assert len(pids) == 4  # two children, two grandchildren
    assert gone(pids)
    assert done.left_behind == set()  # type: ignore[attr-defined]  # its own atexit hook did it


def test_a_harness_that_times_out_is_stopped_with_its_children(tmp_path: Path) -> None:
    done, pids = run_harness(tmp_path, "hang", timeout=4)
    assert done.returncode is None  # type: ignore[attr-defined]
    assert len(pids) == 4 and gone(pids)
    assert done.left_behind == set()  # type: ignore[attr-defined]  # SIGTERM: its finally and atexit ran


def test_children_of_a_harness_that_ignores_sigterm_are_killed_by_their_mark(tmp_path: Path) -> None:
    done, pids = run_harness(tmp_path, "stubborn", timeout=4, grace=1)
    assert done.returncode is None  # type: ignore[attr-defined]
    assert len(pids) == 4 and gone(pids)
    assert len(done.left_behind) == 2  # type: ignore[attr-defined]  # the two children's groups
