"""Reference data kept per process, dropped everywhere when it changes (hot paths: a category by its code…).

    CATEGORIES = RefCache("citizen_reports.categories")
    category = CATEGORIES.get(code, lambda: Category.objects.filter(code=code, is_active=True).first())
    # the service that changes a category: CATEGORIES.changed()

Each process keeps what it loaded and compares a version number in the shared cache at most every
`recheck_seconds` (one cache read); `changed()` drops this process's copy at once and bumps the version when the
caller's transaction commits, so every other process reloads within `recheck_seconds`. Only for data that may lag
that long (categories, information systems): never permissions, tokens or anything a user is refused by.
Values are shared between threads: callers read them, never change them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.core.cache import cache
from django.db import DatabaseError, transaction

V = TypeVar("V")
RECHECK_SECONDS = 5.0
_ALL: list[RefCache[Any]] = []


@dataclass
class _Copy(Generic[V]):
    version: int
    checked: float
    values: dict[Hashable, V] = field(default_factory=dict)


class RefCache(Generic[V]):
    """One kind of reference data, by key."""

    def __init__(self, name: str, *, recheck_seconds: float = RECHECK_SECONDS) -> None:
        self.name = name
        self.version_key = f"refcache:{name}:version"
        self.recheck_seconds = recheck_seconds
        self._lock = threading.Lock()
        self._copy: _Copy[V] | None = None
        _ALL.append(self)

    def get(self, key: Hashable, load: Callable[[], V]) -> V:
        """The value of `key`, loaded by `load()` the first time this process needs it since the last change."""
        copy = self._current()
        if key in copy.values:
            return copy.values[key]
        value = load()
        with self._lock:
            if self._copy is copy:  # a change in the meantime drops what was loaded before it
                copy.values = {**copy.values, key: value}
        return value

    def changed(self) -> None:
        """Call from the service that changed the data, inside its transaction."""
        self.forget()
        transaction.on_commit(self._bump)

    def forget(self) -> None:
        """Drop this process's copy (the next `get` loads again)."""
        with self._lock:
            self._copy = None

    def _current(self) -> _Copy[V]:
        copy = self._copy
        now = time.monotonic()
        if copy is not None and now - copy.checked < self.recheck_seconds:
            return copy
        version = self._shared_version()
        with self._lock:
            if self._copy is None or self._copy.version != version:
                self._copy = _Copy(version=version, checked=now)
            else:
                self._copy.checked = now
            return self._copy

    def _shared_version(self) -> int:
        try:
            return int(cache.get(self.version_key, 0))
        except DatabaseError:  # no cache table yet (a fresh database): nothing to compare with
            return 0

    def _bump(self) -> None:
        self.forget()
        try:
            if not cache.add(self.version_key, 1, timeout=None):
                cache.incr(self.version_key)
        except (DatabaseError, ValueError):
            pass


def forget_all() -> None:
    """Every RefCache of this process drops its copy (tests: each test has its own reference data)."""
    for ref in _ALL:
        ref.forget()
