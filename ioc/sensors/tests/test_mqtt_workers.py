"""R5.5, issue 11 "Speed": `mqtt_bridge --workers N` runs N bridge processes; one that dies is started again under
the same number (its MQTT session), and stopping the parent stops them all."""

from __future__ import annotations

import os
import tempfile
import threading
import time
from pathlib import Path

from django.test import SimpleTestCase

from ioc.sensors.workers import supervise


def worker(k: int, log: Path) -> None:
    with log.open("a") as handle:
        handle.write(f"{k} {os.getpid()}\n")
    if k == 2:
        time.sleep(60)  # stays up until the supervisor stops it


def stop_after_three_starts(log: Path, stop: threading.Event) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        starts = log.read_text().split().count("1") if log.exists() else 0
        if starts >= 3:
            break
        time.sleep(0.05)
    stop.set()


class SuperviseTest(SimpleTestCase):
    def test_a_dead_child_is_restarted_under_its_number_and_stop_ends_every_child(self):
        with tempfile.TemporaryDirectory() as root:
            log = Path(root) / "log"
            stop = threading.Event()
            # Stop once child 1 has been started three times (not after a fixed time: a loaded machine forks slowly).
            threading.Thread(target=stop_after_three_starts, args=(log, stop), daemon=True).start()
            started = time.monotonic()
            restarts = supervise(count=2, target=lambda k: worker(k, log), stop=stop, restart_after=0.1, grace=5)
            elapsed = time.monotonic() - started
            lines = [line.split() for line in log.read_text().splitlines()]
        self.assertGreaterEqual(restarts[1], 2)
        self.assertEqual(restarts[2], 0)
        self.assertEqual(len([k for k, _pid in lines if k == "2"]), 1)
        self.assertGreaterEqual(len({pid for k, pid in lines if k == "1"}), 3)  # new processes, one number
        self.assertLess(elapsed, 50)  # child 2 was terminated, not waited for its 60 s
