"""Backup and restore (R10.1): every write of the app. A run is a row claimed with a lease (DESIGN "Durable work").

`backup_create` writes an archive now (the `backup` command); `backup_due_run` is what the periodic task calls: it
makes sure the current schedule slot has its row, claims due rows (and rows whose lease expired: a killed run is
taken up again), writes their archives and prunes old ones (`IOC_BACKUP_KEEP`). `backup_restore` brings an archive
back onto a clean location (the `restore` command). Archives are written outside any transaction; each change of a
run's row is its own short one.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, connections, transaction
from django.db.models import F, Q
from django.utils import timezone

from ioc.audit.selectors import anchor_path
from ioc.audit.services import audit_record
from ioc.backups import archive, sources
from ioc.backups.archive import RestoreRefused
from ioc.backups.choices import MAX_ATTEMPTS, BackupKind, BackupState
from ioc.backups.models import BackupRun

if TYPE_CHECKING:
    from ioc.accounts.models import User

LEASE = dt.timedelta(hours=3)
SUFFIX = ".iocbak"
_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


class BackupKeyMissing(ImproperlyConfigured):
    """IOC_BACKUP_KEY is not set: nothing can be written or read."""


def backup_key() -> str:
    key = str(getattr(settings, "IOC_BACKUP_KEY", "") or "")
    if not key:
        raise BackupKeyMissing(
            "Thiếu khoá sao lưu: đặt IOC_BACKUP_KEY (ít nhất 32 ký tự) / IOC_BACKUP_KEY is not set (32+ characters)"
        )
    return key


def backup_directory() -> Path:
    return Path(settings.IOC_BACKUP_DIR)


# --- writing ----------------------------------------------------------------------------------------------------


def backup_create(*, actor: User, directory: Path | None = None) -> BackupRun:
    """R10.1: write an archive now (a manual run); raises what stopped it after recording the failure."""
    key = backup_key()
    now = timezone.now()
    state = {"state": BackupState.RUNNING, "started_at": now, "lease_until": now + LEASE, "attempts": 1}
    run = BackupRun.objects.create(kind=BackupKind.MANUAL, due_at=now, **state)
    assert run.lease_until is not None
    return _execute(run, run.lease_until, actor=actor, key=key, directory=directory or backup_directory(), reraise=True)


def _file_name(run: BackupRun) -> str:
    return f"ioc-backup-{run.due_at.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}-{run.kind}-{run.pk}{SUFFIX}"


def _execute(
    run: BackupRun, lease: dt.datetime, *, actor: User, key: str, directory: Path, reraise: bool = False
) -> BackupRun:
    mine = BackupRun.objects.filter(pk=run.pk, state=BackupState.RUNNING, lease_until=lease)
    try:
        written = archive.archive_write(target=directory / _file_name(run), secret=key)
    except Exception as exc:
        _record_failure(run, mine, actor=actor, error=f"{type(exc).__name__}: {exc}")
        if reraise:
            raise
        return run
    with transaction.atomic():
        done: dict[str, Any] = {"state": BackupState.DONE, "lease_until": None, "finished_at": timezone.now()}
        done |= {"last_error": ""}
        done |= {"file_name": written.path.name, "size_bytes": written.size, "sha256": written.sha256}
        if mine.update(**done, members=len(written.members)):
            changes = {"file": written.path.name, "size": written.size, "sha256": written.sha256}
            audit_record(actor=actor, action="backup.create", obj=run, changes=changes)
    run.refresh_from_db()
    return run


def _record_failure(run: BackupRun, mine: Any, *, actor: User, error: str) -> None:
    with transaction.atomic():
        state = BackupState.FAILED if run.attempts >= MAX_ATTEMPTS else BackupState.PENDING
        if mine.update(state=state, lease_until=None, last_error=error[:2000], finished_at=timezone.now()):
            audit_record(actor=actor, action="backup.fail", obj=run, changes={"error": error[:500], "state": state})


def schedule_slot(now: dt.datetime, every_hours: int) -> dt.datetime:
    """The start of the schedule slot `now` falls in (slots of `every_hours`, counted from 2000-01-01 UTC)."""
    step = dt.timedelta(hours=every_hours)
    return _EPOCH + ((now - _EPOCH) // step) * step


def backup_slot_ensure(*, now: dt.datetime) -> BackupRun | None:
    """R10.1: the current slot's scheduled run (created once; a second caller finds the first one's row)."""
    every = int(settings.IOC_BACKUP_EVERY_HOURS)
    if every <= 0:
        return None
    slot = schedule_slot(now, every)
    try:
        with transaction.atomic():
            run, _created = BackupRun.objects.get_or_create(kind=BackupKind.SCHEDULED, due_at=slot)
    except IntegrityError:
        run = BackupRun.objects.get(kind=BackupKind.SCHEDULED, due_at=slot)
    return run


def _claim(pk: int, now: dt.datetime) -> dt.datetime | None:
    """Claim a pending run, or a running one whose lease expired, by a conditional UPDATE; returns the lease."""
    lease = now + LEASE
    claimable = Q(state=BackupState.PENDING) | Q(state=BackupState.RUNNING, lease_until__lt=now)
    rows = BackupRun.objects.filter(claimable, pk=pk, due_at__lte=now, attempts__lt=MAX_ATTEMPTS)
    changed = rows.update(state=BackupState.RUNNING, lease_until=lease, started_at=now, attempts=F("attempts") + 1)
    return lease if changed == 1 else None


def _expired_to_failed(now: dt.datetime) -> None:
    """A run killed on its last attempt has no attempt left: it fails instead of staying 'running' forever."""
    BackupRun.objects.filter(state=BackupState.RUNNING, lease_until__lt=now, attempts__gte=MAX_ATTEMPTS).update(
        state=BackupState.FAILED, lease_until=None, last_error="lease expired on the last attempt"
    )


def backup_due_run(*, actor: User, now: dt.datetime | None = None) -> int:
    """R10.1 (periodic): write every due archive, then prune; safe to run twice and to be killed at any line."""
    now = now or timezone.now()
    if backup_slot_ensure(now=now) is None and not BackupRun.objects.filter(state=BackupState.PENDING).exists():
        return 0
    key = backup_key()
    _expired_to_failed(now)
    claimable = Q(state=BackupState.PENDING) | Q(state=BackupState.RUNNING, lease_until__lt=now)
    ran = 0
    for pk in BackupRun.objects.filter(claimable, due_at__lte=now).order_by("due_at").values_list("pk", flat=True):
        lease = _claim(pk, now)
        if lease is None:
            continue
        _execute(BackupRun.objects.get(pk=pk), lease, actor=actor, key=key, directory=backup_directory())
        ran += 1
    backup_prune(actor=actor, now=now)
    return ran


def backup_prune(*, actor: User, now: dt.datetime) -> int:
    """R10.1 retention: keep the newest `IOC_BACKUP_KEEP` scheduled archives; delete older ones and crash leftovers."""
    keep = int(settings.IOC_BACKUP_KEEP)
    done = BackupRun.objects.filter(kind=BackupKind.SCHEDULED, state=BackupState.DONE).order_by("-due_at")
    pruned = 0
    for run in done[keep:]:
        with transaction.atomic():
            if BackupRun.objects.filter(pk=run.pk, state=BackupState.DONE).update(state=BackupState.PRUNED):
                (backup_directory() / run.file_name).unlink(missing_ok=True)
                audit_record(actor=actor, action="backup.prune", obj=run, changes={"file": run.file_name})
                pruned += 1
    _leftovers_remove(now)
    return pruned


def _leftovers_remove(now: dt.datetime) -> None:
    """Partial archives and staging folders of killed runs, once older than a lease."""
    directory = backup_directory()
    if not directory.is_dir():
        return
    cutoff = (now - LEASE).timestamp()
    for path in directory.iterdir():
        partial = path.name.endswith(SUFFIX + ".part") or path.name.startswith(".staging-")
        if partial and path.stat().st_mtime < cutoff:
            shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)


# --- restoring --------------------------------------------------------------------------------------------------


def restore_targets_occupied() -> list[str]:
    """What is already where a restore would write: databases, the anchor file, uploaded files."""
    taken = [item for alias in sources.database_aliases() for item in sources.occupied(alias)]
    if anchor_path().exists():
        taken.append(str(anchor_path()))
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir() and any(media.iterdir()):
        taken.append(str(media))
    return taken


def backup_restore(*, source: Path, secret: str) -> dict[str, Any]:
    """R10.1: bring `source` back onto a clean location. Everything is authenticated, checked against the manifest
    and against this deployment's settings in a staging folder before the first file is put in place."""
    taken = restore_targets_occupied()
    if taken:
        raise RestoreRefused(
            "not_clean", "Nơi khôi phục chưa trống / the restore location is not clean: " + ", ".join(taken)
        )
    staging_parent = Path(getattr(settings, "VAR_DIR", tempfile.gettempdir()))
    staging_parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=staging_parent, prefix=".restore-") as staging_dir:
        staging = Path(staging_dir)
        header = archive.archive_read(source=source, secret=secret, staging=staging)
        connections.close_all()
        _put_back(staging)
    connections.close_all()
    _record_restore(source, header)
    return header


def _put_back(staging: Path) -> None:
    for alias in sources.database_aliases():
        staged = next((staging / "db").glob(f"{alias}.*"), None)
        if staged is None:
            raise RestoreRefused("tampered", f"Bản sao lưu thiếu cơ sở dữ liệu / database {alias!r} missing")
        sources.put_back(alias, staged)
    if (staging / archive.ANCHOR).exists():
        anchor_path().parent.mkdir(parents=True, exist_ok=True)
        shutil.move(staging / archive.ANCHOR, anchor_path())
    if (staging / "media").is_dir():
        media = Path(settings.MEDIA_ROOT)
        media.mkdir(parents=True, exist_ok=True)
        for item in (staging / "media").iterdir():
            shutil.move(item, media / item.name)


def _record_restore(source: Path, header: dict[str, Any]) -> None:
    from ioc.accounts.selectors import system_account_or_none

    actor = system_account_or_none()
    if actor is not None:
        changes = {"file": source.name, "created_at": header.get("created_at", "")}
        audit_record(actor=actor, action="backup.restore", object_type="backups.archive", changes=changes)
