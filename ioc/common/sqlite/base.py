"""Django's SQLite backend with write transactions queued on a file lock (docs/decisions/0003).

SQLite lets one writer in at a time. A connection that finds the write lock taken sleeps in SQLite's busy handler
(1, 2, 5, 10 … up to 100 ms between tries), so under a burst of writes the lock often sits free while the waiters
sleep: throughput falls and the slowest requests wait seconds. Here every write transaction (`BEGIN IMMEDIATE`,
i.e. every `transaction.atomic()` block) first takes an exclusive `flock` on `<database>-writelock`. The kernel
wakes the next waiter the moment the holder commits or rolls back, across threads and processes alike (each
connection opens the lock file itself: flock locks belong to an open file, not to a process).

Writes outside a transaction (autocommit) and in-memory databases (tests) keep SQLite's own locking. Use it as
ENGINE `ioc.common.sqlite` with `OPTIONS["transaction_mode"] = "IMMEDIATE"`.
"""

from __future__ import annotations

import fcntl
import os
from typing import Any

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._write_lock_fd: int | None = None
        self._write_lock_held = False

    def _write_lock_path(self) -> str | None:
        if self.is_in_memory_db():
            return None
        return f"{self.settings_dict['NAME']}-writelock"

    def _write_lock_acquire(self) -> None:
        path = self._write_lock_path()
        if path is None or self._write_lock_held:
            return
        if self._write_lock_fd is None:
            self._write_lock_fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        fcntl.flock(self._write_lock_fd, fcntl.LOCK_EX)  # waits in the kernel, woken at the holder's release
        self._write_lock_held = True

    def _write_lock_release(self) -> None:
        if self._write_lock_held and self._write_lock_fd is not None:
            fcntl.flock(self._write_lock_fd, fcntl.LOCK_UN)
        self._write_lock_held = False

    def _start_transaction_under_autocommit(self) -> None:
        self._write_lock_acquire()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._write_lock_release()
            raise

    def _commit(self) -> Any:
        try:
            return super()._commit()  # type: ignore[misc]
        finally:
            self._write_lock_release()

    def _rollback(self) -> Any:
        try:
            return super()._rollback()  # type: ignore[misc]
        finally:
            self._write_lock_release()

    def _close(self) -> Any:
        try:
            return super()._close()  # type: ignore[misc]
        finally:
            self._write_lock_release()
            if self._write_lock_fd is not None:
                os.close(self._write_lock_fd)
                self._write_lock_fd = None
