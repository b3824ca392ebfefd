"""PostgreSQL: each published dataset's expression indexes are rebuilt as (value, id), the read API's keyset order
(ioc/datahub/indexes.py). The old (value) index made PostgreSQL sort every row past a filter and scan from the
start of the index to a cursor. SQLite's index entries already end with the row id: nothing to do there."""

from typing import Any

from django.db import migrations

from ioc.datahub import indexes
from ioc.datahub.schema import filterable_fields


def rebuild(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    dataset_model = apps.get_model("datahub", "Dataset")
    for dataset in dataset_model.objects.filter(status="published").only("pk", "schema"):
        for field in filterable_fields(dataset.schema):
            schema_editor.execute(f'DROP INDEX IF EXISTS "{indexes.index_name(dataset, field["name"])}"')
        for statement in indexes.index_statements(dataset, vendor="postgresql"):
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("datahub", "0004_submission_file")]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop, elidable=True)]
