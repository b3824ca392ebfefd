"""R10.1: scheduled backups are durable work — one run per slot, a killed run is taken up again, failures retry then
fail, old archives are pruned (IOC_BACKUP_KEEP), crash leftovers removed; the settings check names a missing key."""

import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path

from django.test import TestCase, override_settings

from ioc.accounts.testing import system_actor
from ioc.audit.models import AuditEntry
from ioc.backups import checks, tasks
from ioc.backups.choices import MAX_ATTEMPTS, BackupKind, BackupState
from ioc.backups.models import BackupRun
from ioc.backups.services import LEASE, backup_due_run, schedule_slot

KEY = "scheduled-backup-key-" + "k" * 30
NOW = dt.datetime(2026, 12, 3, 7, 30, tzinfo=dt.UTC)


class ScheduledBackupTest(TestCase):
    def setUp(self):
        self.dir = Path(tempfile.mkdtemp(prefix="ioc-backups-"))
        self.addCleanup(shutil.rmtree, self.dir, ignore_errors=True)
        media = self.dir / "media"
        media.mkdir()
        (media / "photo.jpg").write_bytes(b"\xff\xd8\xff" + os.urandom(100))
        self.settings_override = override_settings(
            IOC_BACKUP_KEY=KEY,
            IOC_BACKUP_DIR=self.dir / "archives",
            IOC_BACKUP_EVERY_HOURS=6,
            IOC_BACKUP_KEEP=2,
            MEDIA_ROOT=media,
            AUDIT_ANCHOR_PATH=self.dir / "anchor.log",
        )
        self.settings_override.enable()
        self.addCleanup(self.settings_override.disable)
        self.actor = system_actor()

    def archives(self) -> list[str]:
        return sorted(p.name for p in (self.dir / "archives").glob("*.iocbak"))

    def test_a_slot_gets_one_archive_however_often_the_task_runs(self):
        self.assertEqual(backup_due_run(actor=self.actor, now=NOW), 1)
        self.assertEqual(backup_due_run(actor=self.actor, now=NOW + dt.timedelta(minutes=15)), 0)
        run = BackupRun.objects.get()
        self.assertEqual(
            (run.kind, run.state, run.due_at), (BackupKind.SCHEDULED, BackupState.DONE, schedule_slot(NOW, 6))
        )
        self.assertEqual(run.due_at, dt.datetime(2026, 12, 3, 6, 0, tzinfo=dt.UTC))
        self.assertEqual(self.archives(), [run.file_name])
        self.assertEqual(run.members, 3)  # header, database, photo
        self.assertTrue(AuditEntry.objects.filter(action="backup.create", object_id=str(run.pk), actor=self.actor))

    def test_a_killed_run_is_taken_up_again_once_its_lease_expires(self):
        slot = schedule_slot(NOW, 6)
        BackupRun.objects.create(
            kind=BackupKind.SCHEDULED, due_at=slot, state=BackupState.RUNNING, attempts=1, lease_until=NOW + LEASE
        )
        self.assertEqual(backup_due_run(actor=self.actor, now=NOW), 0)  # its lease still holds
        self.assertEqual(BackupRun.objects.get().state, BackupState.RUNNING)
        later = NOW + LEASE + dt.timedelta(minutes=1)
        self.assertEqual(backup_due_run(actor=self.actor, now=later), 1)
        run = BackupRun.objects.get(due_at=slot)
        self.assertEqual((run.state, run.attempts), (BackupState.DONE, 2))

    def test_a_failing_run_retries_then_fails_and_says_why(self):
        (self.dir / "archives").write_text("a file where the folder should be")
        for attempt in range(1, MAX_ATTEMPTS + 1):
            backup_due_run(actor=self.actor, now=NOW + dt.timedelta(minutes=15 * attempt))
            run = BackupRun.objects.get()
            self.assertEqual(run.attempts, attempt)
        self.assertEqual(run.state, BackupState.FAILED)
        self.assertIn("Error", run.last_error)
        self.assertEqual(AuditEntry.objects.filter(action="backup.fail").count(), MAX_ATTEMPTS)
        backup_due_run(actor=self.actor, now=NOW + dt.timedelta(hours=1))
        self.assertEqual(BackupRun.objects.get().attempts, MAX_ATTEMPTS)

    def test_it_keeps_the_newest_archives_and_removes_crash_leftovers(self):
        for slot in range(4):
            backup_due_run(actor=self.actor, now=NOW + dt.timedelta(hours=6 * slot))
        runs = list(BackupRun.objects.order_by("due_at"))
        self.assertEqual([r.state for r in runs], [BackupState.PRUNED] * 2 + [BackupState.DONE] * 2)
        self.assertEqual(self.archives(), sorted(r.file_name for r in runs[2:]))
        self.assertEqual(AuditEntry.objects.filter(action="backup.prune").count(), 2)
        stale = self.dir / "archives" / "ioc-backup-x.iocbak.part"
        stale.write_bytes(b"half")
        old = (NOW - 2 * LEASE).timestamp()
        os.utime(stale, (old, old))
        backup_due_run(actor=self.actor, now=NOW + dt.timedelta(hours=24))
        self.assertFalse(stale.exists())

    def test_the_periodic_task_does_nothing_while_the_schedule_is_off(self):
        with override_settings(IOC_BACKUP_EVERY_HOURS=0):
            self.assertEqual(tasks.backup_scheduled.call_local(), 0)
        self.assertFalse(BackupRun.objects.exists())
        self.assertEqual(tasks.backup_scheduled.call_local(), 1)
        self.assertEqual(BackupRun.objects.get().state, BackupState.DONE)


class BackupSettingsCheckTest(TestCase):
    def test_a_schedule_without_a_key_is_an_error(self):
        with override_settings(IOC_BACKUP_EVERY_HOURS=24, IOC_BACKUP_KEY=""):
            self.assertEqual([e.id for e in checks.backup_settings()], [checks.KEY_MISSING_ID])
        with override_settings(IOC_BACKUP_EVERY_HOURS=0, IOC_BACKUP_KEY=""):
            self.assertEqual(checks.backup_settings(), [])
        with override_settings(IOC_BACKUP_EVERY_HOURS=24, IOC_BACKUP_KEY=KEY, IOC_BACKUP_KEEP=0):
            self.assertEqual([e.id for e in checks.backup_settings()], [checks.BAD_SCHEDULE_ID])
