"""Issue 20 "Speed" on PostgreSQL: `reports_cell_cover_idx` INCLUDE (id), so the map's counts, a circle's ring and
the selection's members are index-only scans there (a PostgreSQL index entry holds no primary key; SQLite's holds the
rowid, and SQLite ignores INCLUDE). Only PostgreSQL's index is rebuilt: SQLite's stays as it is, the same index."""

from django.db import migrations, models

FIELDS = ["grid_cell", "status", "category", "agency", "lat", "lon", "received_at"]
OLD = models.Index(fields=FIELDS, name="reports_cell_cover_idx")
NEW = models.Index(fields=FIELDS, include=["id"], name="reports_cell_cover_idx")


def _swap(apps, schema_editor, drop, create):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite: INCLUDE is ignored, the index would be rebuilt identical
    report = apps.get_model("citizen_reports", "Report")
    schema_editor.remove_index(report, drop)
    schema_editor.add_index(report, create)


def include_id(apps, schema_editor):
    _swap(apps, schema_editor, OLD, NEW)


def exclude_id(apps, schema_editor):
    _swap(apps, schema_editor, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("citizen_reports", "0006_work_queue_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveIndex(model_name="report", name="reports_cell_cover_idx"),
                migrations.AddIndex(model_name="report", index=NEW),
            ],
            database_operations=[migrations.RunPython(include_id, exclude_id)],
        ),
    ]
