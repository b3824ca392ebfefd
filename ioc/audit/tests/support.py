"""Shared set-up of the audit tests: minimal personas, a verified staff login, a per-test anchor file,
raw tampering, and a database that threads truly share (a file copy on SQLite)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from django.db import connection, connections
from django.db.utils import load_backend
from django.test import Client, TestCase, override_settings
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from ioc.accounts.choices import RequestKind, RequestStatus
from ioc.accounts.models import AccountRequest, RoleAssignment, User
from ioc.agencies.models import Agency
from ioc.audit.models import AuditEntry

# The mixins below are used with TestCase and TransactionTestCase; mypy sees them as TestCase.
if TYPE_CHECKING:
    _TestBase = TestCase
else:
    _TestBase = object


def make_user(username: str, *roles: str, agency: Agency | None = None) -> User:
    """A user with roles granted through an applied account request (until ioc.accounts.testing lands)."""
    request = AccountRequest.objects.create(
        kind=RequestKind.CREATE,
        status=RequestStatus.APPLIED,
        document_no=f"01/QĐ-TEST-{username}",
        document_date=dt.date(2025, 7, 1),
        issuing_body="UBND tỉnh (kiểm thử)",
    )
    user = User.objects.create_user(username=username, password="x-Very-Long-Passw0rd!", agency=agency)
    for role in roles:
        RoleAssignment.objects.create(user=user, role=role, agency=agency, granted_by=request)
    return user


def login_verified(client: Client, user: User) -> None:
    """Sign in with the second factor already verified (a confirmed TOTP device in the session)."""
    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def clear_trail() -> None:
    """Start from an empty trail: the session's reference-data load already wrote (unsealed) entries."""
    from ioc.audit.models import AuditEntry, ChainHead

    AuditEntry.objects.all().delete()
    ChainHead.objects.all().delete()


class AnchorFileMixin(_TestBase):
    """Each test starts from an empty trail and gets its own, initially absent, anchor file."""

    def setUp(self) -> None:
        super().setUp()
        clear_trail()
        self._anchor_dir = Path(tempfile.mkdtemp(prefix="ioc-audit-anchor-"))
        self.anchor_path = self._anchor_dir / "anchor.log"
        override = override_settings(AUDIT_ANCHOR_PATH=self.anchor_path)
        override.enable()
        self.addCleanup(override.disable)
        self.addCleanup(shutil.rmtree, self._anchor_dir, True)


def raw_sql(sql: str, params: list[Any] | tuple[Any, ...] = ()) -> int:
    """Tamper with the database behind the application's back; returns the rows touched."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount)


class SharedDatabase:
    """One database that threads (`start`) and child processes (`env`) truly share."""

    def __init__(self, settings_dict: dict[str, Any] | None) -> None:
        self.settings_dict = settings_dict  # None: the test database itself (PostgreSQL)
        self.errors: list[BaseException] = []

    def start(self, fn: Callable[[], object]) -> threading.Thread:
        """Run `fn` in a new thread with its own connection; its exception is re-raised at the end."""

        def run() -> None:
            if self.settings_dict is not None:
                backend = load_backend(self.settings_dict["ENGINE"])
                connections["default"] = backend.DatabaseWrapper(self.settings_dict, "default")
            try:
                fn()
            except BaseException as exc:
                self.errors.append(exc)
            finally:
                connections.close_all()

        thread = threading.Thread(target=run)
        thread.start()
        return thread

    def env(self, **extra: str) -> dict[str, str]:
        """Environment for `manage.py` child processes using this database."""
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings_test", "PYTHONUNBUFFERED": "1", **extra}
        if self.settings_dict is not None:
            env["SQLITE_PATH"] = self.settings_dict["NAME"]
            env.pop("DATABASE_URL", None)
        else:
            s = connection.settings_dict
            env["DATABASE_URL"] = (
                f"postgresql://{quote(s['USER'] or '')}:{quote(s['PASSWORD'] or '')}@{s['HOST'] or 'localhost'}:"
                f"{s['PORT'] or 5432}/{quote(s['NAME'])}"
            )
        return env


@contextmanager
def shared_database() -> Iterator[SharedDatabase]:
    """A database that threads and processes truly share, for concurrency tests.

    On PostgreSQL that is the test database itself. SQLite's in-memory test database cannot hold two
    writers (shared-cache mode fails at once with "table is locked") nor be opened by another process, so
    they use a file copy of it (`VACUUM INTO`; the connections then run with the production settings: WAL,
    IMMEDIATE transactions, a busy timeout). Use it from a TransactionTestCase (VACUUM cannot run inside a
    transaction); join every thread before the block ends.
    """
    copy_dir = None
    settings_dict = None
    if connection.vendor == "sqlite" and connection.is_in_memory_db():  # type: ignore[attr-defined]
        copy_dir = Path(tempfile.mkdtemp(prefix="ioc-audit-db-"))
        path = copy_dir / "shared.sqlite3"
        raw_sql("VACUUM INTO %s", [str(path)])
        settings_dict = {**connection.settings_dict, "NAME": str(path)}
    db = SharedDatabase(settings_dict)
    try:
        yield db
    finally:
        if copy_dir is not None:
            shutil.rmtree(copy_dir, ignore_errors=True)
    if db.errors:
        raise db.errors[0]


class SealingMixin(AnchorFileMixin):
    """`self.seal()` runs the sealer and its after-commit anchor append inside a TestCase."""

    def seal(self, **kwargs: int) -> int:
        from ioc.audit.services import audit_seal_backlog

        with self.captureOnCommitCallbacks(execute=True):
            return audit_seal_backlog(**kwargs)

    def record(self, n: int, *, action: str = "thing.update", actor: User | None = None) -> list[AuditEntry]:
        from ioc.audit.services import audit_record

        return [
            audit_record(actor=actor, action=action, object_type="tests.thing", object_id=str(i), changes={"i": i})
            for i in range(n)
        ]
