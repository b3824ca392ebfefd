"""Issue 20 "Speed": a small per-process memo for the map's reads that do not depend on the request — a wide view's
tile counts (`ioc.maps.cells`), the population figures and the communes' shapes (`ioc.maps.population`) — kept
`MAPS_CACHE_SECONDS` (setting; 0 turns it off, as the test settings do: the data would outlive each test)."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.conf import settings

T = TypeVar("T")
ENTRIES = 512

_memo: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
_lock = threading.Lock()


def memo_seconds() -> float:
    return float(getattr(settings, "MAPS_CACHE_SECONDS", 30))


def memo_clear() -> None:
    with _lock:
        _memo.clear()


def memoised(key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`, or its value of less than `MAPS_CACHE_SECONDS` ago under `key` (the least recently used of more
    than ENTRIES keys are dropped). Two threads missing together both compute; the last one's value stays."""
    ttl = memo_seconds()
    if ttl <= 0:
        return compute()
    now = time.monotonic()
    with _lock:
        hit = _memo.get(key)
        if hit is not None and hit[0] > now:
            _memo.move_to_end(key)
            return hit[1]  # type: ignore[no-any-return]
    value = compute()
    with _lock:
        _memo[key] = (now + ttl, value)
        _memo.move_to_end(key)
        while len(_memo) > ENTRIES:
            _memo.popitem(last=False)
    return value
