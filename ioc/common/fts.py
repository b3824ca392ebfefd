"""The life of a text index over one column of a table (R7.1 reports' search, R5.7 media watch's topic query):
on SQLite an FTS5 table with external content (the table keeps the text, the index only its tokens) kept by
three triggers; on PostgreSQL the statements the caller gives (a GIN index, a stored column).

A migration that rebuilds the table on SQLite drops its triggers: `ensure` runs after every `migrate` (the
apps' post-migrate hooks) and puts them back, re-indexing from the table when it had to. The SQL is built from
the index's own constants (table and column names written in the calling module, never input; checked to be
plain identifiers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db import connections, transaction

_NAME = re.compile(r"[a-z_][a-z0-9_]*")


@dataclass(frozen=True)
class TextIndex:
    """One column's index: `tokenize` is the FTS5 tokenizer ("trigram": substrings; "unicode61": words),
    `detail` FTS5's detail option (None: its default), `postgresql_install`/`postgresql_uninstall` the statements
    of the PostgreSQL counterpart (each safe to run twice)."""

    table: str
    column: str
    tokenize: str
    postgresql_install: tuple[str, ...]
    postgresql_uninstall: tuple[str, ...]
    detail: str | None = None

    def __post_init__(self) -> None:
        # The names are written into SQL (FTS5 and trigger statements take no parameters): plain identifiers only.
        for value in (self.table, self.column, self.tokenize, self.detail or "full"):
            if not _NAME.fullmatch(value):
                raise ValueError(f"not a plain SQL name: {value!r}")

    @property
    def fts_table(self) -> str:
        return f"{self.table}_fts"

    @property
    def sqlite_table(self) -> str:
        detail = f", detail='{self.detail}'" if self.detail else ""
        return (
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {self.fts_table} USING fts5("
            f"{self.column}, content='{self.table}', content_rowid='id', tokenize='{self.tokenize}'{detail})"
        )

    @property
    def sqlite_triggers(self) -> dict[str, str]:
        """The triggers by name, as SQLite stores their SQL (`triggers_current` compares the text)."""
        fts, table, column = self.fts_table, self.table, self.column
        # FTS5 takes its own table name as a column: the 'delete' command.
        delete_old = f"INSERT INTO {fts}({fts}, rowid, {column}) VALUES ('delete', old.id, old.{column});"  # noqa: S608
        insert_new = f"INSERT INTO {fts}(rowid, {column}) VALUES (new.id, new.{column});"  # noqa: S608
        return {
            f"{fts}_ai": f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN {insert_new} END",
            f"{fts}_ad": f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN {delete_old} END",
            f"{fts}_au": (
                f"CREATE TRIGGER {fts}_au AFTER UPDATE OF {column} ON {table} "
                f"WHEN old.{column} IS NOT new.{column} BEGIN {delete_old} {insert_new} END"
            ),
        }

    def install(self, *, using: str = "default") -> None:
        """Create the index (and on SQLite its triggers), then index every row; safe to run twice."""
        vendor = connections[using].vendor
        with transaction.atomic(using=using), connections[using].cursor() as cursor:
            if vendor == "postgresql":
                for statement in self.postgresql_install:
                    cursor.execute(statement)
                return
            if vendor != "sqlite":
                return
            cursor.execute(self.sqlite_table)
            for name, sql in self.sqlite_triggers.items():
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
                cursor.execute(sql)
            cursor.execute(f"INSERT INTO {self.fts_table}({self.fts_table}) VALUES ('rebuild')")  # noqa: S608

    def uninstall(self, *, using: str = "default") -> None:
        """Drop the index (a migration's reverse)."""
        vendor = connections[using].vendor
        with connections[using].cursor() as cursor:
            if vendor == "postgresql":
                for statement in self.postgresql_uninstall:
                    cursor.execute(statement)
            elif vendor == "sqlite":
                self._triggers_drop(cursor)
                cursor.execute(f"DROP TABLE IF EXISTS {self.fts_table}")

    def triggers_drop(self, *, using: str = "default") -> None:
        """SQLite: drop the triggers before a bulk load of millions of rows (`install` after rebuilds at once)."""
        if connections[using].vendor == "sqlite":
            with connections[using].cursor() as cursor:
                self._triggers_drop(cursor)

    def _triggers_drop(self, cursor: Any) -> None:
        for name in self.sqlite_triggers:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")

    def triggers_current(self, *, using: str = "default") -> bool:
        """Whether the SQLite index and its triggers exist as written here (always true on other engines)."""
        if connections[using].vendor != "sqlite":
            return True
        with connections[using].cursor() as cursor:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [self.table])
            wanted = self.sqlite_triggers
            found: dict[str, Any] = {name: sql for name, sql in cursor.fetchall() if name in wanted}
            cursor.execute("SELECT COUNT(*) FROM sqlite_master WHERE name = %s", [self.fts_table])
            has_table = bool(cursor.fetchone()[0])
        return has_table and found == wanted

    def ensure(self, *, using: str = "default") -> bool:
        """After every `migrate`: when the SQLite triggers are missing or outdated, write them again and re-index
        every row. Returns whether it had to."""
        if self.triggers_current(using=using):
            return False
        self.install(using=using)
        return True
