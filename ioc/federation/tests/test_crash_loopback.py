"""R9.3 "It must show": two deployments on loopback (separate databases and processes) under a steady flow, the
parent down for part of the run and the sender's worker SIGKILLed mid-flight: every message applied exactly once.
Prints sent, retried, applied, duplicates and lost. Marked `crash` (SQLite). `IOC_FEDERATION_CRASH_SECONDS`
sets the length (default 60); `IOC_FEDERATION_CRASH_FULL=1` runs the full 10 minutes."""

from __future__ import annotations

import json
import os
import random
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from ioc.federation.loopback import PYTHON, ROOT, Deployment, pair

FULL = os.environ.get("IOC_FEDERATION_CRASH_FULL") == "1"
SECONDS = 600 if FULL else int(os.environ.get("IOC_FEDERATION_CRASH_SECONDS", "60"))
CHUNK = 25
SENDER_ENV = {
    "FEDERATION_LEASE_SECONDS": "3",
    "FEDERATION_BACKOFF_BASE_SECONDS": "1",
    "FEDERATION_BATCH_SIZE": "20",
    "FEDERATION_MAX_ATTEMPTS": "1000",
    "OUTBOUND_TIMEOUT_SECONDS": "3",
}


def counts(deployment: Deployment, code: str) -> dict[str, int]:
    return json.loads(deployment.manage("federation_loopback", "counts", "--code", code))  # type: ignore[no-any-return]


class Flow:
    """The steady flow: one producer process writing CHUNK new messages into the child's outbox every second."""

    def __init__(self, child: Deployment) -> None:
        self.child, self.stop_file = child, child.var / "stop-producing"
        self.out = child.var / "producer.log"
        argv = [PYTHON, "manage.py", "federation_loopback", "produce", "--code", "tinh", "--count", str(CHUNK)]
        self.process = subprocess.Popen(
            [*argv, "--stop-file", str(self.stop_file)], cwd=ROOT, env=child.env(), stdout=self.out.open("w")
        )

    def stop(self) -> int:
        self.stop_file.write_text("stop\n")
        self.process.wait(timeout=120)
        lines = [line for line in self.out.read_text().splitlines() if line.startswith("sent ")]
        return int(lines[-1].split()[1]) if lines else 0


def drive(parent: Deployment, child: Deployment, rng: random.Random) -> dict[str, int]:
    """The run: parent down from 25 % to 50 % of the time; the sender SIGKILLed at random moments."""
    parent.start_web()
    child.start_sender()
    flow = Flow(child)
    started, kills, parent_down = time.monotonic(), 0, False
    while (elapsed := time.monotonic() - started) < SECONDS:
        if not parent_down and SECONDS * 0.25 <= elapsed < SECONDS * 0.5:
            parent.stop_web()  # the parent is down: the sender retries with back-off
            parent_down = True
        elif parent_down and elapsed >= SECONDS * 0.5:
            parent.start_web()
            parent_down = False
        time.sleep(rng.uniform(2, 6))
        child.kill_sender()  # SIGKILL, whatever it was doing
        kills += 1
        time.sleep(rng.uniform(0.2, 1.0))
        child.start_sender()
    sent = flow.stop()
    if parent_down:
        parent.start_web()
    deadline = time.monotonic() + 180
    while counts(child, "tinh")["undelivered"] and time.monotonic() < deadline:
        time.sleep(2)
    return {"sent": sent, "kills": kills}


@pytest.mark.crash
@pytest.mark.slow  # two deployments for a minute: in `make test-slow`, so the CI crash stage stays within 360 s
def test_two_centers_lose_and_double_nothing() -> None:
    root = Path(tempfile.mkdtemp(prefix="ioc-federation-crash-"))
    parent, child = pair(root, sender_env=SENDER_ENV)
    try:
        run = drive(parent, child, random.Random(18))
    finally:
        parent.stop()
        child.stop()
    out, inbox = counts(child, "tinh"), counts(parent, "huyen")
    duplicates = inbox["applied"] - inbox["applied_ids"]
    lost = run["sent"] - inbox["applied_ids"]
    print(
        f"federation crash run {SECONDS} s: sent {run['sent']}, retried {out['retried']}, applied {inbox['applied']}, "
        f"redelivered and answered duplicate {out['answered_duplicate']}, duplicates {duplicates}, lost {lost}, "
        f"dead {out['dead']}, sender kills {run['kills']}"
    )
    assert out["outbox"] == run["sent"]
    assert (duplicates, lost, out["dead"], out["undelivered"]) == (0, 0, 0, 0)
    assert out["retried"] > 0  # the parent was down: retries happened
