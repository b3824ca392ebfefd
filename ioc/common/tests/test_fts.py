"""The shared text index's life (ioc/common/fts.py): the names it writes into SQL are plain identifiers, and the
SQL is what the two indexes built on it (citizen reports' trigram search, the media watch's topic query) wrote
before they shared it: SQLite compares the stored trigger text, so a change would re-index every row once."""

from __future__ import annotations

from django.test import SimpleTestCase

from ioc.common.fts import TextIndex

NO_POSTGRESQL: dict[str, tuple[str, ...]] = {"postgresql_install": (), "postgresql_uninstall": ()}


class TextIndexTest(SimpleTestCase):
    def test_names_must_be_plain_identifiers(self):
        for table, column in (("items; DROP TABLE x", "folded"), ("items", "folded)"), ("Items", "folded")):
            with self.subTest(table=table, column=column), self.assertRaises(ValueError):
                TextIndex(table=table, column=column, tokenize="trigram", **NO_POSTGRESQL)

    def test_the_sql_of_both_indexes(self):
        self.assertEqual(
            TextIndex(
                table="media_watch_item", column="folded", tokenize="unicode61", detail="full", **NO_POSTGRESQL
            ).sqlite_table,
            "CREATE VIRTUAL TABLE IF NOT EXISTS media_watch_item_fts USING fts5(folded, content='media_watch_item', "
            "content_rowid='id', tokenize='unicode61', detail='full')",
        )
        self.assertEqual(
            TextIndex(
                table="citizen_reports_report", column="search_text", tokenize="trigram", **NO_POSTGRESQL
            ).sqlite_triggers["citizen_reports_report_fts_au"],
            "CREATE TRIGGER citizen_reports_report_fts_au AFTER UPDATE OF search_text ON citizen_reports_report "
            "WHEN old.search_text IS NOT new.search_text BEGIN "
            "INSERT INTO citizen_reports_report_fts(citizen_reports_report_fts, rowid, search_text) "
            "VALUES ('delete', old.id, old.search_text); "
            "INSERT INTO citizen_reports_report_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
        )
