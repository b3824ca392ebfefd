"""R10.2: the start-up comparison — the running version and applied migrations against the last record; a
difference with no approved change whose window covers the moment raises `operations.unapproved_change`.
Where it runs, and why there (002:12.7: an upgrade needs the managing body's consent *before* it happens):
- `manage.py operations_deployment_check`, right after `migrate` in every start path — the web unit's
  `ExecStartPre` (deploy/systemd/ioc-web.service), the worker's start in deploy/Procfile (a Procfile has no
  release phase; the worker is the one process that must exist) and `scripts/demo` after loading the profile.
  A new version or migration only takes effect through a restart, so the start is the moment it can be seen;
- hourly by the scheduler (`tasks.deployment_watch`), for a start path that skipped the command.
Several starts at once are harmless: the alert's dedup key is the version + migrations digest, so the same
difference is raised once however many processes see it."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.accounts.models import User
from ioc.audit.services import audit_record
from ioc.common.choices import Severity
from ioc.incidents import services as incidents
from ioc.operations.choices import ChangeState
from ioc.operations.models import Change, DeploymentRecord

UNAPPROVED_KIND = "operations.unapproved_change"


def running_version() -> str:
    try:
        return importlib.metadata.version("ioc")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - a source checkout without install
        return "0.0.0"


def applied_migrations() -> list[str]:
    return sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations())


def _covering_change(now: dt.datetime, version: str) -> Change | None:
    """The latest approved change whose window covers `now` and that names this version (or names none)."""
    states = [ChangeState.APPROVED, ChangeState.STARTED, ChangeState.CLOSED]
    candidates = Change.objects.filter(state__in=states, window_start__lte=now, window_end__gte=now)
    return candidates.filter(Q(version="") | Q(version=version)).order_by("-window_start", "-pk").first()


@transaction.atomic
def deployment_check(
    *, actor: User, version: str, migrations: Iterable[str], now: dt.datetime | None = None
) -> DeploymentRecord | None:
    """R10.2: record what runs when it differs from the last record (the first check is the baseline); raise the
    alert when no approved change covers `now`. None when nothing changed."""
    now = now or timezone.now()
    names = sorted(migrations)
    digest = hashlib.sha256("\n".join(names).encode()).hexdigest()
    last = DeploymentRecord.objects.order_by("-seen_at", "-pk").first()
    if last is not None and (last.version, last.migrations_digest) == (version, digest):
        return None
    change = _covering_change(now, version) if last is not None else None
    approved = last is None or change is not None
    record = DeploymentRecord.objects.create(
        version=version,
        migrations_digest=digest,
        migrations_count=len(names),
        seen_at=now,
        change=change,
        approved=approved,
    )
    changes = {"version": version, "migrations": len(names), "approved": approved, "change": change and change.pk}
    audit_record(actor=actor, action="deployment.check", obj=record, changes=changes)
    if not approved:
        assert last is not None
        incidents.alert_raise(
            source="operations",
            dedup_key=f"deployment:{version}:{digest[:16]}",
            kind=UNAPPROVED_KIND,
            severity=Severity.HIGH,
            title=_("Phiên bản hoặc cơ sở dữ liệu thay đổi khi chưa có thay đổi được phê duyệt"),
            occurred_at=now,
            payload={
                "version": [last.version, version],
                "migrations": [last.migrations_count, len(names)],
                "description": _("Không có thay đổi nào được cơ quan quản lý phê duyệt trong thời gian này."),
            },
            actor=actor,
        )
    return record
