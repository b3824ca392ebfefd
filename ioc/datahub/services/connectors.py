"""Pull connectors (R1.2b): an administrator sets one per dataset; the worker runs each when due, through the
outbound client's address guard (`ioc.common.http`), and feeds the answer to `submission_ingest`. The connector
row is the durable work (DESIGN "Durable work"): claimed by a conditional UPDATE with a lease, released with the
next due time (the interval after a success, a growing back-off after a failure); every run is recorded."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.accounts.selectors import system_account
from ioc.audit.services import audit_record
from ioc.common import http
from ioc.common.roles import Role, actor_require_role
from ioc.datahub import secrets
from ioc.datahub.choices import (
    CONNECTOR_INTERVAL_MINUTES,
    CONNECTOR_LEASE_SECONDS,
    CONNECTOR_RETRY_BASE_SECONDS,
    CONNECTOR_TIMEOUT_SECONDS,
    Channel,
    ConnectorFormat,
    ConnectorMethod,
    DatasetStatus,
    RunStatus,
    SubmissionStatus,
)
from ioc.datahub.models import Connector, ConnectorRun, Dataset, Submission
from ioc.datahub.services._base import max_upload_bytes
from ioc.datahub.services.ingest import submission_ingest

if TYPE_CHECKING:
    from ioc.accounts.models import User

logger = logging.getLogger(__name__)

CONNECTOR_ROLES = frozenset({Role.SYSTEM_ADMIN})
_HEADER_NAME = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,60}$")
_PATH_PART = re.compile(r"^[^.\s\[\]]+$")
ERROR_MAX = 2000


# --- configuration -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ConnectorSettings:
    """What an administrator sets on a connector (the auth value: None keeps the stored one, "" removes it)."""

    url: str
    method: str = ConnectorMethod.GET
    fmt: str = ConnectorFormat.JSON
    json_path: str = ""
    auth_header: str = ""
    auth_secret: str | None = None
    interval_minutes: int = 60
    timeout_seconds: int = 15
    is_active: bool = True


def _url_errors(url: str) -> list[str]:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return [_("Địa chỉ phải bắt đầu bằng http:// hoặc https:// và có tên máy.")]
    if parts.username or parts.password:
        return [_("Không ghi tài khoản, mật khẩu trong địa chỉ: dùng tiêu đề xác thực.")]
    return []


def path_parts(path: str) -> list[str] | None:
    """The keys of a JSON path `data.items` (or `$.data.items`; an empty path is the whole answer); None when
    malformed."""
    text = path.strip().removeprefix("$").removeprefix(".")
    if not text:
        return []
    parts = text.split(".")
    return parts if all(_PATH_PART.match(part) for part in parts) else None


def _settings_errors(values: ConnectorSettings) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if url_errors := _url_errors(values.url):
        errors["url"] = url_errors
    if values.method not in ConnectorMethod.values:
        errors["method"] = [_("Phương thức phải là GET hoặc POST.")]
    if values.fmt not in ConnectorFormat.values:
        errors["fmt"] = [_("Định dạng phải là JSON hoặc CSV.")]
    if path_parts(values.json_path) is None:
        errors["json_path"] = [_("Đường dẫn JSON gồm các khóa nối bằng dấu chấm, ví dụ data.items.")]
    if values.auth_header and not _HEADER_NAME.match(values.auth_header):
        errors["auth_header"] = [_("Tên tiêu đề chỉ gồm chữ, số và dấu gạch, ví dụ Authorization.")]
    if values.auth_secret and ("\r" in values.auth_secret or "\n" in values.auth_secret):
        errors["auth_secret"] = [_("Giá trị xác thực không được xuống dòng.")]
    low, high = CONNECTOR_INTERVAL_MINUTES
    if not low <= values.interval_minutes <= high:
        errors["interval_minutes"] = [_("Chu kỳ chạy phải từ %(low)d đến %(high)d phút.") % {"low": low, "high": high}]
    low, high = CONNECTOR_TIMEOUT_SECONDS
    if not low <= values.timeout_seconds <= high:
        errors["timeout_seconds"] = [_("Thời gian chờ phải từ %(low)d đến %(high)d giây.") % {"low": low, "high": high}]
    return errors


@transaction.atomic
def connector_set(*, actor: User, dataset: Dataset, values: ConnectorSettings) -> Connector:
    """R1.2b: create or change the dataset's pull connector (administrators only). A new or re-activated
    connector is due at once; the auth value is sealed and never written to the audit trail."""
    actor_require_role(actor, CONNECTOR_ROLES, _("Chỉ quản trị hệ thống được cấu hình kết nối kéo dữ liệu."))
    errors = _settings_errors(values)
    if dataset.status != DatasetStatus.PUBLISHED:
        errors["dataset"] = [_("Chỉ cấu hình kết nối cho bộ dữ liệu đã công bố.")]
    if errors:
        raise ValidationError(errors)
    found = Connector.objects.select_for_update().filter(dataset=dataset).first()
    connector = found or Connector(dataset=dataset)
    was_active = found is not None and found.is_active
    for name in ("method", "fmt", "interval_minutes", "timeout_seconds", "is_active"):
        setattr(connector, name, getattr(values, name))
    connector.url, connector.json_path = values.url.strip(), values.json_path.strip()
    connector.auth_header = values.auth_header.strip()
    if values.auth_secret is not None:
        connector.auth_secret = secrets.seal(values.auth_secret)
    if values.is_active and (not was_active or connector.next_run_at is None):
        connector.next_run_at, connector.failures = timezone.now(), 0
    connector.save()
    changes = {k: v for k, v in vars(values).items() if k != "auth_secret"}
    changes["auth_secret"] = "unchanged" if values.auth_secret is None else ("set" if values.auth_secret else "removed")
    audit_record(
        actor=actor,
        action="datahub_connector.create" if found is None else "datahub_connector.update",
        obj=connector,
        changes={**changes, "dataset": dataset.code},
    )
    return connector


@transaction.atomic
def connector_run_now(*, actor: User, connector: Connector) -> Connector:
    """R1.2b: an administrator asks for a run now (the worker takes it at once, or within a minute)."""
    actor_require_role(actor, CONNECTOR_ROLES, _("Chỉ quản trị hệ thống được chạy kết nối kéo dữ liệu."))
    Connector.objects.filter(pk=connector.pk).update(next_run_at=timezone.now())
    audit_record(actor=actor, action="datahub_connector.run_now", obj=connector, changes={})
    transaction.on_commit(_wake_worker)
    connector.refresh_from_db()
    return connector


def _wake_worker() -> None:
    from ioc.datahub.tasks import run_connectors  # tasks import this module

    try:
        run_connectors()
    except Exception:  # the periodic sweeper takes the run anyway
        logger.exception("could not wake the data hub connector worker")


# --- the worker: claim, fetch, ingest, record --------------------------------------------------------------
def _claimable(now: dt.datetime) -> Q:
    return Q(is_active=True, next_run_at__lte=now) & (Q(lease_until=None) | Q(lease_until__lt=now))


def connector_claim(*, pk: int) -> dt.datetime | None:
    """Claim a due connector by a conditional UPDATE; the lease is the claimer's token (None: not due or taken)."""
    now = timezone.now()
    lease = now + dt.timedelta(seconds=CONNECTOR_LEASE_SECONDS)
    changed = Connector.objects.filter(_claimable(now), pk=pk).update(lease_until=lease)
    return lease if changed == 1 else None


def connectors_run_due(*, limit: int = 5) -> int:
    """R1.2b: run up to `limit` due connectors (and those whose lease expired); returns how many runs were
    recorded. Safe to run twice and to kill anywhere: a run is recorded only while its lease holds."""
    due = Connector.objects.filter(_claimable(timezone.now())).order_by("next_run_at", "pk")
    recorded = 0
    for pk in list(due.values_list("pk", flat=True)[:limit]):
        lease = connector_claim(pk=pk)
        if lease is not None:
            connector = Connector.objects.select_related("dataset", "dataset__owner").get(pk=pk)
            recorded += int(_run(connector, lease))
    return recorded


class ConnectorLost(Exception):
    """The lease expired and another worker took the connector: this run's writes roll back."""


@dataclass
class _Attempt:
    connector: Connector
    lease: dt.datetime
    started_at: dt.datetime
    clock: float
    http_status: int | None = None

    def duration_ms(self) -> int:
        return int((time.monotonic() - self.clock) * 1000)


class _RunFailed(Exception):
    """The endpoint was down, slow or answered something that is not rows."""


def _run(connector: Connector, lease: dt.datetime) -> bool:
    attempt = _Attempt(connector, lease, timezone.now(), time.monotonic())
    try:
        payload = _fetch(attempt)
        _ingest(attempt, payload)
    except ConnectorLost:
        return False
    except _RunFailed as exc:
        return _record_failure(attempt, str(exc))
    except (ValidationError, PermissionDenied) as exc:
        reasons = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        return _record_failure(attempt, "; ".join(reasons))
    except Exception as exc:  # recorded, then retried with back-off like any failure
        logger.exception("data hub connector %s failed", connector.pk)
        return _record_failure(attempt, repr(exc))
    return True


def _fetch(attempt: _Attempt) -> dict[str, Any]:
    connector = attempt.connector
    headers = {"Accept": "text/csv" if connector.fmt == ConnectorFormat.CSV else "application/json"}
    if connector.auth_header:
        try:
            headers[connector.auth_header] = secrets.unseal(connector.auth_secret)
        except secrets.SecretUnreadable as exc:
            raise _RunFailed(_("Không giải mã được giá trị xác thực: nhập lại trên trang kết nối.")) from exc
    try:
        response = http.request(
            connector.method,
            connector.url,
            headers=headers,
            timeout=connector.timeout_seconds,
            max_bytes=max_upload_bytes(),
        )
    except http.OutboundError as exc:
        raise _RunFailed(str(exc)) from exc
    attempt.http_status = response.status
    if not response.ok:
        raise _RunFailed(_("Máy chủ trả về mã HTTP %(status)d.") % {"status": response.status})
    if connector.fmt == ConnectorFormat.CSV:
        return {"content": response.body, "file_name": f"{connector.dataset.code}.csv"}
    return {"rows": rows_from_json(response.body, connector.json_path)}


def rows_from_json(body: bytes, path: str) -> list[Any]:
    """R1.2b: the rows of a JSON answer: the list found at `path` (each row an object)."""
    try:
        found: Any = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise _RunFailed(_("Phản hồi không phải JSON hợp lệ: %(error)s") % {"error": exc}) from exc
    for key in path_parts(path) or []:
        if not isinstance(found, dict) or key not in found:
            raise _RunFailed(_("Phản hồi không có khóa “%(key)s” của đường dẫn JSON.") % {"key": key})
        found = found[key]
    if not isinstance(found, list) or not all(isinstance(row, dict) for row in found):
        raise _RunFailed(_("Đường dẫn JSON không trỏ tới một danh sách bản ghi (mỗi bản ghi là một đối tượng)."))
    return found


def _ingest(attempt: _Attempt, payload: dict[str, Any]) -> None:
    dataset = attempt.connector.dataset

    def record(submission: Submission) -> None:
        ok = submission.status != SubmissionStatus.REJECTED
        status = RunStatus.SUCCESS if ok else RunStatus.REJECTED
        error = "" if ok else _("Dữ liệu kéo về bị từ chối: xem báo cáo lỗi của lần gửi.")
        _record(attempt, status=status, rows=submission.rows_total, error=error, submission=submission)

    submission_ingest(
        actor=system_account(),
        dataset=dataset,
        agency=dataset.owner,
        channel=Channel.PULL,
        after_store=record,
        **payload,
    )


@transaction.atomic
def _record_failure(attempt: _Attempt, error: str) -> bool:
    try:
        _record(attempt, status=RunStatus.FAILED, rows=0, error=error, submission=None)
    except ConnectorLost:
        transaction.set_rollback(True)
        return False
    return True


def _record(attempt: _Attempt, *, status: str, rows: int, error: str, submission: Submission | None) -> ConnectorRun:
    """Release the lease with the next due time and record the run (inside the caller's transaction); raise
    ConnectorLost when the lease is no longer this run's."""
    connector, now = attempt.connector, timezone.now()
    failures = 0 if status == RunStatus.SUCCESS else connector.failures + 1
    next_run_at = now + next_delay(interval_minutes=connector.interval_minutes, failures=failures)
    held = Connector.objects.filter(pk=connector.pk, lease_until=attempt.lease)
    if not held.update(lease_until=None, next_run_at=next_run_at, failures=failures):
        raise ConnectorLost(connector.pk)
    run = ConnectorRun.objects.create(
        connector=connector,
        started_at=attempt.started_at,
        duration_ms=attempt.duration_ms(),
        attempt=connector.failures + 1,
        status=status,
        http_status=attempt.http_status,
        rows=rows,
        error=error[:ERROR_MAX],
        submission=submission,
    )
    audit_record(
        actor=system_account(),
        action="datahub_connector.run",
        obj=connector,
        changes={"status": status, "rows": rows, "run": run.pk, "next_run_at": next_run_at.isoformat()},
    )
    return run


def next_delay(*, interval_minutes: int, failures: int) -> dt.timedelta:
    """R1.2b: the interval after a success; after the n-th failure in a row RETRY_BASE × 2^(n−1) seconds,
    never longer than the interval."""
    interval = dt.timedelta(minutes=interval_minutes)
    if not failures:
        return interval
    backoff = dt.timedelta(seconds=CONNECTOR_RETRY_BASE_SECONDS * 2 ** min(failures - 1, 16))
    return min(backoff, interval)


__all__ = [
    "CONNECTOR_ROLES",
    "ConnectorLost",
    "ConnectorSettings",
    "connector_claim",
    "connector_run_now",
    "connector_set",
    "connectors_run_due",
    "next_delay",
    "rows_from_json",
]
