"""Webhook deliveries survive a failing receiver and a SIGKILLed sender (issue 12 "It must show"; R4.5, R9.3;
DESIGN "Durable work": at-least-once with a delivery id the receiver deduplicates).

A real receiver on 127.0.0.1 checks each request's HMAC signature and goes through phases: failing (500), flaky
(slow, one answer in three a 500), dropping connections unanswered, flaky again, then healthy. Meanwhile messages
are enqueued in bursts by one process and delivered by another, the sender, which is SIGKILLed at random moments and
restarted. Failed rows' back-offs and the killed sender's leases are made to end early (steps `rewind`), the only
clock the test moves. At the end every row is sent, every delivery id reached the receiver, the receiver processed
each once (redeliveries, when a kill landed between its answer and the sender's bookkeeping, are counted and
ignored by id), nothing is dead, and the sender really was killed and really retried.

Marked `crash` (`make crash`, its CI stage), SQLite only; the counts are printed for the log.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from ioc.notifications.transports import sign

ROOT = Path(__file__).resolve().parents[3]
PYTHON = sys.executable
KEY = "crash-webhook-signing-key-" + "w" * 24
STEPS = "ioc.notifications.tests.webhook_crash_steps"
# (phase, seconds) of the receiver during the load; "ok" afterwards.
PHASES = [("fail", 6.0), ("flaky", 10.0), ("drop", 5.0), ("flaky", 9.0)]


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.mode = "fail"
        self.lock = threading.Lock()
        self.processed: set[str] = set()
        self.counts: Counter[str] = Counter()
        self.rng = random.Random(12)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0") or 0)
        body = self.rfile.read(length)
        delivery = self.headers.get("X-IOC-Delivery-Id", "")
        server = self.server
        if len(body) < length:  # the sender was SIGKILLed while writing: a part of a request, nothing to judge
            with server.lock:
                server.counts["cut short"] += 1
            self.close_connection = True
            return
        with server.lock:
            mode, failing = server.mode, server.rng.random() < 1 / 3
            server.counts["requests"] += 1
        if self.headers.get("X-IOC-Signature") != sign(body, KEY) or json.loads(body)["delivery_id"] != delivery:
            with server.lock:
                server.counts["bad signature"] += 1
            self._answer(401)
            return
        if mode == "drop":
            with server.lock:
                server.counts["dropped"] += 1
            self.close_connection = True
            self.connection.shutdown(2)  # no answer at all: the sender sees a broken connection
            return
        if mode == "fail" or (mode == "flaky" and failing):
            with server.lock:
                server.counts["answered 500"] += 1
            self._answer(500)
            return
        if mode == "flaky":
            time.sleep(0.05)  # slow enough that a kill often lands between this answer and the sender's bookkeeping
        with server.lock:
            if delivery in server.processed:
                server.counts["redelivered, ignored"] += 1
            else:
                server.processed.add(delivery)
                server.counts["processed"] += 1
        self._answer(200)

    def _answer(self, status: int) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"ok" if status == 200 else b"no")

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _env(var: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    for key in ("SECRET_KEY", "AUDIT_KEY", "TOKEN_HMAC_KEY", "FIELD_ENCRYPTION_KEY"):
        env[key] = f"crash-only-{key.lower()}-" + "c" * 40
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "IOC_VAR_DIR": str(var),
            "IOC_TLS": "0",
            "DEBUG": "0",
            "LOG_LEVEL": "ERROR",
            "NOTIFICATIONS_TRANSPORTS": "webhook",
            "WEBHOOK_SIGNING_KEY": KEY,
            "OUTBOUND_ALLOWED_CIDRS": "127.0.0.1/32",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def _run(env: dict[str, str], *argv: str) -> str:
    done = subprocess.run([PYTHON, *argv], cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"{argv} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


class _Sender:
    """The sender process, in a process group of its own; killed with SIGKILL, restarted."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env, self.log = env, log
        self.process: subprocess.Popen[bytes] | None = None
        self.kills = 0

    def start(self) -> None:
        self.log.write_bytes(b"")
        with self.log.open("ab") as handle:
            self.process = subprocess.Popen(
                [PYTHON, "-m", STEPS, "send"],
                cwd=ROOT,
                env=self.env,
                stdout=handle,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_ready(self, limit: float = 60.0) -> None:
        end = time.monotonic() + limit
        while b"ready" not in self.log.read_bytes() and time.monotonic() < end:
            time.sleep(0.05)

    def kill(self) -> None:
        assert self.process is not None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.kills += 1


@pytest.mark.crash
def test_webhook_deliveries_survive_a_failing_receiver_and_a_killed_sender(tmp_path: Path) -> None:
    env = _env(tmp_path)
    # The system checks are skipped: ~10 s each on a loaded machine, and nothing this test proves.
    _run(env, "manage.py", "migrate", "--noinput", "-v", "0", "--skip-checks")
    _run(env, "manage.py", "createcachetable", "--database", "cache")  # the cache has a file of its own on SQLite
    document = ["--document-no", "01/CRASH", "--document-date", "2026-12-01"]
    _run(env, "manage.py", "system_account_ensure", *document, "--skip-checks")
    server = _Server()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    rng = random.Random(7)
    sender = _Sender(env, tmp_path / "sender.log")
    enqueued = 0
    try:
        _run(env, "-m", STEPS, "enqueue", url, "0", "60")
        seconds = sum(length for _, length in PHASES)
        driver = subprocess.Popen(
            [PYTHON, "-m", STEPS, "drive", url, "60", str(seconds)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        sender.start()
        for mode, length in PHASES:
            server.mode = mode
            end = time.monotonic() + length
            while time.monotonic() < end:
                sender.wait_ready()
                time.sleep(rng.uniform(0.2, 1.5))  # some deliveries, then a kill at a random moment
                sender.kill()
                time.sleep(rng.uniform(0.1, 0.4))
                sender.start()
        out, _ = driver.communicate(timeout=120)
        assert driver.returncode == 0, out
        enqueued = 60 + json.loads(out.strip().splitlines()[-1])["enqueued"]
        server.mode = "ok"
        state = json.loads(_run(env, "-m", STEPS, "settle", str(enqueued), "180").strip().splitlines()[-1])
    finally:
        if sender.process is not None:
            sender.kill()
        server.shutdown()
    counts = {
        **server.counts,
        "enqueued": enqueued,
        "sender kills": sender.kills,
        "max attempts": state["max_attempts"],
    }
    print("webhook crash:", json.dumps(counts, ensure_ascii=False))
    assert state["states"] == {"sent": enqueued}, f"every row sent, none dead or pending: {state['states']}"
    assert server.processed == set(state["ids"]), "every delivery id reached the receiver, and no other"
    assert server.counts["processed"] == enqueued, "each processed once"
    assert server.counts["bad signature"] == 0
    assert sender.kills >= 5 and state["max_attempts"] >= 2, "the sender was killed and the failures retried"
    assert server.counts["answered 500"] > 0 and server.counts["dropped"] > 0
