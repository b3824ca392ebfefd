"""Several MQTT bridges from one command (R5.5, issue 11 "Speed": `mqtt_bridge --workers N`): N child processes
forked after Django's set-up, each running `target(k)` for k = 1…N; one that dies is started again after
`restart_after` seconds; SIGTERM or SIGINT to the parent stops them all (SIGTERM to each, then SIGKILL after
`grace` seconds).
"""

from __future__ import annotations

import multiprocessing
import signal
import threading
from collections.abc import Callable
from multiprocessing.process import BaseProcess

from django.db import connections


def _start(target: Callable[[int], None], k: int) -> BaseProcess:
    connections.close_all()  # a forked child must not share the parent's database connection
    process = multiprocessing.get_context("fork").Process(target=target, args=(k,), name=f"mqtt-bridge-{k}")
    process.start()
    return process


def _stop(children: dict[int, BaseProcess], grace: float) -> None:
    for process in children.values():
        if process.is_alive():
            process.terminate()
    for process in children.values():
        process.join(grace)
        if process.is_alive():
            process.kill()
            process.join()


def supervise(
    *,
    count: int,
    target: Callable[[int], None],
    stop: threading.Event | None = None,
    restart_after: float = 1.0,
    grace: float = 30.0,
) -> dict[int, int]:
    """Run `count` children until `stop` is set (by SIGTERM or SIGINT when not given); returns the restarts made
    per child."""
    own = stop is None
    stop = stop or threading.Event()
    previous = {}
    if own:
        previous = {sig: signal.signal(sig, lambda *_a: stop.set()) for sig in (signal.SIGTERM, signal.SIGINT)}
    children = {k: _start(target, k) for k in range(1, count + 1)}
    restarts = dict.fromkeys(children, 0)
    try:
        while not stop.wait(0.2):
            for k, process in list(children.items()):
                if process.exitcode is not None and not stop.wait(restart_after):
                    children[k] = _start(target, k)
                    restarts[k] += 1
    finally:
        _stop(children, grace)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return restarts
