"""R10.1 on PostgreSQL (runs under `scripts/pg-suite`): pg_dump into the archive, pg_restore into an empty database,
every table's rows equal; a database that is not empty is refused."""

import shutil
import tempfile
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.test import TestCase, override_settings

from ioc.backups import archive, sources
from ioc.common.testing import require_component

KEY = "pg-backup-key-" + "p" * 30

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only: runs under scripts/pg-suite"),
    pytest.mark.skipif(
        shutil.which("pg_dump") is None, reason="pg_dump is missing (apt-get install postgresql-client)"
    ),
]


def conninfo(name):
    db = settings.DATABASES["default"]
    return psycopg.conninfo.make_conninfo(
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        dbname=name,
    )


def table_rows(name):
    with psycopg.connect(conninfo(name)) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT table_name FROM information_schema.tables"
                " WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
            )
        ]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


class PostgresqlBackupTest(TestCase):
    def test_it_round_trips_through_pg_dump_and_pg_restore(self):
        require_component("pg_dump", install="sudo apt-get install postgresql-client")
        require_component("pg_restore", install="sudo apt-get install postgresql-client")
        tmp = Path(tempfile.mkdtemp(prefix="ioc-pg-backup-"))
        self.addCleanup(shutil.rmtree, tmp, ignore_errors=True)
        source_db = settings.DATABASES["default"]["NAME"]
        with override_settings(MEDIA_ROOT=tmp / "media", AUDIT_ANCHOR_PATH=tmp / "anchor.log"):
            written = archive.archive_write(target=tmp / "pg.iocbak", secret=KEY)
            self.assertIn("db/default.pgdump", written.members)
            (tmp / "staging").mkdir()
            archive.archive_read(source=written.path, secret=KEY, staging=tmp / "staging")
        self.assertTrue(sources.occupied("default"))  # the running database is never a restore target
        target_db = f"{source_db}_restore"
        with psycopg.connect(conninfo(source_db), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{target_db}"')
            admin.execute(f'CREATE DATABASE "{target_db}"')
        try:
            target = {**settings.DATABASES["default"], "NAME": target_db}
            with override_settings(DATABASES={**settings.DATABASES, "default": target}):
                sources.put_back("default", tmp / "staging" / "db" / "default.pgdump")
            self.assertEqual(table_rows(source_db), table_rows(target_db))
            self.assertGreater(table_rows(target_db)["geo_adminunit"], 0)
        finally:
            with psycopg.connect(conninfo(source_db), autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{target_db}"')
