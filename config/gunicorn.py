"""gunicorn settings for `make demo` and production (DESIGN "Stack": gthread workers, WEB_CONCURRENCY).

    gunicorn config.wsgi:application -c config/gunicorn.py

Environment: PORT (8000), GUNICORN_BIND (overrides 127.0.0.1:PORT), WEB_CONCURRENCY (2 × cores),
GUNICORN_THREADS (2), GUNICORN_KEEPALIVE (0 seconds), GUNICORN_SWITCH_INTERVAL_US (500), PROMETHEUS_MULTIPROC_DIR
(per-process metric files, merged by /metrics). The thread count, keep-alive and switch interval were measured
(docs/benchmarks.md, "Server settings"; docs/decisions/0004-web-server-settings.md).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


bind = os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{_int('PORT', 8000)}"
workers = _int("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1))
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 2)
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = 20
# A kept-alive connection stays with the worker process that accepted it, so a few busy clients can load one
# process while another idles; closing after each response lets every request go to a free worker. Behind a
# reverse proxy (production) nothing is lost: nginx speaks HTTP/1.0 to its upstream unless told otherwise.
keepalive = _int("GUNICORN_KEEPALIVE", 0)
# A worker takes no more connections than it has threads: a busy worker leaves new requests to an idle one instead
# of queueing them behind its own (gthread's default, 1,000, queues them: the slowest requests waited seconds).
worker_connections = threads
# Recycle workers now and then so a slow leak never becomes an outage (R10.1); not too often: a restarting worker
# spends a second of CPU starting Django while its queued requests wait (at 2,000 the benchmark's workers
# restarted every ~20 s, which alone gave seconds-long slowest requests).
max_requests = _int("GUNICORN_MAX_REQUESTS", 50_000)
max_requests_jitter = max_requests // 10
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms rid=%({x-request-id}o)s'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "ioc-web"


def post_worker_init(worker: Any) -> None:
    """A thread that waits for the GIL asks for it after the switch interval (5 ms by default). A request holding
    SQLite's write lock gives the GIL up at every statement and may then wait that long to get it back while the
    lock stays taken: a shorter interval keeps write transactions short under load."""
    sys.setswitchinterval(_int("GUNICORN_SWITCH_INTERVAL_US", 500) / 1_000_000)


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
