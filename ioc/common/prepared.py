"""Prepared statements on PostgreSQL for the public hot paths (docs/decisions/0006, issue 16 item 6).

`prepared_cursor(alias)` is a cursor whose statements PostgreSQL parses and plans once per connection: psycopg's
server-binding cursor with preparation on (`prepare_threshold = 0`), planned generically (`plan_cache_mode`, set on
every connection by config/settings.py). Django's own cursors bind on the client and are never prepared. The public
report page (`citizen_reports.public_rows`) and the Open311 write (the report, its event, contact, outbox row and
audit entries: `ioc.common.bulk.insert_returning(prepared=True)`) run the same few statements on every request.

On SQLite, or with `IOC_PREPARED_PUBLIC_ROWS=0` (behind a transaction-mode pooler that cannot keep prepared
statements), it is Django's ordinary cursor. Statements given to it must have a fixed text (a varying number of
rows or of `IN` items would fill psycopg's cache of prepared statements: keep those on ordinary cursors).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db import connections


def prepared_enabled(alias: str) -> bool:
    """Whether `prepared_cursor(alias)` prepares (PostgreSQL, the setting on)."""
    return connections[alias].vendor == "postgresql" and bool(getattr(settings, "IOC_PREPARED_PUBLIC_ROWS", True))


@contextlib.contextmanager
def prepared_cursor(alias: str) -> Iterator[Any]:
    """A cursor of `alias`'s connection (inside its current transaction, if any) that prepares its statements on
    PostgreSQL; Django's cursor elsewhere. `cursor.cursor` is the driver's cursor (psycopg's, to register loaders)."""
    connection = connections[alias]
    if not prepared_enabled(alias):
        with connection.cursor() as cursor:
            yield cursor
        return
    from django.db.backends.postgresql.base import ServerBindingCursor

    connection.ensure_connection()
    raw = connection.connection
    raw.prepare_threshold = 0  # Django opens connections with preparation off; its own cursors never prepare
    cursor_class: Any = ServerBindingCursor  # psycopg's server-binding cursor with Django's mixin
    server = cursor_class(raw)
    wrapped = _debug_cursor(server, connection) if connection.queries_logged else connection.make_cursor(server)
    with wrapped as cursor:
        yield cursor


def _debug_cursor(server: Any, connection: Any) -> Any:
    """Django's debug cursor (DEBUG, a test's query capture) that records each statement's text: psycopg keeps none
    for a prepared statement, so Django's `last_executed_query` records None, and a reader of `connection.queries`
    (a test checking which tables a request reads) would find no SQL. The text recorded is the statement with its
    `%s` placeholders."""
    from django.db.backends.postgresql.base import CursorDebugWrapper

    class PreparedDebugCursor(CursorDebugWrapper):  # type: ignore[misc,valid-type]
        def execute(self, sql: Any, params: Any = None) -> Any:
            try:
                return super().execute(sql, params)
            finally:
                _name_last(self.db, sql)

        def executemany(self, sql: Any, param_list: Any) -> Any:
            try:
                return super().executemany(sql, param_list)
            finally:
                _name_last(self.db, sql)

    return PreparedDebugCursor(server, connection)


def _name_last(connection: Any, sql: Any) -> None:
    log = connection.queries_log
    if log and log[-1].get("sql") is None:
        log[-1]["sql"] = str(sql)
