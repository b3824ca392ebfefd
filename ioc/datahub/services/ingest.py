"""`submission_ingest`, the one way rows come in (R1.2, R1.4, R1.5): push API, upload and (later) pull
connectors and the web form all call it. It reads and checks everything before its write transaction (DESIGN
"Hot paths"), keeps a rejected submission with its error report, and writes a correction as a new version."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.audit.services import audit_record
from ioc.common.imports import ImportSummary, import_summary
from ioc.datahub.choices import (
    Channel,
    JobState,
    SubmissionStatus,
)
from ioc.datahub.models import Dataset, IngestJob, Submission
from ioc.datahub.quality import submission_quality
from ioc.datahub.services._base import (
    Plan,
    checked_rows,
    expected_units,
    period_code,
    plan_rows,
    records_write,
    status_of,
    submitter_check,
)
from ioc.datahub.services.sheets import upload_keep, worth_keeping
from ioc.datahub.validation import Checked

if TYPE_CHECKING:
    from ioc.accounts.models import User
    from ioc.agencies.models import Agency


@dataclass
class IngestResult:
    """What `submission_ingest` answers: the shared import summary, the stored submission (None on a dry run)
    and the quality measures."""

    summary: ImportSummary
    submission: Submission | None
    quality: dict[str, Any] = field(default_factory=dict)
    status: str = SubmissionStatus.REJECTED


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
    after_store: Callable[[Submission], None] | None = None,
) -> IngestResult:
    """R1.2, R1.4, R1.5: check rows (JSON `rows`, or a CSV/.xlsx `content`) against the dataset's schema and
    store them with their lineage. A submission with errors is rejected whole unless the dataset accepts valid
    rows; a rejected one is kept with its error report. `dry_run` checks and answers without writing. `job`
    (id, lease) marks a claimed IngestJob done in the submission's own transaction; `after_store` runs in that
    transaction too (a pull connector records its run there: raising rolls the whole submission back)."""
    if channel not in Channel.values:
        raise ValidationError({"channel": [_("Kênh không hợp lệ.")]})
    submitter_check(actor, dataset, agency, dry_run)
    code = period_code(period)
    checked = checked_rows(dataset, rows, content, file_name, code)
    numeric = [f["name"] for f in dataset.fields if f.get("type") in ("integer", "number")]
    quality = submission_quality(checked, numeric_fields=numeric, expected_units=expected_units(dataset, agency))
    accept = bool(not checked.header_failed and (not checked.conflicts or dataset.accept_valid_rows) and checked.rows)
    status = status_of(checked.conflicts, accept=accept)
    if dry_run:
        plan = plan_rows(dataset, checked.rows) if accept else Plan()
        return IngestResult(summary=_summary(plan, checked), submission=None, quality=quality, status=status)
    stored = _Stored(status=status, checked=checked, quality=quality, job=job, after_store=after_store)
    if worth_keeping(content, checked.conflicts):  # R1.4: the officer's own file, for its annotated sheet
        stored.content = content
    submission, plan = _store(actor, dataset, agency, channel, file_name, code, stored)
    return IngestResult(summary=_summary(plan, checked), submission=submission, quality=quality, status=status)


def _summary(plan: Plan, checked: Checked) -> ImportSummary:
    return import_summary(
        imported=len(plan.new), updated=len(plan.changed), ignored=len(plan.unchanged), conflicts=checked.conflicts
    )


class JobLost(Exception):
    """The worker's lease on an IngestJob expired and another worker took it: this run's writes roll back."""


@dataclass
class _Stored:
    status: str
    checked: Checked
    quality: dict[str, Any]
    job: tuple[int, dt.datetime] | None
    after_store: Callable[[Submission], None] | None = None
    content: bytes | None = None  # kept for the annotated error sheet


@transaction.atomic
def _store(
    actor: User, dataset: Dataset, agency: Agency, channel: str, file_name: str, period: str, outcome: _Stored
) -> tuple[Submission, Plan]:
    """Write the submission (and its rows unless rejected), comparing with the current versions inside the
    transaction (on SQLite it holds the write lock: no racing submission can slip in between)."""
    status, checked, quality = outcome.status, outcome.checked, outcome.quality
    stored = status != SubmissionStatus.REJECTED
    plan = plan_rows(dataset, checked.rows) if stored else Plan()
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
        errors=list(checked.conflicts),
        quality=quality,
    )
    if stored:
        records_write(dataset, submission, plan)
    if outcome.content is not None:
        upload_keep(submission=submission, content=outcome.content, file_name=file_name)
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
            "rejected": submission.rows_rejected,
        },
    )
    if outcome.after_store is not None:
        outcome.after_store(submission)
    return submission, plan
