"""The crash harness's children, each in a process group of its own, never left behind (issue 16).

A harness that times out or fails must not leave gunicorn, the Huey consumer, Mosquitto or Redis running: they
keep the SQLite files of a `/tmp/ioc-crash-*` directory locked and slow every later test. Three nets, from the
inside out:

- `Groups.spawn` starts a child with `start_new_session=True` (its own process group: a SIGKILL of the group
  takes its workers too) and remembers the group; `Groups.kill_all` SIGKILLs every group still remembered.
- `guard(groups)`: `atexit` runs `kill_all`, and SIGTERM, SIGHUP and SIGINT become `SystemExit`, so the harness's
  `finally` blocks and the `atexit` hook run when it is told to stop.
- `harness_run(command, …)`: how a test runs a harness. The harness runs in a session of its own with a marker
  in its environment (`IOC_CRASH_MARK`), which every child inherits. On timeout it is sent SIGTERM (the nets
  above), then SIGKILL; and whatever happened, every process group still holding a marked process is SIGKILLed:
  that catches the children of a harness that was itself SIGKILLed. Pytest itself is never signalled.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import subprocess
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MARK = "IOC_CRASH_MARK"
PROC = Path("/proc")


@dataclass
class Groups:
    """The process groups a harness started and has not yet seen end."""

    pgids: set[int] = field(default_factory=set)

    def spawn(self, argv: Sequence[str], **popen: Any) -> subprocess.Popen[bytes]:
        process: subprocess.Popen[bytes] = subprocess.Popen(argv, start_new_session=True, **popen)
        self.pgids.add(process.pid)  # a session leader's pid is its group's id
        return process

    def killed(self, process: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
        """Signal `process`'s group, reap the leader and forget the group (its id may be reused later)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        process.wait()
        self.pgids.discard(process.pid)

    def kill_all(self) -> None:
        for pgid in sorted(self.pgids):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pgid, signal.SIGKILL)
        self.pgids.clear()


def _exit_on_signal(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


def guard(groups: Groups) -> None:
    """Kill `groups` at exit, and turn the stop signals into an exit that runs `finally` blocks and `atexit`."""
    atexit.register(groups.kill_all)
    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(sig, _exit_on_signal)


def marked_groups(mark: str) -> set[int]:
    """The process groups holding a live process whose environment carries `IOC_CRASH_MARK=mark`."""
    needle = f"{MARK}={mark}".encode()
    found: set[int] = set()
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if needle not in (entry / "environ").read_bytes().split(b"\0"):
                continue
            stat = (entry / "stat").read_text()
        except OSError:  # gone meanwhile, or not ours
            continue
        fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (comm) ": state, ppid, pgrp, …
        if fields[0] != "Z":
            found.add(int(fields[2]))
    return found


def marked_kill(mark: str) -> set[int]:
    """SIGKILL every process group holding a process marked `mark`; returns the groups signalled."""
    groups = marked_groups(mark)
    for pgid in groups:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, signal.SIGKILL)
    return groups


@dataclass
class HarnessResult:
    returncode: int | None  # None: it timed out
    stdout: str
    stderr: str
    left_behind: set[int]  # process groups still running when it ended, killed by the last net


def harness_run(
    command: Sequence[str], *, timeout: float, env: dict[str, str], cwd: Path, grace: float = 40.0
) -> HarnessResult:
    """Run a harness as a test does: its output captured, its children gone when this returns, whatever happened."""
    mark = uuid.uuid4().hex
    process = subprocess.Popen(
        list(command),
        cwd=cwd,
        env={**env, MARK: mark},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    returncode: int | None = None
    stdout = stderr = ""
    left: set[int] = set()
    try:
        stdout, stderr = process.communicate(timeout=timeout)
        returncode = process.returncode
    except subprocess.TimeoutExpired:
        process.terminate()  # SIGTERM: the harness stops its own children (`guard`)
        try:
            stdout, stderr = process.communicate(timeout=grace)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()  # the harness's own group has ended before the marked ones are counted
            left = marked_kill(mark)  # before reading on: the children hold the output pipes open
            stdout, stderr = process.communicate()
    finally:
        if process.poll() is None:  # an exception in this very function (KeyboardInterrupt, a fixture's timeout)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        left |= marked_kill(mark)
    return HarnessResult(returncode, stdout, stderr, left)
