"""The schema-migration helpers of `ioc.common.migration_ops`: what `index_drop` emits is what the migrations that
call it ran when they were written (its text must not drift), and `constraints_where` finds an index by what it
covers, under whatever name the database gave it."""

from types import SimpleNamespace

from django.db import connection
from django.test import SimpleTestCase, TestCase

from ioc.common.migration_ops import constraints_where, index_drop


class IndexDropTest(SimpleTestCase):
    def test_it_drops_by_name_and_creates_the_same_index_back(self) -> None:
        operation = index_drop("t_col_idx", table="t", column="col")
        self.assertEqual(operation.sql, 'DROP INDEX IF EXISTS "t_col_idx"')
        self.assertEqual(operation.reverse_sql, 'CREATE INDEX IF NOT EXISTS "t_col_idx" ON "t" ("col")')
        self.assertTrue(operation.reversible)


class ConstraintsWhereTest(TestCase):
    def test_it_finds_an_index_by_its_columns_and_nothing_else(self) -> None:
        editor = SimpleNamespace(connection=connection)  # the helper reads only the editor's connection
        found = constraints_where(editor, "django_session", lambda info: info["columns"] == ["expire_date"])
        self.assertEqual(len(found), 1, found)
        [(name, info)] = found.items()
        self.assertTrue(info["index"])
        self.assertIn("expire_date", name)
        self.assertEqual(constraints_where(editor, "django_session", lambda info: False), {})
