"""R7.3: the real processes: `audit_verify` exits 0 or 1, and `audit_sealer` stops cleanly on SIGTERM."""

import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import TransactionTestCase

from ioc.audit.services import audit_record
from ioc.audit.tests.support import AnchorFileMixin, SharedDatabase, shared_database

MANAGE = str(Path(settings.BASE_DIR) / "manage.py")


def manage(db: SharedDatabase, *args: str, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, MANAGE, *args], env=env_of(db), capture_output=True, text=True, timeout=timeout, check=False
    )


def env_of(db: SharedDatabase) -> dict[str, str]:
    return db.env(AUDIT_ANCHOR_PATH=str(settings.AUDIT_ANCHOR_PATH))  # this test's own anchor file


@pytest.mark.crash
class CommandsInProcessesTest(AnchorFileMixin, TransactionTestCase):
    def setUp(self):
        super().setUp()
        for i in range(4):
            audit_record(actor=None, action="thing.update", object_id=str(i), changes={"i": i})

    def test_audit_verify_exits_0_then_1_once_a_row_is_edited(self):
        with shared_database() as db:
            intact = manage(db, "audit_verify")
            self.assertEqual(intact.returncode, 0, intact.stderr)
            self.assertIn("Audit chain intact (4 entries)", intact.stdout)

            def tamper():
                from ioc.audit.tests.support import raw_sql

                raw_sql("UPDATE audit_auditentry SET action = 'thing.delete' WHERE position = 2")

            db.start(tamper).join(timeout=60)
            broken = manage(db, "audit_verify")
        self.assertEqual(broken.returncode, 1)
        self.assertIn("position 2", broken.stderr)

    def test_audit_sealer_seals_then_stops_on_sigterm(self):
        with shared_database() as db:
            process = subprocess.Popen(
                [sys.executable, MANAGE, "audit_sealer", "--interval", "0.2"],
                env=env_of(db),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            assert process.stdout is not None
            try:
                self.assertIn("Audit sealer started", process.stdout.readline())
                self.assertIn("Sealed 4 entries", process.stdout.readline())
                process.send_signal(signal.SIGTERM)
                out, err = process.communicate(timeout=60)
            finally:
                if process.poll() is None:
                    process.kill()
                    process.wait()
            verified = manage(db, "audit_verify", "--no-seal")
        self.assertEqual(process.returncode, 0, err)
        self.assertIn("Audit sealer stopped", out)
        self.assertIn("Audit chain intact (4 entries)", verified.stdout, verified.stderr)
