"""Issue 11 "Speed": the observations' single-column index on `datastream_id` (the foreign key's own) duplicates the
leading column of `sensors_obs_ds_time` (datastream, phenomenon_time), which serves every look-up by Datastream;
each new observation paid for both. The index is dropped by name as the database reports it (no table rebuild on
SQLite, where `AlterField` would copy every observation), and the field says `db_index=False`."""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models

from ioc.common.migration_ops import Constraint, constraints_where


def _single_datastream(info: Constraint) -> bool:
    plain = info["index"] and not info["primary_key"] and not info["unique"]
    return bool(plain and info["columns"] == ["datastream_id"])


def _single_datastream_indexes(schema_editor: Any) -> list[str]:
    return list(constraints_where(schema_editor, "sensors_observation", _single_datastream))


def drop_single_index(apps: Any, schema_editor: Any) -> None:
    for name in _single_datastream_indexes(schema_editor):
        schema_editor.execute(f"DROP INDEX {schema_editor.quote_name(name)}")


def create_single_index(apps: Any, schema_editor: Any) -> None:
    if not _single_datastream_indexes(schema_editor):
        schema_editor.execute(
            "CREATE INDEX sensors_observation_datastream_id_single ON sensors_observation (datastream_id)"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("sensors", "0008_alertrule_area"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(drop_single_index, create_single_index)],
            state_operations=[
                migrations.AlterField(
                    model_name="observation",
                    name="datastream",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="observations",
                        to="sensors.datastream",
                    ),
                ),
            ],
        ),
    ]
