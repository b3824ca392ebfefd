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


class SuperviseTest(SimpleTestCase):
    def test_a_dead_child_is_restarted_under_its_number_and_stop_ends_every_child(self):
        with tempfile.TemporaryDirectory() as root:
            log = Path(root) / "log"
            stop = threading.Event()
            threading.Timer(1.5, stop.set).start()
            started = time.monotonic()
            restarts = supervise(count=2, target=lambda k: worker(k, log), stop=stop, restart_after=0.1, grace=5)
            elapsed = time.monotonic() - started
            lines = [line.split() for line in log.read_text().splitlines()]
        self.assertGreaterEqual(restarts[1], 2)
        self.assertEqual(restarts[2], 0)
        self.assertEqual(len([k for k, _pid in lines if k == "2"]), 1)
        self.assertGreaterEqual(len({pid for k, pid in lines if k == "1"}), 3)  # new processes, one number
        self.assertLess(elapsed, 10)  # child 2 was terminated, not waited for its 60 s
