"""gunicorn settings for `make demo` and production (DESIGN "Stack": gthread workers, WEB_CONCURRENCY).

    gunicorn config.wsgi:application -c config/gunicorn.py

Environment: PORT (8000), GUNICORN_BIND (overrides 127.0.0.1:PORT), WEB_CONCURRENCY (2 × cores),
GUNICORN_THREADS (4), PROMETHEUS_MULTIPROC_DIR (per-process metric files, merged by /metrics).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


bind = os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{_int('PORT', 8000)}"
workers = _int("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1))
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 4)
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so a slow leak never becomes an outage (R10.1).
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms rid=%({x-request-id}o)s'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "ioc-web"


def _multiproc_dir() -> Path | None:
    value = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
    return Path(value) if value else None


def on_starting(server: Any) -> None:
    """A fresh master starts with no metric files of dead processes (prometheus_client multiprocess mode)."""
    directory = _multiproc_dir()
    if directory is None:
        return
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):
        stale.unlink()


def child_exit(server: Any, worker: Any) -> None:
    """Mark a dead worker's gauges (prometheus_client multiprocess mode)."""
    if _multiproc_dir() is None:
        return
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]
