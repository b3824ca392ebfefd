"""Two processes writing at once on SQLite both succeed: WAL, IMMEDIATE transactions and a busy timeout
mean a writer waits for the other instead of failing with "database is locked" (DESIGN "Durable work")."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

WRITER = """
import django, sys
django.setup()
from django.db import transaction
from ioc.audit.services import audit_record
for i in range(int(sys.argv[1])):
    with transaction.atomic():
        audit_record(actor=None, action="test.concurrent_write", object_type="test", object_id=sys.argv[2] + str(i))
print("ok")
"""


def _env(db: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings", "SQLITE_PATH": db, "IOC_VAR_DIR": str(Path(db).parent)})
    env.update({k: k.lower() + "-" + "x" * 40 for k in ("SECRET_KEY", "AUDIT_KEY", "TOKEN_HMAC_KEY")})
    env["FIELD_ENCRYPTION_KEY"] = "f" * 40
    return env


@pytest.mark.crash
def test_it_lets_two_processes_write_at_once():
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "two-writers.sqlite3")
        env = _env(db)
        # The system checks are skipped: ~10 s on a loaded machine, and nothing this test proves. (Migrating only
        # `audit` fails: every app's post_migrate handler runs and reads its own tables.)
        migrate = [sys.executable, "manage.py", "migrate", "-v", "0", "--skip-checks"]
        subprocess.run(migrate, cwd=ROOT, env=env, check=True)
        writers = [
            subprocess.Popen(
                [sys.executable, "-c", WRITER, "150", tag],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for tag in ("a", "b")
        ]
        results = [w.communicate(timeout=120) for w in writers]
        for (out, err), writer in zip(results, writers, strict=True):
            assert writer.returncode == 0, err
            assert out.strip() == "ok"
        count = subprocess.run(
            [
                sys.executable,
                "-c",
                "import django; django.setup(); from ioc.audit.models import AuditEntry; "
                "print(AuditEntry.objects.filter(action='test.concurrent_write').count())",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        assert count.stdout.strip() == "300"
