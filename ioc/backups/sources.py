"""What a backup copies and where a restore puts it back (R10.1): the databases, uploaded files, the audit anchor.

SQLite files (the main database and the cache's own file, docs/decisions/0002) are copied with SQLite's online
backup API: one consistent snapshot while the system keeps writing (WAL readers never block writers). PostgreSQL is
dumped with `pg_dump` (one snapshot) and restored with `pg_restore` into an empty database.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings

SQLITE = "sqlite"
POSTGRESQL = "postgresql"


class SourceError(Exception):
    """A database cannot be copied or put back (the message says which and why)."""


def engine_of(alias: str) -> str:
    engine = str(settings.DATABASES[alias]["ENGINE"])
    if engine.endswith("sqlite3") or engine == "ioc.common.sqlite":
        return SQLITE
    if engine.endswith("postgresql"):
        return POSTGRESQL
    raise SourceError(f"database {alias!r}: engine {engine} is not supported (SQLite or PostgreSQL)")


def in_memory(alias: str) -> bool:
    name = str(settings.DATABASES[alias]["NAME"])
    return name == ":memory:" or name.startswith("file::memory:") or "mode=memory" in name


def sqlite_path(alias: str) -> Path:
    if in_memory(alias):
        raise SourceError(f"database {alias!r} is in memory: nothing on disk to restore into")
    return Path(str(settings.DATABASES[alias]["NAME"]))


def database_aliases() -> list[str]:
    """The default database, and the cache's own SQLite file where a deployment has one."""
    return [alias for alias in ("default", "cache") if alias in settings.DATABASES]


def snapshot(alias: str, target: Path) -> str:
    """Copy database `alias` into `target` while it runs; returns the engine."""
    engine = engine_of(alias)
    if engine == SQLITE and in_memory(alias):
        _sqlite_snapshot_of_connection(alias, target)
    elif engine == SQLITE:
        _sqlite_snapshot(sqlite_path(alias), target)
    else:
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"], alias)
    return engine


def _sqlite_snapshot(source: Path, target: Path) -> None:
    if not source.exists():
        raise SourceError(f"{source}: the database file does not exist")
    with (
        contextlib.closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=20)) as src,
        contextlib.closing(sqlite3.connect(target)) as dst,
    ):
        src.backup(dst)  # pages=-1: one step, one consistent snapshot
        dst.execute("PRAGMA journal_mode=DELETE")
    with target.open("rb") as handle:
        os.fsync(handle.fileno())


def _sqlite_snapshot_of_connection(alias: str, target: Path) -> None:
    """An in-memory database (a test run's) is serialised by its own live connection (it is in memory already; the
    backup API would wait forever on a connection inside a write transaction)."""
    from django.db import connections

    connection = connections[alias]
    connection.ensure_connection()
    target.write_bytes(connection.connection.serialize())


def _pg_env(alias: str) -> tuple[list[str], dict[str, str]]:
    db: Any = settings.DATABASES[alias]
    args = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args.append(f"{flag}={db[key]}")
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return [*args, f"--dbname={db['NAME']}"], env


def _run(command: list[str], alias: str) -> None:
    if shutil.which(command[0]) is None:
        raise SourceError(f"{command[0]} is not installed (apt-get install postgresql-client)")
    args, env = _pg_env(alias)
    # The command is one of ours (pg_dump/pg_restore) with arguments from the settings: no shell, no user input.
    result = subprocess.run([*command, *args], env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise SourceError(f"{command[0]} failed: {result.stderr.strip()[:2000]}")


# --- restore --------------------------------------------------------------------------------------------------


def occupied(alias: str) -> list[str]:
    """What already exists where database `alias` would be restored (empty: a clean location)."""
    if engine_of(alias) == SQLITE:
        path = sqlite_path(alias)
        return [str(p) for p in (path, Path(f"{path}-wal"), Path(f"{path}-journal")) if p.exists()]
    from django.db import connections

    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()")
        (count,) = cursor.fetchone()
    return [f"{settings.DATABASES[alias]['NAME']} ({count} tables)"] if count else []


def put_back(alias: str, staged: Path) -> None:
    """Restore database `alias` from the staged, verified copy."""
    if engine_of(alias) == SQLITE:
        path = sqlite_path(alias)
        path.parent.mkdir(parents=True, exist_ok=True)
        Path(f"{path}-shm").unlink(missing_ok=True)
        shutil.move(staged, path)
        return
    _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", str(staged)], alias)


@contextlib.contextmanager
def hashed_reader(path: Path, hasher: Any) -> Iterator[Any]:
    """A file object over `path` that feeds every byte read into `hasher`."""
    with path.open("rb") as handle:
        yield _HashingReader(handle, hasher)


class _HashingReader:
    def __init__(self, handle: Any, hasher: Any) -> None:
        self._handle = handle
        self._hasher = hasher

    def read(self, size: int = -1) -> bytes:
        data: bytes = self._handle.read(size)
        self._hasher.update(data)
        return data
