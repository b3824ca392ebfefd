"""R10.1: a restore writes only the member names a backup writes (no path tricks, even in a well-sealed archive)."""

import io
import json
import tarfile
import tempfile
from pathlib import Path

from django.test import SimpleTestCase

from ioc.backups.archive import RestoreRefused, archive_read, safe_member_name, settings_fingerprint
from ioc.backups.crypto import EncryptingWriter

KEY = "k" * 40


class MemberNameTest(SimpleTestCase):
    def test_it_admits_what_a_backup_writes(self):
        for name in (
            "header.json",
            "manifest.json",
            "anchor/audit-anchor.log",
            "db/default.sqlite3",
            "db/cache.sqlite3",
            "db/default.pgdump",
            "media/citizen_reports/2026/ảnh 1.jpg",
        ):
            with self.subTest(name):
                self.assertTrue(safe_member_name(name))

    def test_it_refuses_path_tricks(self):
        for name in (
            "/etc/passwd",
            "../x",
            "media/../../etc/cron.d/x",
            "media/a/../../b",
            "db/other.sqlite3",
            "db/default.sqlite3/../../x",
            "media",
            "media/",
            "media\\..\\x",
            "anchor/other.log",
            "media/a\0b",
            "settings.py",
        ):
            with self.subTest(name):
                self.assertFalse(safe_member_name(name))


class SealedPathTrickTest(SimpleTestCase):
    """Even an archive sealed with the right key (a stolen key, a hostile insider) cannot write outside staging."""

    def sealed(self, folder: Path, members: list[tuple[str, bytes]]) -> Path:
        path = folder / "trick.iocbak"
        with path.open("wb") as sink:
            writer = EncryptingWriter(sink, KEY)
            with tarfile.open(fileobj=writer, mode="w|") as tar:  # type: ignore[call-overload]
                for name, data in members:
                    info = tarfile.TarInfo(name)
                    info.size = len(data)
                    tar.addfile(info, io.BytesIO(data))
            writer.close()
        return path

    def test_it_refuses_names_that_climb_out_and_writes_nothing(self):
        header = json.dumps({"format": 1, "fingerprint": settings_fingerprint()}).encode()
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            for name in ("media/../../escaped.txt", "/tmp/escaped.txt", "db/../escaped.txt"):
                staging = folder / "staging"
                staging.mkdir()
                with self.subTest(name), self.assertRaises(RestoreRefused) as caught:
                    archive_read(
                        source=self.sealed(folder, [("header.json", header), (name, b"x")]), secret=KEY, staging=staging
                    )
                self.assertEqual(caught.exception.code, "tampered")
                self.assertEqual(sorted(p.name for p in folder.rglob("*")), ["staging", "trick.iocbak"])
                staging.rmdir()

    def test_it_refuses_a_header_written_under_other_settings(self):
        prints = {**settings_fingerprint(), "AUDIT_KEY": "0" * 32}
        header = json.dumps({"format": 1, "fingerprint": prints}).encode()
        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / "staging").mkdir()
            source = self.sealed(Path(tmp), [("header.json", header), ("media/a.jpg", b"x")])
            with self.assertRaises(RestoreRefused) as caught:
                archive_read(source=source, secret=KEY, staging=Path(tmp) / "staging")
            self.assertEqual(caught.exception.code, "settings")
            self.assertEqual(list((Path(tmp) / "staging").iterdir()), [])
