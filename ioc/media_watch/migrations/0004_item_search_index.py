"""R5.7 (issue 22 "Speed"): the topic query reads a word index of the folded text — FTS5 on SQLite, a GIN tsvector
index on PostgreSQL (ioc/media_watch/search.py holds the SQL of each engine)."""

from django.db import migrations

from ioc.media_watch import search


def forwards(apps, schema_editor):
    search.install(using=schema_editor.connection.alias)


def backwards(apps, schema_editor):
    search.uninstall(using=schema_editor.connection.alias)


class Migration(migrations.Migration):

    dependencies = [
        ("media_watch", "0003_handling"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
