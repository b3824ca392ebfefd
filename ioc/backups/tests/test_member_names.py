"""R10.1: a restore writes only the member names a backup writes (no path tricks, even in a well-sealed archive)."""

from django.test import SimpleTestCase

from ioc.backups.archive import safe_member_name


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
