"""R7.1 (issue 20 "Speed"): the folded text search reads an index — FTS5 (trigram) on SQLite, pg_trgm on
PostgreSQL (ioc/citizen_reports/text_index.py holds the SQL of each engine)."""

from django.db import migrations

from ioc.citizen_reports import text_index


def forwards(apps, schema_editor):
    text_index.install(using=schema_editor.connection.alias)


def backwards(apps, schema_editor):
    text_index.uninstall(using=schema_editor.connection.alias)


class Migration(migrations.Migration):

    dependencies = [
        ("citizen_reports", "0004_report_cell_cover_idx"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
