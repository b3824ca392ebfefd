"""Large imports as durable work (R1.2, DESIGN "Durable work"): a row per job, claimed with a lease; the job
is marked done in its submission's own transaction."""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.audit.services import audit_record
from ioc.datahub.choices import (
    JOB_LEASE_SECONDS,
    JOB_MAX_ATTEMPTS,
    SYNC_ROW_LIMIT,
    SYNC_WORKBOOK_BYTES,
    JobState,
)
from ioc.datahub.models import Dataset, IngestJob
from ioc.datahub.services._base import (
    max_upload_bytes,
    period_code,
    submitter_check,
)
from ioc.datahub.services.ingest import JobLost, submission_ingest

if TYPE_CHECKING:
    from ioc.accounts.models import User
    from ioc.agencies.models import Agency


logger = logging.getLogger(__name__)


# --- large imports: durable work (DESIGN "Durable work") ---------------------------------------------------
def is_large(*, rows: list[Any] | None = None, content: bytes | None = None, file_name: str = "") -> bool:
    """R1.2: over SYNC_ROW_LIMIT rows (JSON rows; CSV lines), or a workbook over SYNC_WORKBOOK_BYTES: the worker's
    (the push API answers 202, the upload page shows the job), not the request's."""
    if rows is not None:
        return len(rows) > SYNC_ROW_LIMIT
    body = content or b""
    if file_name.lower().endswith(".xlsx"):
        return len(body) > SYNC_WORKBOOK_BYTES
    lines = body.count(b"\n") + (0 if body.endswith(b"\n") else 1)
    return lines - 1 > SYNC_ROW_LIMIT  # the header line is not a row


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
    submitter_check(actor, dataset, agency, dry_run=False)
    code = period_code(period)
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
