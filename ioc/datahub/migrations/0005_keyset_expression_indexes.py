"""PostgreSQL: each published dataset's expression indexes are rebuilt as (value, id), the read API's keyset order
(ioc/datahub/indexes.py). The old (value) index made PostgreSQL sort every row past a filter and scan from the
start of the index to a cursor. SQLite's index entries already end with the row id: nothing to do there.

The records table is shared by every dataset and can hold millions of rows, so the migration does not hold a
transaction: each new index is built CONCURRENTLY under a temporary name (ingest and the sharing API keep working),
then the old one is dropped CONCURRENTLY and the new one takes its name. A run stopped half-way is resumed by running
it again (every statement is IF EXISTS / IF NOT EXISTS, and a leftover temporary index is rebuilt)."""

from typing import Any

from django.db import migrations

from ioc.datahub import indexes
from ioc.datahub.schema import filterable_fields


def _temporary(name: str) -> str:
    return f"{name[:57]}_kroll"


def rebuild(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    dataset_model = apps.get_model("datahub", "Dataset")
    for dataset in dataset_model.objects.filter(status="published").only("pk", "schema"):
        names = [indexes.index_name(dataset, field["name"]) for field in filterable_fields(dataset.schema)]
        statements = indexes.index_statements(dataset, vendor="postgresql")  # one per field, in the same order
        for name, statement in zip(names, statements, strict=True):
            temporary = _temporary(name)
            # An invalid leftover of an interrupted run would satisfy IF NOT EXISTS: drop it first.
            schema_editor.execute(f'DROP INDEX CONCURRENTLY IF EXISTS "{temporary}"')
            schema_editor.execute(
                statement.replace(f'CREATE INDEX IF NOT EXISTS "{name}"', f'CREATE INDEX CONCURRENTLY "{temporary}"', 1)
            )
            schema_editor.execute(f'DROP INDEX CONCURRENTLY IF EXISTS "{name}"')
            schema_editor.execute(f'ALTER INDEX "{temporary}" RENAME TO "{name}"')


class Migration(migrations.Migration):
    atomic = False  # CREATE/DROP INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [("datahub", "0004_submission_file")]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop, elidable=True)]
