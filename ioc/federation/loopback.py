"""Two deployments on loopback (R9.3 "It must show"; the benchmark, the crash test, the demo's parent): each with its
own database and processes under a directory of its own, production settings (DEBUG=0), the parent's address
allow-listed for the outbound client. Pure process orchestration: nothing here imports Django.

The database is migrated once into a template and copied for each deployment (a migration takes a minute here).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable
GUNICORN = str(Path(PYTHON).parent / "gunicorn")
SECRET = "loopback-demo-shared-secret-" + "k" * 24
DB_FILES = ("ioc.sqlite3", "cache.sqlite3")


def free_port() -> int:
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def base_env(var: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL")}
    for key in ("SECRET_KEY", "AUDIT_KEY", "TOKEN_HMAC_KEY", "FIELD_ENCRYPTION_KEY"):
        env.setdefault(key, f"loopback-{key.lower()}-" + "l" * 40)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "IOC_VAR_DIR": str(var),
            "IOC_TLS": "0",
            "DEBUG": "0",
            "LOG_LEVEL": "WARNING",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "OUTBOUND_ALLOWED_CIDRS": "127.0.0.0/8",
            "NOTIFICATIONS_TRANSPORTS": "console",
            "HUEY_IMMEDIATE": "0",
            "PYTHONUNBUFFERED": "1",
            **extra,
        }
    )
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    return env


def manage(env: dict[str, str], *args: str, timeout: float = 600) -> str:
    done = subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    return done.stdout


def template(root: Path) -> Path:
    """A migrated database (and cache table) to copy for each deployment."""
    var = root / "template"
    if (var / "ioc.sqlite3").exists():
        return var
    var.mkdir(parents=True, exist_ok=True)
    env = base_env(var)
    manage(env, "migrate", "--noinput", timeout=900)
    manage(env, "createcachetable")
    manage(env, "createcachetable", "--database", "cache")
    for name in DB_FILES:
        path = var / name
        if path.exists():
            with contextlib.closing(sqlite3.connect(path)) as conn:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return var


@dataclass
class Deployment:
    """One center: its directory, database, web port and processes (each in a process group of its own)."""

    name: str
    root: Path
    port: int = field(default_factory=free_port)
    env_extra: dict[str, str] = field(default_factory=dict)
    web: subprocess.Popen[bytes] | None = None
    sender: subprocess.Popen[bytes] | None = None

    @property
    def var(self) -> Path:
        return self.root / self.name

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        return base_env(self.var, PORT=str(self.port), **self.env_extra)

    def create(self, source: Path) -> None:
        self.var.mkdir(parents=True, exist_ok=True)
        for name in DB_FILES:
            if (source / name).exists():
                shutil.copyfile(source / name, self.var / name)

    def manage(self, *args: str) -> str:
        return manage(self.env(), *args)

    def _spawn(self, argv: list[str], log: str) -> subprocess.Popen[bytes]:
        out = (self.var / log).open("ab")
        return subprocess.Popen(  # noqa: S603 - our own processes with fixed arguments
            argv, cwd=ROOT, env=self.env(), stdout=out, stderr=out, start_new_session=True
        )

    def start_web(self, workers: int = 2) -> None:
        env_argv = [GUNICORN, "config.wsgi:application", "-c", "config/gunicorn.py", "-w", str(workers)]
        self.web = self._spawn(env_argv, "web.log")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), urllib.request.urlopen(self.url + "/healthz", timeout=2) as answer:  # noqa: S310
                if answer.status == 200:
                    return
            time.sleep(0.3)
        raise RuntimeError(f"{self.name}: gunicorn did not answer /healthz (see {self.var / 'web.log'})")

    def start_sender(self) -> None:
        self.sender = self._spawn([PYTHON, "manage.py", "federation_send", "--loop", "--pause", "0.2"], "sender.log")

    @staticmethod
    def _kill(process: subprocess.Popen[bytes] | None, sig: int = signal.SIGKILL) -> None:
        if process is not None and process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, sig)
            process.wait(timeout=30)

    def stop_web(self) -> None:
        self._kill(self.web, signal.SIGTERM)
        self.web = None

    def kill_sender(self) -> None:
        self._kill(self.sender)
        self.sender = None

    def stop(self) -> None:
        self.kill_sender()
        self.stop_web()


def pair(root: Path, *, sender_env: dict[str, str] | None = None) -> tuple[Deployment, Deployment]:
    """A parent and a child on loopback, linked both ways with one key (the child's link `tinh`, the parent's
    link `huyen`), agreeing on the daily citizen-report summaries."""
    source = template(root)
    parent = Deployment("parent", root)
    child = Deployment("child", root, env_extra=sender_env or {})
    for deployment in (parent, child):
        deployment.create(source)
    common = ["--key-id", "loopback-1", "--secret", SECRET, "--flows", "citizen_reports.daily"]
    parent.manage("federation_loopback", "setup", "--code", "huyen", "--role", "child", *common)
    child.manage("federation_loopback", "setup", "--code", "tinh", "--role", "parent", "--url", parent.url, *common)
    return parent, child


def say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


PARENT_FLOWS = "citizen_reports.daily,incidents.daily,incidents.escalated,indicators.value,directive"


def run_parent(*, port: int, directory: Path, child_url: str, profile: str = "loc-ninh") -> None:
    """The demo's provincial center: its own database under `directory` (the profile's units and indicator
    catalogue, loaded once), a link to the district center at `child_url` with the demo's key, then gunicorn on
    `port` in the foreground until Ctrl-C."""
    directory.mkdir(parents=True, exist_ok=True)
    parent = Deployment("parent", directory, port=port)
    if not (parent.var / "ioc.sqlite3").exists():
        say(f"[parent] first run: migrating a new database under {parent.var} (about a minute)")
        parent.create(template(directory))
    marker = parent.var / ".loaded"
    if not marker.exists():
        say(f"[parent] loading the {profile} units and indicator catalogue")
        parent.env_extra["IOC_PROFILE"] = profile
        parent.manage("demo_load", "--profile", profile, "--only", "demo", "--only", "indicators")
        marker.write_text("ok\n")
    parent.env_extra["IOC_PROFILE"] = profile
    common = ["--key-id", f"{profile}-tinh", "--secret", SECRET, "--flows", PARENT_FLOWS]
    parent.manage("federation_loopback", "setup", "--code", profile, "--role", "child", "--url", child_url, *common)
    parent.start_web()
    say(f"[parent] provincial center on {parent.url}/lien-thong/ (Ctrl-C stops it)")
    try:
        while parent.web is not None and parent.web.poll() is None:
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        parent.stop()


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Trung tâm cấp tỉnh chạy thử / The demo's provincial center")
    parser.add_argument("command", choices=["parent"])
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--dir", default=str(ROOT / "var" / "federation-parent"))
    parser.add_argument("--child-url", default="http://127.0.0.1:8000")
    parser.add_argument("--profile", default="loc-ninh")
    args = parser.parse_args(argv)
    run_parent(port=args.port, directory=Path(args.dir), child_url=args.child_url, profile=args.profile)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
