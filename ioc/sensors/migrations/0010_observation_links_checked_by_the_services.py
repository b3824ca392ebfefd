"""docs/decisions/0014: no database foreign key from observations to their Datastream and FeatureOfInterest (a
trigger per inserted row, a third of a `CreateObservations` row's CPU on PostgreSQL); the services check both once
per request or batch (`observation_parents_missing`) and deletions cascade in Python after locking what they delete.

On PostgreSQL the two constraints are dropped by the names the database reports. On SQLite they stay in the table's
definition until the table is next rebuilt: dropping one there copies every observation (as 0009 notes), and the
SQLite figures already meet the issue's targets; the services' checks hold on both."""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models

from ioc.common.migration_ops import Constraint, constraints_where

LINKS = {"datastream_id": "sensors_datastream", "feature_of_interest_id": "sensors_featureofinterest"}


def _foreign_keys(schema_editor: Any) -> dict[str, str]:
    """Each foreign key constraint of the two links, by its column."""

    def link(info: Constraint) -> bool:
        return bool(info["foreign_key"] and len(info["columns"]) == 1 and info["columns"][0] in LINKS)

    found = constraints_where(schema_editor, "sensors_observation", link)
    return {info["columns"][0]: name for name, info in found.items()}


def drop_foreign_keys(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in _foreign_keys(schema_editor).values():
        schema_editor.execute(f"ALTER TABLE sensors_observation DROP CONSTRAINT {schema_editor.quote_name(name)}")


def add_foreign_keys(apps: Any, schema_editor: Any) -> None:
    """Back: each constraint added NOT VALID (new rows checked at once, no long lock over the table), then validated
    as its own step, which reads every row under a lock that lets writes go on. Rows whose Datastream or
    FeatureOfInterest is gone (possible without the keys, if a deletion bypassed the services) make the validation
    fail by name: delete them first."""
    if schema_editor.connection.vendor != "postgresql":
        return
    present = _foreign_keys(schema_editor)
    for column, table in LINKS.items():
        if column not in present:
            name = f"sensors_observation_{column}_fk"
            schema_editor.execute(
                f"ALTER TABLE sensors_observation ADD CONSTRAINT {name} "
                f"FOREIGN KEY ({column}) REFERENCES {table} (id) DEFERRABLE INITIALLY DEFERRED NOT VALID"
            )
            schema_editor.execute(f"ALTER TABLE sensors_observation VALIDATE CONSTRAINT {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("sensors", "0009_observation_datastream_one_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(drop_foreign_keys, add_foreign_keys)],
            state_operations=[
                migrations.AlterField(
                    model_name="observation",
                    name="datastream",
                    field=models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="observations",
                        to="sensors.datastream",
                    ),
                ),
                migrations.AlterField(
                    model_name="observation",
                    name="feature_of_interest",
                    field=models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="observations",
                        to="sensors.featureofinterest",
                    ),
                ),
            ],
        ),
    ]
