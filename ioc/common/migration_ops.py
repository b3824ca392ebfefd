"""Schema-migration helpers for dropping an index or a constraint by the name the database gives it, and putting it
back on the way down (issue 11 and 12 "Speed", docs/decisions/0013 and 0014).

A field's `db_index=False` or `db_constraint=False` written as `AlterField` copies the whole table on SQLite (every
observation, every timeline line) to drop one index. The migrations that only drop one therefore pair an
`AlterField` in `state_operations` with these `database_operations`. They are migration helpers like
`ioc.assignments.migration_ops`: plain SQL and the schema editor's introspection, never today's models (a migration
runs against the tables of its day; `test_migrations_historical` checks this module too). What they emit must not
change once a migration calls them: a new need gets a new helper.
"""

from collections.abc import Callable
from typing import Any

from django.db import migrations


def index_drop(name: str, *, table: str, column: str) -> migrations.RunSQL:
    """Drop the one-column index `name` of `table` (the same name on SQLite and PostgreSQL: Django's own name for a
    field's index); back, create it again on `column`. Either way a missing or present index is no error."""
    return migrations.RunSQL(
        f'DROP INDEX IF EXISTS "{name}"',
        f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ("{column}")',
    )


Constraint = dict[str, Any]  # the introspection's description: "columns", "index", "unique", "foreign_key"…


def constraints_where(schema_editor: Any, table: str, keep: Callable[[Constraint], bool]) -> dict[str, Constraint]:
    """The constraints and indexes of `table` that `keep` accepts, by the name the database reports (which differs
    by engine and by the Django version that made them, so a migration finds them rather than naming them)."""
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return {name: info for name, info in constraints.items() if keep(info)}
