"""`scripts/demo` end to end: it answers on the port, /readyz is green, and a signal stops every child.

Slow (migrates a fresh SQLite database and starts gunicorn, Huey and the sealer): run by `make test-slow`.
"""

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


@pytest.mark.slow
def test_it_runs_the_demo_and_stops_every_child_on_a_signal():
    port = _free_port()
    with tempfile.TemporaryDirectory() as var:
        env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "IOC_VAR_DIR")}
        env["IOC_VAR_DIR"] = var
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
            while "ready in" not in Path(log.name).read_text() and time.monotonic() < deadline:
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
        finally:
            os.killpg(process.pid, signal.SIGINT) if process.poll() is None else None
            process.wait(timeout=60)
            log.close()
        children = subprocess.run(["pgrep", "-g", str(process.pid)], capture_output=True, text=True).stdout
        assert children.strip() == ""
