"""The SQLite backend queues write transactions on a file lock (ioc/common/sqlite, docs/decisions/0003).

Each test drives its own connections to a database file (ConnectionHandler): what `transaction.atomic()` does on
entry (`_start_transaction_under_autocommit`) and on exit (`commit` / `rollback`)."""

import fcntl
import os
import tempfile
import threading
from pathlib import Path

import pytest
from django.db.utils import ConnectionHandler
from django.test import SimpleTestCase

ALIAS = "writelock_test"  # not a configured alias: these connections are the test's own


def handler(path: Path | str) -> ConnectionHandler:
    options = {"transaction_mode": "IMMEDIATE", "timeout": 20}
    configured = {"ENGINE": "ioc.common.sqlite", "NAME": str(path), "OPTIONS": options}
    return ConnectionHandler({"default": {"ENGINE": "django.db.backends.dummy"}, ALIAS: configured})


def lock_is_free(path: Path) -> bool:
    fd = os.open(f"{path}-writelock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
    return True


class WriteLockTest(SimpleTestCase):
    @pytest.fixture(autouse=True)
    def _own_connections(self, django_db_blocker):
        with django_db_blocker.unblock():  # connections of the test's own, never the test database
            yield

    def setUp(self):
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        self.path = Path(directory.name) / "db.sqlite3"
        self.connections = handler(self.path)
        self.addCleanup(self.connections.close_all)
        self.db = self.connections[ALIAS]
        with self.db.cursor() as cursor:
            cursor.execute("CREATE TABLE t (n integer)")

    def test_a_write_transaction_holds_the_lock_until_it_commits_or_rolls_back(self):
        self.assertTrue(lock_is_free(self.path))
        self.db._start_transaction_under_autocommit()
        with self.db.cursor() as cursor:
            cursor.execute("INSERT INTO t VALUES (1)")
        self.assertFalse(lock_is_free(self.path))
        self.db.commit()
        self.assertTrue(lock_is_free(self.path))

        self.db._start_transaction_under_autocommit()
        self.assertFalse(lock_is_free(self.path))
        self.db.rollback()
        self.assertTrue(lock_is_free(self.path))

    def test_a_second_writer_waits_for_the_first_then_goes_on(self):
        entered = threading.Event()

        def second_writer():
            other = handler(self.path)
            try:
                other[ALIAS].connect()
                other[ALIAS]._start_transaction_under_autocommit()
                entered.set()
                with other[ALIAS].cursor() as cursor:
                    cursor.execute("INSERT INTO t VALUES (2)")
                other[ALIAS].commit()
            finally:
                other.close_all()

        self.db._start_transaction_under_autocommit()
        with self.db.cursor() as cursor:
            cursor.execute("INSERT INTO t VALUES (1)")
        thread = threading.Thread(target=second_writer)
        thread.start()
        # It cannot get in while the first transaction is open, however long it is given.
        self.assertFalse(entered.wait(timeout=0.5))
        self.db.commit()
        thread.join(timeout=30)
        self.assertTrue(entered.is_set())
        with self.db.cursor() as cursor:
            cursor.execute("SELECT n FROM t ORDER BY n")
            self.assertEqual(cursor.fetchall(), [(1,), (2,)])
        self.assertTrue(lock_is_free(self.path))

    def test_closing_the_connection_releases_the_lock(self):
        self.db._start_transaction_under_autocommit()
        self.assertFalse(lock_is_free(self.path))
        self.db.close()
        self.assertTrue(lock_is_free(self.path))

    def test_an_in_memory_database_takes_no_lock(self):
        memory = handler(":memory:")
        self.addCleanup(memory.close_all)
        db = memory[ALIAS]
        db.connect()
        db._start_transaction_under_autocommit()
        self.assertIsNone(db._write_lock_fd)
        db.rollback()
