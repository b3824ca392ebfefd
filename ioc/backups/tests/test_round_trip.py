"""R10.1: a backup of a running deployment restores on a clean machine, row for row and file for file; restore refuses
a wrong key, an altered or truncated archive, other settings and a location that is not empty, writing nothing.

Two deployments in temporary folders run the real commands with the production settings (SQLite: the main database
and the cache's own file). The backup is taken while another connection keeps writing.
"""

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
from contextlib import closing
from pathlib import Path

from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parents[3]
KEYS = {
    "SECRET_KEY": "s" * 20 + "E7q!" * 10,
    "AUDIT_KEY": "a" * 20 + "x9Z-" * 5,
    "TOKEN_HMAC_KEY": "t" * 20 + "b3K_" * 5,
    "FIELD_ENCRYPTION_KEY": "f" * 20 + "m4P." * 5,
    "IOC_BACKUP_KEY": "backup-key-" + "Q7w" * 10,
}


def manage(var: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG"}}
    base.update(KEYS)
    base.update(IOC_VAR_DIR=str(var), IOC_TLS="0", DJANGO_SETTINGS_MODULE="config.settings", **env)
    base.setdefault("IOC_BOOTSTRAP_PASSWORD", "Mật-khẩu-Quản-trị-2026!")
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=base, capture_output=True, text=True, check=False
    )


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return str(result.stdout)


def rows(db: Path, table: str, where: str = "") -> list[tuple[object, ...]]:
    """Every row, in a fixed order (some tables are WITHOUT ROWID)."""
    with closing(sqlite3.connect(db)) as conn:
        found = conn.execute(f"SELECT * FROM {table} {where}").fetchall()
    return found if "ORDER BY" in where else sorted(found, key=repr)


def tables(db: Path) -> list[str]:
    with closing(sqlite3.connect(db)) as conn:
        found = conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")
        return sorted(row[0] for row in found)


def tree(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


class BackupRoundTripTest(SimpleTestCase):
    tmp: Path
    source: Path
    archive_dir: Path
    archive: Path
    backup_out: str
    written: int

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tmp = Path(tempfile.mkdtemp(prefix="ioc-backup-test-"))
        cls.source = cls.tmp / "source"
        ok(manage(cls.source, "migrate", "-v0"))
        ok(manage(cls.source, "createcachetable"))
        ok(manage(cls.source, "createcachetable", "--database", "cache"))
        ok(
            manage(
                cls.source,
                "bootstrap_admin",
                "--document-no",
                "01/QĐ-IOC",
                "--document-date",
                "2026-01-05",
                "--username",
                "quantri",
                "--email",
                "quantri@canary.invalid",
            )
        )
        ok(manage(cls.source, "audit_verify"))  # seals the entries and writes the anchor file
        media = cls.source / "media"
        (media / "citizen_reports" / "2026").mkdir(parents=True)
        (media / "citizen_reports" / "2026" / "ảnh hiện trường.jpg").write_bytes(os.urandom(3 * 1024 * 1024 + 5))
        (media / "evidence.pdf").write_bytes(b"%PDF-1.7\n" + os.urandom(1000))
        with closing(sqlite3.connect(cls.source / "cache.sqlite3")) as cache:
            cache.execute("INSERT INTO ioc_cache VALUES ('k1', 'v1', '2099-01-01 00:00:00')")
            cache.commit()
        cls.archive_dir = cls.tmp / "archives"
        cls.written = cls._backup_while_writing()
        cls.archive = next(cls.archive_dir.glob("*.iocbak"))

    @classmethod
    def _backup_while_writing(cls) -> int:
        """Another connection inserts rows for as long as the backup runs (the system keeps working)."""
        db = cls.source / "ioc.sqlite3"
        with closing(sqlite3.connect(db)) as conn:
            conn.execute("CREATE TABLE load_probe (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)")
            conn.commit()
        stop = threading.Event()
        count = [0]

        def write() -> None:
            with closing(sqlite3.connect(db, timeout=20)) as conn:
                conn.execute("PRAGMA journal_mode=WAL")
                while not stop.is_set():
                    conn.execute("INSERT INTO load_probe (payload) VALUES (?)", (f"row {count[0]}",))
                    conn.commit()
                    count[0] += 1
                    # A pause between commits, as a deployment's writers leave: a loop holding the write lock without
                    # one starved the backup's own bookkeeping (its BackupRun row: "database is locked", 5 Dec 2026).
                    stop.wait(0.002)

        writer = threading.Thread(target=write)
        writer.start()
        try:
            cls.backup_out = ok(manage(cls.source, "backup", "--output-dir", str(cls.archive_dir)))
        finally:
            stop.set()
            writer.join()
        return count[0]

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)
        super().tearDownClass()

    def clean_target(self, name: str) -> Path:
        target = self.tmp / name
        self.assertFalse(target.exists())
        return target

    def test_it_restores_every_row_and_file_and_the_audit_chain_verifies(self):
        target = self.clean_target("restored")
        out = ok(manage(target, "restore", str(self.archive)))
        self.assertIn("Restored", out)
        src, dst = self.source / "ioc.sqlite3", target / "ioc.sqlite3"
        self.assertEqual(tables(src), tables(dst))
        not_backup = "WHERE action NOT LIKE 'backup.%'"
        for table in tables(src):
            if table in {"backups_backuprun", "load_probe"}:
                continue
            where = not_backup if table == "audit_auditentry" else ""
            with self.subTest(table=table):
                self.assertEqual(rows(src, table, where), rows(dst, table, where))
        self.assertEqual(len(rows(dst, "audit_auditentry", "WHERE action = 'backup.restore'")), 1)
        probe_src, probe_dst = rows(src, "load_probe", "ORDER BY id"), rows(dst, "load_probe", "ORDER BY id")
        self.assertGreater(len(probe_dst), 0)
        self.assertEqual(probe_dst, probe_src[: len(probe_dst)])  # one consistent moment of the writes
        self.assertEqual(rows(self.source / "cache.sqlite3", "ioc_cache"), rows(target / "cache.sqlite3", "ioc_cache"))
        self.assertEqual(tree(self.source / "media"), tree(target / "media"))
        self.assertEqual((self.source / "audit-anchor.log").read_bytes(), (target / "audit-anchor.log").read_bytes())
        self.assertIn("intact", ok(manage(target, "audit_verify")))
        with closing(sqlite3.connect(dst)) as conn:
            self.assertEqual(conn.execute("PRAGMA integrity_check").fetchone(), ("ok",))

    def test_the_archive_holds_no_plain_data(self):
        raw = self.archive.read_bytes()
        for needle in (b"quantri", b"SQLite format 3", b"%PDF", b"audit_auditentry", KEYS["AUDIT_KEY"].encode()):
            self.assertNotIn(needle, raw)

    def assert_refused(self, target: Path, result: subprocess.CompletedProcess[str], code: str) -> str:
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertIn(f"restore refused ({code})", result.stderr)
        # Only the Huey queue file, which every process start creates; the staging folder is gone too.
        self.assertEqual([p.name for p in target.iterdir()], ["huey.sqlite3"])
        return str(result.stderr)

    def test_it_refuses_a_wrong_key_and_writes_nothing(self):
        target = self.clean_target("wrong-key")
        result = manage(target, "restore", str(self.archive), IOC_BACKUP_KEY="another-key-" + "z" * 30)
        self.assertIn("IOC_BACKUP_KEY", self.assert_refused(target, result, "wrong_key"))

    def test_it_refuses_an_altered_archive_and_writes_nothing(self):
        target = self.clean_target("tampered")
        altered = self.tmp / "altered.iocbak"
        data = bytearray(self.archive.read_bytes())
        data[len(data) // 2] ^= 0x40
        altered.write_bytes(bytes(data))
        self.assert_refused(target, manage(target, "restore", str(altered)), "tampered")

    def test_it_refuses_a_truncated_archive_and_writes_nothing(self):
        target = self.clean_target("truncated")
        cut = self.tmp / "cut.iocbak"
        cut.write_bytes(self.archive.read_bytes()[:-1000])
        self.assert_refused(target, manage(target, "restore", str(cut)), "truncated")

    def test_it_refuses_other_settings_naming_them(self):
        target = self.clean_target("other-settings")
        result = manage(target, "restore", str(self.archive), AUDIT_KEY="another-audit-key-" + "Zq8" * 10)
        message = self.assert_refused(target, result, "settings")
        self.assertIn("AUDIT_KEY", message)
        self.assertNotIn("FIELD_ENCRYPTION_KEY", message)

    def test_it_refuses_a_location_that_is_not_clean(self):
        before = (self.source / "ioc.sqlite3").stat().st_mtime_ns
        result = manage(self.source, "restore", str(self.archive))
        self.assertEqual(result.returncode, 1)
        self.assertIn("restore refused (not_clean)", result.stderr)
        self.assertIn("ioc.sqlite3", result.stderr)
        self.assertEqual((self.source / "ioc.sqlite3").stat().st_mtime_ns, before)

    def test_the_backup_command_names_a_missing_key(self):
        result = manage(self.source, "backup", "--output-dir", str(self.tmp / "none"), IOC_BACKUP_KEY="")
        self.assertEqual(result.returncode, 1)
        self.assertIn("IOC_BACKUP_KEY", result.stderr)
        self.assertFalse((self.tmp / "none").exists())
