"""R5.7 (issue 22 "Speed"): on PostgreSQL the topic query reads a stored tsvector column (generated from `folded`)
with its GIN index, in place of the expression index of 0004, so a phrase's recheck reads the stored vector
instead of recomputing it for every candidate (ioc/media_watch/search.py). SQLite's FTS5 index is unchanged.

The reverse leaves the column: it is harmless to the model (Django never names it), and 0004's reverse drops it
with the index."""

from django.db import migrations

from ioc.media_watch import search


def forwards(apps, schema_editor):
    search.column_install(using=schema_editor.connection.alias)


class Migration(migrations.Migration):

    dependencies = [
        ("media_watch", "0004_item_search_index"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False),
    ]
