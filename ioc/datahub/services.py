"""Every write of the shared data hub (R1.1, R1.2, R1.4, R1.5, R1.7).

`submission_ingest` is the one way rows come in — push API, upload, web form and (later) pull connectors all call
it. It reads and checks everything before its write transaction (DESIGN "Hot paths"), stores a rejected
submission with its error report for audit, and writes a correction as a new version of the row.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.accounts import selectors as account_selectors
from ioc.audit.services import audit_record, audit_record_bulk
from ioc.common.imports import ImportSummary, import_summary
from ioc.common.periods import period_parse
from ioc.common.roles import Role, actor_has_role, actor_require_role
from ioc.datahub import indexes
from ioc.datahub.choices import (
    JOB_LEASE_SECONDS,
    JOB_MAX_ATTEMPTS,
    Channel,
    DatasetStatus,
    JobState,
    Sensitivity,
    SharingMode,
    SubmissionStatus,
)
from ioc.datahub.models import Dataset, IngestJob, Record, Submission
from ioc.datahub.quality import submission_quality
from ioc.datahub.reading import ReadError, table_read
from ioc.datahub.schema import schema_errors
from ioc.datahub.validation import Checked, CleanRow, records_check, table_check

if TYPE_CHECKING:
    from ioc.accounts.models import User
    from ioc.agencies.models import Agency, InformationSystem

logger = logging.getLogger(__name__)
CATALOG_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.IOC_OPERATOR, Role.IOC_LEADER})
DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
LOOKUP_CHUNK = 500


def max_upload_bytes() -> int:
    """The largest file or request body the hub takes (setting DATAHUB_MAX_UPLOAD_BYTES, default 20 MB)."""
    return int(getattr(settings, "DATAHUB_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES))


def _dataset_check(*, code: str, schema: Any, sensitivity: str) -> None:
    errors: dict[str, list[str]] = {}
    if sensitivity == Sensitivity.STATE_SECRET:
        errors["sensitivity"] = [_("Không tiếp nhận dữ liệu bí mật nhà nước vào kho dữ liệu dùng chung (R1.7).")]
    elif sensitivity not in Sensitivity.values:
        errors["sensitivity"] = [_("Mức độ nhạy cảm không hợp lệ.")]
    problems = schema_errors(schema)
    if problems:
        errors["schema"] = problems
    if Dataset.objects.filter(code=code).exists():
        errors["code"] = [_("Mã bộ dữ liệu đã tồn tại.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def dataset_create(
    *,
    actor: User,
    code: str,
    name: str,
    owner: Agency,
    schema: dict[str, Any],
    frequency: str,
    sharing_mode: str = SharingMode.DEFAULT,
    sensitivity: str = Sensitivity.INTERNAL,
    system: InformationSystem | None = None,
    description: str = "",
    accept_valid_rows: bool = False,
) -> Dataset:
    """R1.1: a draft dataset with a valid Table Schema; R1.7: a state secret is refused by classification."""
    actor_require_role(actor, CATALOG_ROLES, _("Chỉ quản trị hệ thống và cán bộ IOC được lập danh mục dữ liệu."))
    _dataset_check(code=code, schema=schema, sensitivity=sensitivity)
    if system is not None and system.agency_id != owner.pk:
        raise ValidationError({"system": [_("Hệ thống cung cấp phải thuộc cơ quan chủ quản.")]})
    dataset = Dataset(
        code=code,
        name=name,
        owner=owner,
        system=system,
        schema=schema,
        frequency=frequency,
        sharing_mode=sharing_mode,
        sensitivity=sensitivity,
        description=description,
        accept_valid_rows=accept_valid_rows,
        layer=str(schema.get("ioc:layer", "")),
    )
    dataset.full_clean()
    dataset.save()
    audit_record(actor=actor, action="dataset.create", obj=dataset, changes={"code": code, "owner": owner.code})
    return dataset


@transaction.atomic
def dataset_publish(*, actor: User, dataset: Dataset) -> Dataset:
    """R1.1: publish a draft: its schema is fixed and its `ioc:filterable` fields get expression indexes."""
    actor_require_role(actor, CATALOG_ROLES, _("Chỉ quản trị hệ thống và cán bộ IOC được công bố bộ dữ liệu."))
    locked = Dataset.objects.select_for_update().get(pk=dataset.pk)
    if locked.status != DatasetStatus.DRAFT:
        raise ValidationError({"status": [_("Bộ dữ liệu đã được công bố.")]})
    problems = schema_errors(locked.schema)
    if problems:
        raise ValidationError({"schema": problems})
    locked.status = DatasetStatus.PUBLISHED
    locked.published_at = timezone.now()
    locked.save(update_fields=["status", "published_at"])
    names = indexes.indexes_ensure(locked)
    audit_record(actor=actor, action="dataset.publish", obj=locked, changes={"indexes": names})
    return locked


@dataclass
class IngestResult:
    """What `submission_ingest` answers: the shared import summary, the stored submission (None on a dry run)
    and the quality measures."""

    summary: ImportSummary
    submission: Submission | None
    quality: dict[str, Any] = field(default_factory=dict)
    status: str = SubmissionStatus.REJECTED


def _submitter_check(actor: User, dataset: Dataset, agency: Agency, dry_run: bool) -> None:
    """R1.2: an account of the submitting agency (officer, head or its information system) or the system
    account; a draft dataset takes only dry runs."""
    scope = account_selectors.user_scope(user=actor)
    if agency.pk not in scope.agency_ids and not actor_has_role(actor, {Role.SYSTEM_ADMIN}):
        raise PermissionDenied(_("Tài khoản không thuộc cơ quan gửi dữ liệu."))
    if dataset.status != DatasetStatus.PUBLISHED and not dry_run:
        raise ValidationError({"dataset": [_("Bộ dữ liệu chưa được công bố: chỉ được kiểm tra thử (dry_run).")]})


def _checked(dataset: Dataset, rows: list[Any] | None, content: bytes | None, file_name: str, period: str) -> Checked:
    if (rows is None) == (content is None):
        raise ValidationError({"rows": [_("Gửi danh sách dòng hoặc một tệp, không cả hai.")]})
    if content is not None:
        if len(content) > max_upload_bytes():
            raise ValidationError(
                {"file": [_("Tệp quá lớn (tối đa %(mb)d MB).") % {"mb": max_upload_bytes() // 2**20}]}
            )
        try:
            table = table_read(content=content, file_name=file_name)
        except ReadError as exc:
            result = Checked(header_failed=True)
            result.add(0, "file", file_name, str(exc))
            return result
        return _not_empty(table_check(dataset.schema, table, default_period=period))
    return _not_empty(records_check(dataset.schema, rows or [], default_period=period))


def _not_empty(checked: Checked) -> Checked:
    if not checked.total and not checked.conflicts:
        checked.add(0, "", "", _("Không có dòng dữ liệu nào."))
        checked.header_failed = True
    return checked


def _period(period: str) -> str:
    if not period:
        return ""
    try:
        return period_parse(period).code
    except ValidationError as exc:
        raise ValidationError({"period": exc.messages}) from exc


@dataclass
class _Plan:
    new: list[CleanRow] = field(default_factory=list)
    changed: list[tuple[CleanRow, int, int]] = field(default_factory=list)  # row, old record id, old version
    unchanged: list[CleanRow] = field(default_factory=list)


def _plan(dataset: Dataset, rows: list[CleanRow]) -> _Plan:
    """Compare with the current versions: new keys, corrections (a new version) and rows sent again unchanged."""
    plan = _Plan()
    current: dict[str, tuple[int, int, dict[str, Any], int | None, str]] = {}
    hashes = [r.pk_hash for r in rows]
    for start in range(0, len(hashes), LOOKUP_CHUNK):
        chunk = hashes[start : start + LOOKUP_CHUNK]
        for pk, pk_hash, version, data, unit_id, period in Record.objects.filter(
            dataset=dataset, is_current=True, pk_hash__in=chunk
        ).values_list("pk", "pk_hash", "version", "data", "unit_id", "period"):
            current[pk_hash] = (pk, version, data, unit_id, period)
    for row in rows:
        found = current.get(row.pk_hash)
        if found is None:
            plan.new.append(row)
        elif (found[2], found[3], found[4]) == (row.data, row.unit_id, row.period):
            plan.unchanged.append(row)
        else:
            plan.changed.append((row, found[0], found[1]))
    return plan


def _expected_units(dataset: Dataset, agency: Agency) -> set[int] | None:
    last = (
        Submission.objects.filter(
            dataset=dataset, agency=agency, status__in=[SubmissionStatus.ACCEPTED, SubmissionStatus.PARTIAL]
        )
        .order_by("-received_at", "-pk")
        .values_list("pk", flat=True)
        .first()
    )
    if last is None:
        return None
    return set(Record.objects.filter(submission_id=last).exclude(unit=None).values_list("unit_id", flat=True))


def submission_ingest(
    *,
    actor: User,
    dataset: Dataset,
    agency: Agency,
    channel: str,
    rows: list[Any] | None = None,
    content: bytes | None = None,
    file_name: str = "",
    period: str = "",
    dry_run: bool = False,
    job: tuple[int, dt.datetime] | None = None,
) -> IngestResult:
    """R1.2, R1.4, R1.5: check rows (JSON `rows`, or a CSV/.xlsx `content`) against the dataset's schema and
    store them with their lineage. A submission with errors is rejected whole unless the dataset accepts valid
    rows; a rejected one is kept with its error report. `dry_run` checks and answers without writing. `job`
    (id, lease) marks a claimed IngestJob done in the submission's own transaction."""
    if channel not in Channel.values:
        raise ValidationError({"channel": [_("Kênh không hợp lệ.")]})
    _submitter_check(actor, dataset, agency, dry_run)
    code = _period(period)
    checked = _checked(dataset, rows, content, file_name, code)
    numeric = [f["name"] for f in dataset.fields if f.get("type") in ("integer", "number")]
    quality = submission_quality(checked, numeric_fields=numeric, expected_units=_expected_units(dataset, agency))
    accept = not checked.header_failed and (not checked.conflicts or dataset.accept_valid_rows) and checked.rows
    plan = _plan(dataset, checked.rows) if accept else _Plan()
    summary = import_summary(
        imported=len(plan.new), updated=len(plan.changed), ignored=len(plan.unchanged), conflicts=checked.conflicts
    )
    status = _status(summary, accept=bool(accept))
    if dry_run:
        return IngestResult(summary=summary, submission=None, quality=quality, status=status)
    stored = _Stored(status=status, checked=checked, quality=quality, summary=summary, job=job)
    submission = _store(actor, dataset, agency, channel, file_name, code, stored)
    return IngestResult(summary=summary, submission=submission, quality=quality, status=status)


def _status(summary: ImportSummary, *, accept: bool) -> str:
    if not accept:
        return SubmissionStatus.REJECTED
    return SubmissionStatus.PARTIAL if summary["conflicts"] else SubmissionStatus.ACCEPTED


class JobLost(Exception):
    """The worker's lease on an IngestJob expired and another worker took it: this run's writes roll back."""


@dataclass
class _Stored:
    status: str
    checked: Checked
    quality: dict[str, Any]
    summary: ImportSummary
    job: tuple[int, dt.datetime] | None


@transaction.atomic
def _store(
    actor: User, dataset: Dataset, agency: Agency, channel: str, file_name: str, period: str, outcome: _Stored
) -> Submission:
    status, checked, quality, summary = outcome.status, outcome.checked, outcome.quality, outcome.summary
    stored = status != SubmissionStatus.REJECTED
    plan = _plan(dataset, checked.rows) if stored else _Plan()  # again inside the lock: a racing submission
    submission = Submission.objects.create(
        dataset=dataset,
        agency=agency,
        submitter=actor,
        channel=channel,
        received_at=timezone.now(),
        period=period,
        status=status,
        file_name=file_name[:200],
        rows_total=checked.total,
        rows_imported=len(plan.new),
        rows_updated=len(plan.changed),
        rows_unchanged=len(plan.unchanged),
        rows_rejected=checked.total - len(checked.rows) if stored else checked.total,
        errors=list(summary["conflicts"]),
        quality=quality,
    )
    if stored:
        _write_records(dataset, submission, plan)
    if outcome.job is not None:
        job_id, lease = outcome.job
        done = IngestJob.objects.filter(pk=job_id, state=JobState.RUNNING, lease_until=lease)
        if not done.update(state=JobState.DONE, submission=submission, lease_until=None, content=b""):
            raise JobLost(job_id)
    audit_record(
        actor=actor,
        action="submission.ingest",
        obj=submission,
        changes={
            "status": status,
            "imported": len(plan.new),
            "updated": len(plan.changed),
            "rejected": summary["rejected"],
        },
    )
    return submission


def _write_records(dataset: Dataset, submission: Submission, plan: _Plan) -> None:
    """R1.5: new keys as version 1; a correction retires the current version and adds the next one."""
    old_ids = [old_id for _row, old_id, _version in plan.changed]
    for start in range(0, len(old_ids), LOOKUP_CHUNK):
        Record.objects.filter(pk__in=old_ids[start : start + LOOKUP_CHUNK]).update(is_current=False)
    versions = [(row, 1) for row in plan.new] + [(row, version + 1) for row, _old, version in plan.changed]
    Record.objects.bulk_create(
        [
            Record(
                dataset=dataset,
                pk_hash=row.pk_hash,
                version=version,
                is_current=True,
                submission=submission,
                unit_id=row.unit_id,
                period=row.period or submission.period,
                lat=row.lat,
                lon=row.lon,
                commune_id=row.commune_id,
                grid_cell=row.grid_cell,
                data=row.data,
            )
            for row, version in versions
        ],
        batch_size=1000,
    )


# --- large imports: durable work (DESIGN "Durable work") ---------------------------------------------------
@transaction.atomic
def ingest_job_create(
    *,
    actor: User,
    dataset: Dataset,
    agency: Agency,
    channel: str,
    rows: list[Any] | None = None,
    content: bytes | None = None,
    file_name: str = "",
    period: str = "",
) -> IngestJob:
    """R1.2: queue a large import (over SYNC_ROW_LIMIT rows) for the worker; checked like an ingest first."""
    _submitter_check(actor, dataset, agency, dry_run=False)
    code = _period(period)
    if (rows is None) == (content is None):
        raise ValidationError({"rows": [_("Gửi danh sách dòng hoặc một tệp, không cả hai.")]})
    body = json.dumps(rows, ensure_ascii=False).encode() if rows is not None else (content or b"")
    if len(body) > max_upload_bytes():
        raise ValidationError({"file": [_("Tệp quá lớn (tối đa %(mb)d MB).") % {"mb": max_upload_bytes() // 2**20}]})
    job = IngestJob.objects.create(
        dataset=dataset,
        agency=agency,
        submitter=actor,
        channel=channel,
        file_name=file_name[:200],
        is_rows=rows is not None,
        content=body,
        period=code,
    )
    audit_record(
        actor=actor, action="ingest_job.create", obj=job, changes={"dataset": dataset.code, "bytes": len(body)}
    )
    transaction.on_commit(_wake_worker)
    return job


def _wake_worker() -> None:
    from ioc.datahub.tasks import run_jobs  # tasks import this module

    try:
        run_jobs()
    except Exception:  # the periodic sweeper picks the job up anyway
        logger.exception("could not wake the data hub worker")


def _claimable(now: dt.datetime) -> Q:
    return Q(state=JobState.QUEUED) | Q(state=JobState.RUNNING, lease_until__lt=now)


def ingest_job_claim(*, pk: int) -> dt.datetime | None:
    """Claim one job by a conditional UPDATE; the lease is the claimer's token (None: taken or finished)."""
    now = timezone.now()
    lease = now + dt.timedelta(seconds=JOB_LEASE_SECONDS)
    changed = IngestJob.objects.filter(_claimable(now), pk=pk).update(
        state=JobState.RUNNING, lease_until=lease, attempts=F("attempts") + 1
    )
    return lease if changed == 1 else None


def ingest_jobs_run_due(*, limit: int = 5) -> int:
    """Run up to `limit` queued jobs (and jobs whose lease expired); returns how many finished. Safe to run
    twice and to kill anywhere: the job's row is only marked done with its submission, in one transaction."""
    candidates = list(
        IngestJob.objects.filter(_claimable(timezone.now()))
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    finished = 0
    for pk in candidates:
        lease = ingest_job_claim(pk=pk)
        if lease is not None:
            finished += _job_run(IngestJob.objects.select_related("dataset", "agency", "submitter").get(pk=pk), lease)
    return finished


def _job_run(job: IngestJob, lease: dt.datetime) -> int:
    payload: dict[str, Any] = (
        {"rows": json.loads(bytes(job.content))} if job.is_rows else {"content": bytes(job.content)}
    )
    try:
        submission_ingest(
            actor=job.submitter,
            dataset=job.dataset,
            agency=job.agency,
            channel=job.channel,
            file_name=job.file_name,
            period=job.period,
            job=(job.pk, lease),
            **payload,
        )
    except JobLost:
        return 0
    except (ValidationError, PermissionDenied) as exc:
        _job_fail(job, lease, "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
        return 1
    except Exception as exc:  # retried after the lease unless attempts are spent
        logger.exception("data hub job %s failed", job.pk)
        if job.attempts >= JOB_MAX_ATTEMPTS:
            _job_fail(job, lease, repr(exc))
            return 1
        return 0
    return 1


def _job_fail(job: IngestJob, lease: dt.datetime, reason: str) -> None:
    IngestJob.objects.filter(pk=job.pk, state=JobState.RUNNING, lease_until=lease).update(
        state=JobState.FAILED, lease_until=None, last_error=reason[:2000]
    )


# --- older history in bulk (DESIGN "Demo data") ------------------------------------------------------------
@dataclass(frozen=True)
class BulkSubmission:
    """One historical submission for `submission_load_bulk`: JSON rows received at a past moment."""

    agency: Agency
    channel: str
    received_at: dt.datetime
    rows: list[dict[str, Any]]
    period: str = ""
    file_name: str = ""


@transaction.atomic
def submission_load_bulk(*, actor: User, dataset: Dataset, batch: list[BulkSubmission]) -> list[Submission]:
    """R1.2, R1.5 (DESIGN "Demo data"): older history in bulk — each submission checked exactly as
    `submission_ingest` checks it (schema, code lists, keys, units, points), stored with its past receipt time,
    rows as new versions, rejected ones kept with their report; one audit entry for the whole batch."""
    actor_require_role(actor, {Role.SYSTEM_ADMIN}, _("Chỉ tài khoản hệ thống được nạp lịch sử hàng loạt."))
    stored: list[Submission] = []
    numeric = [f["name"] for f in dataset.fields if f.get("type") in ("integer", "number")]
    for item in batch:
        code = _period(item.period)
        checked = _not_empty(records_check(dataset.schema, item.rows, default_period=code))
        quality = submission_quality(checked, numeric_fields=numeric)
        accept = not checked.header_failed and (not checked.conflicts or dataset.accept_valid_rows) and checked.rows
        plan = _plan(dataset, checked.rows) if accept else _Plan()
        summary = import_summary(
            imported=len(plan.new), updated=len(plan.changed), ignored=len(plan.unchanged), conflicts=checked.conflicts
        )
        submission = Submission.objects.create(
            dataset=dataset,
            agency=item.agency,
            submitter=actor,
            channel=item.channel,
            received_at=item.received_at,
            period=code,
            status=_status(summary, accept=bool(accept)),
            file_name=item.file_name,
            rows_total=checked.total,
            rows_imported=len(plan.new),
            rows_updated=len(plan.changed),
            rows_unchanged=len(plan.unchanged),
            rows_rejected=checked.total - len(checked.rows) if accept else checked.total,
            errors=list(checked.conflicts),
            quality=quality,
        )
        _write_records(dataset, submission, plan)
        stored.append(submission)
    audit_record_bulk(
        actor=actor,
        action="submission.load_bulk",
        object_type="datahub.submission",
        rows=[(s.pk, s.dataset_id, s.status, s.rows_total, s.received_at.isoformat()) for s in stored],
        changes={"dataset": dataset.code, "submissions": len(stored)},
    )
    return stored
