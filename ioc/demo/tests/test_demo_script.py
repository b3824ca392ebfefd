"""`scripts/demo` end to end: it answers on the port, /readyz is green, the logins and tokens are printed last
(console notifications go to var/notifications.log), and a signal stops every child.

Slow (migrates a fresh SQLite database and starts gunicorn, Huey and the sealer): run by `make test-slow`.
"""

import datetime as dt
import json
import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def assert_the_summary_is_printed_last(output: str, port: int) -> None:
    """Issue 8, part 8: once ready, the address, the logins and the two token lines are the last thing printed."""
    lines = [line for line in output.splitlines() if line.strip()]
    assert lines[-2].startswith("Information-system token: "), lines[-12:]
    assert lines[-1].startswith("Open311 api_key: "), lines[-12:]
    ready = max(i for i, line in enumerate(lines) if "ready in" in line)
    summary = lines[ready + 1 :]
    assert any(f"Địa chỉ / Address: http://127.0.0.1:{port}/" in line for line in summary), summary
    assert any("password: " in line for line in summary), summary
    # Only the script's own lines and the summary: no access log, no worker log, no notification.
    assert not [line for line in lines if "notification " in line or '"GET /' in line], lines[:40]


def assert_notifications_went_to_their_file(var: Path, output: str) -> None:
    """Issue 8, part 8: the worker writes the demo's messages (not sent: e-mail and SMS are off) to their file."""
    notifications = var / "notifications.log"
    assert f"the console writes to {notifications}" in output
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not notifications.exists():
        time.sleep(1)
    assert "KHÔNG GỬI / NOT SENT" in notifications.read_text(encoding="utf-8")
    assert (var / "web.log").stat().st_size > 0


def assert_live_readings_arrive(port: int, started: float) -> None:
    """Issue 11: the simulator's readings reach the database through the broker and mqtt_bridge."""
    url = f"http://127.0.0.1:{port}/sta/v1.1/Observations?$orderby=phenomenonTime%20desc&$top=1"
    deadline, newest = time.monotonic() + 60, ""
    while time.monotonic() < deadline:
        status, body = _get(url)
        values = json.loads(body).get("value", []) if status == 200 else []
        newest = values[0]["phenomenonTime"] if values else ""
        if newest and dt.datetime.fromisoformat(newest).timestamp() > started:
            return
        time.sleep(2)
    raise AssertionError(f"no live reading since the start; the newest is {newest!r}")


@pytest.mark.slow
def test_it_runs_the_demo_and_stops_every_child_on_a_signal():
    port, mqtt_port = _free_port(), _free_port()
    started = time.time()
    with tempfile.TemporaryDirectory() as var:
        env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "IOC_VAR_DIR")}
        env["IOC_VAR_DIR"] = var
        env["MQTT_PORT"] = str(mqtt_port)
        log = open(Path(var) / "out.log", "w+")  # noqa: SIM115
        process = subprocess.Popen(
            ["bash", "scripts/demo", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 600
            # The summary comes after "ready in", from its own process: wait for its last line, the Open311 key.
            while "Open311 api_key: " not in Path(log.name).read_text() and time.monotonic() < deadline:
                assert process.poll() is None, Path(log.name).read_text()[-3000:]
                time.sleep(1)
            output = Path(log.name).read_text()
            assert "ready in" in output, output[-3000:]
            assert "TLS is off for the demo" in output
            assert _get(f"http://127.0.0.1:{port}/healthz")[0] == 200
            status, body = _get(f"http://127.0.0.1:{port}/readyz")
            assert status == 200, body
            lines = [line for line in output.splitlines() if line.startswith(("Information-system token:", "Open311"))]
            assert len(lines) == 2
            assert (Path(var) / "demo.env").stat().st_mode & 0o777 == 0o600
            time.sleep(3)  # anything the processes would print after the summary has had time to arrive
            assert_the_summary_is_printed_last(Path(log.name).read_text(), port)
            assert_notifications_went_to_their_file(Path(var), output)
            assert f"MQTT (SensorThings): mqtt://127.0.0.1:{mqtt_port}" in output
            assert_live_readings_arrive(port, started)
        finally:
            os.killpg(process.pid, signal.SIGINT) if process.poll() is None else None
            process.wait(timeout=60)
            log.close()
        children = subprocess.run(["pgrep", "-g", str(process.pid)], capture_output=True, text=True).stdout
        assert children.strip() == ""
