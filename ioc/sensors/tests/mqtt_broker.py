"""A real MQTT broker for the bridge tests: Debian's mosquitto on a free loopback port, with the shipped
`deploy/mosquitto.conf` (its limits) in a temporary directory, as a child process stopped by its own pid.

    with mosquitto_broker() as broker:       # skips (or fails under CI) when mosquitto is missing
        ... broker.host, broker.port ...
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ioc.common.testing import require_component

INSTALL = "sudo bash scripts/system-deps"
SHIPPED = Path(__file__).resolve().parents[3] / "deploy" / "mosquitto.conf"


@dataclass(frozen=True)
class Broker:
    host: str
    port: int


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def broker_config(port: int, auth: tuple[Path, Path] | None = None) -> str:
    """The shipped file with the test's listener; no authentication, or `auth` = (password file, ACL file)."""
    kept = [
        line
        for line in SHIPPED.read_text().splitlines()
        if not line.startswith(("listener", "allow_anonymous", "password_file", "acl_file"))
    ]
    access = ["allow_anonymous true"]
    if auth is not None:
        access = ["allow_anonymous false", f"password_file {auth[0]}", f"acl_file {auth[1]}"]
    if os.geteuid() == 0:  # as root, mosquitto becomes `mosquitto` after reading its config: it could not read ours
        access.append("user root")
    return "\n".join([*kept, f"listener {port} 127.0.0.1", *access, ""])


@contextlib.contextmanager
def mosquitto_broker(auth: tuple[Path, Path] | None = None) -> Iterator[Broker]:
    executable = require_component("/usr/sbin/mosquitto", install=INSTALL)
    port = _free_port()
    with tempfile.TemporaryDirectory() as root:
        config = Path(root) / "mosquitto.conf"
        config.write_text(broker_config(port, auth))
        log = open(Path(root) / "mosquitto.log", "wb")  # noqa: SIM115 - closed below
        process = subprocess.Popen([executable, "-c", str(config)], stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 10
            while True:
                with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("mosquitto did not start: " + (Path(root) / "mosquitto.log").read_text())
                time.sleep(0.05)
            yield Broker("127.0.0.1", port)
        finally:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()
