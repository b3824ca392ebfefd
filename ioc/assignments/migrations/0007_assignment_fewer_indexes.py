# Issue 12 "Speed", docs/decisions/0017: the escalation drain on PostgreSQL writes an entry in every index of the
# assignments' table per step (its UPDATE changes the indexed next_escalation_at, so none is HOT). Four of the
# eleven are dropped:
# - process and agency_id: each leads a composite index (assign_subject_idx, assign_inbox_idx) that serves every
#   look-up by it alone, the PROTECT collector of an agency's deletion included;
# - forwarded_by_id and handled_by_id: no query reads the work by who forwarded or handled it (their only reader
#   would be the delete collector of a user, and users are deactivated, never deleted).
# Dropped by name (the same on SQLite and PostgreSQL), not by AlterField: on SQLite that copies the whole table
# (ioc.common.migration_ops.index_drop).
# PostgreSQL also had process's pattern index (`…_like`, varchar_pattern_ops, for LIKE 'x%'): nothing matches
# process by pattern.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from ioc.common.migration_ops import index_drop

TABLE = "assignments_assignment"
DROPPED = {
    "assignments_assignment_process_cf4cf4dc": "process",
    "assignments_assignment_agency_id_9efe3bf7": "agency_id",
    "assignments_assignment_forwarded_by_id_0c8422f3": "forwarded_by_id",
    "assignments_assignment_handled_by_id_5286ed53": "handled_by_id",
}
PATTERN_INDEX = "assignments_assignment_process_cf4cf4dc_like"


def drop_pattern_index(apps: object, schema_editor: BaseDatabaseSchemaEditor) -> None:
    schema_editor.execute(f'DROP INDEX IF EXISTS "{PATTERN_INDEX}"')


def create_pattern_index(apps: object, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{PATTERN_INDEX}" ON "{TABLE}" ("process" varchar_pattern_ops)'
        )


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0001_initial"),
        ("assignments", "0006_escalation_write_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="assignment",
                    name="agency",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="assignments",
                        to="agencies.agency",
                    ),
                ),
                migrations.AlterField(
                    model_name="assignment",
                    name="forwarded_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="assignment",
                    name="handled_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="assignment",
                    name="process",
                    field=models.CharField(max_length=40, verbose_name="quy trình"),
                ),
            ],
            database_operations=[index_drop(name, table=TABLE, column=column) for name, column in DROPPED.items()]
            + [migrations.RunPython(drop_pattern_index, create_pattern_index)],
        ),
    ]
