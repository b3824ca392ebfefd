"""The annotated error sheet (R1.4 "bảng lỗi"; issue 10): the officer's own file of a submission with errors is
kept (bounded in size, and in time by `error_sheets_expire`); the first download makes a copy with the bad cells
marked (`annotate.py`) — at once for a small file, by the worker for a large one (durable work: the
SubmissionFile row, claimed by a conditional UPDATE with a lease, as large imports are)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.audit.services import audit_record
from ioc.common.actors import system_actor
from ioc.datahub.annotate import annotated_sheet
from ioc.datahub.choices import (
    KEEP_UPLOAD_BYTES,
    KEEP_UPLOAD_DAYS,
    SHEET_LEASE_SECONDS,
    SHEET_MAX_ATTEMPTS,
    SYNC_ROW_LIMIT,
    SYNC_WORKBOOK_BYTES,
    SheetState,
)
from ioc.datahub.models import Submission, SubmissionFile
from ioc.datahub.reading import ReadError, is_workbook

if TYPE_CHECKING:
    from ioc.accounts.models import User
    from ioc.common.imports import ImportConflict

logger = logging.getLogger(__name__)


def keep_upload_bytes() -> int:
    return int(getattr(settings, "DATAHUB_KEEP_UPLOAD_BYTES", KEEP_UPLOAD_BYTES))


def keep_upload_days() -> int:
    return int(getattr(settings, "DATAHUB_KEEP_UPLOAD_DAYS", KEEP_UPLOAD_DAYS))


def worth_keeping(content: bytes | None, conflicts: list[ImportConflict]) -> bool:
    """A file with errors on its rows or header, read to the end (no whole-file refusal on row 0), not too big."""
    return (
        content is not None
        and bool(conflicts)
        and len(content) <= keep_upload_bytes()
        and all(c["row"] >= 1 for c in conflicts)
    )


def upload_keep(*, submission: Submission, content: bytes, file_name: str) -> SubmissionFile:
    """Keep a submission's file for its sheet; called by `submission_ingest` inside its transaction (its audit
    entry covers it)."""
    return SubmissionFile.objects.create(
        submission=submission, file_name=file_name[:200], content=content, kept_at=submission.received_at
    )


def _is_large(kept: SubmissionFile, submission: Submission) -> bool:
    if is_workbook(bytes(kept.content[:4]), kept.file_name):
        return len(kept.content) > SYNC_WORKBOOK_BYTES
    return submission.rows_total > SYNC_ROW_LIMIT


def error_sheet_request(*, actor: User, submission: Submission) -> SubmissionFile | None:
    """R1.4: the submission's annotated sheet, made on the first request — at once for a small file, queued for
    the worker for a large one (the answer's state says which). None: no kept file (no errors, JSON rows, a file
    over the bound, or past its retention). `actor` must see the submission (the page's selector checked it;
    checked again here)."""
    from ioc.datahub.selectors import submission_get

    if submission_get(user=actor, pk=submission.pk) is None:
        raise PermissionDenied(_("Không có quyền xem lần nộp này."))
    kept = SubmissionFile.objects.filter(submission=submission).first()
    if kept is None or kept.state != SheetState.KEPT:
        return kept
    large = _is_large(kept, submission)
    with transaction.atomic():
        wanted = SheetState.QUEUED if large else SheetState.RUNNING
        lease = None if large else timezone.now() + dt.timedelta(seconds=SHEET_LEASE_SECONDS)
        claimed = SubmissionFile.objects.filter(pk=kept.pk, state=SheetState.KEPT).update(
            state=wanted, lease_until=lease, attempts=F("attempts") + (0 if large else 1)
        )
        if claimed:
            audit_record(actor=actor, action="submission.error_sheet", obj=submission, changes={"large": large})
            if large:
                transaction.on_commit(_wake_worker)
    if claimed and lease is not None:
        _make(SubmissionFile.objects.get(pk=kept.pk), submission, lease)
    return SubmissionFile.objects.get(pk=kept.pk)


def _wake_worker() -> None:
    from ioc.datahub.tasks import run_sheets  # tasks import this module

    try:
        run_sheets()
    except Exception:  # the periodic sweeper picks it up anyway
        logger.exception("could not wake the data hub worker for an error sheet")


def _make(kept: SubmissionFile, submission: Submission, lease: dt.datetime) -> None:
    """Write the sheet and mark it done, if this claimer still holds the lease; a file that cannot be read again
    fails at once, anything else is retried after the lease until the attempts are spent."""
    mine = SubmissionFile.objects.filter(pk=kept.pk, state=SheetState.RUNNING, lease_until=lease)
    try:
        sheet = annotated_sheet(
            schema=submission.dataset.schema,
            content=bytes(kept.content),
            file_name=kept.file_name,
            conflicts=list(submission.errors),
        )
    except ReadError as exc:
        mine.update(state=SheetState.FAILED, lease_until=None, last_error=str(exc)[:2000])
        return
    except Exception as exc:
        logger.exception("error sheet of submission %s failed", kept.pk)
        if kept.attempts >= SHEET_MAX_ATTEMPTS:
            mine.update(state=SheetState.FAILED, lease_until=None, last_error=repr(exc)[:2000])
        return
    mine.update(state=SheetState.DONE, sheet=sheet.content, lease_until=None)


def _claimable(now: dt.datetime) -> Q:
    return Q(state=SheetState.QUEUED) | Q(state=SheetState.RUNNING, lease_until__lt=now)


def error_sheets_run_due(*, limit: int = 3) -> int:
    """The worker: make up to `limit` queued sheets (and those whose lease expired); returns how many it
    tried. Safe to run twice and to kill anywhere: a sheet is marked done with its bytes in one UPDATE that
    only the lease holder's matches."""
    now = timezone.now()
    candidates = list(
        SubmissionFile.objects.filter(_claimable(now)).order_by("kept_at").values_list("pk", flat=True)[:limit]
    )
    made = 0
    for pk in candidates:
        lease = timezone.now() + dt.timedelta(seconds=SHEET_LEASE_SECONDS)
        claimed = SubmissionFile.objects.filter(_claimable(timezone.now()), pk=pk).update(
            state=SheetState.RUNNING, lease_until=lease, attempts=F("attempts") + 1
        )
        if not claimed:
            continue
        kept = SubmissionFile.objects.select_related("submission__dataset").get(pk=pk)
        _make(kept, kept.submission, lease)
        made += 1
    return made


def error_sheets_expire(*, now: dt.datetime | None = None) -> int:
    """R1.4 retention: drop the kept files (and their sheets) older than DATAHUB_KEEP_UPLOAD_DAYS; the
    submission and its error report stay. One audit entry per sweep that dropped any."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=keep_upload_days())
    with transaction.atomic():
        dropped, _by_model = SubmissionFile.objects.filter(kept_at__lt=cutoff).delete()
        if dropped:
            audit_record(
                actor=system_actor(),
                action="submission_file.expire",
                object_type="datahub.submissionfile",
                changes={"dropped": dropped, "kept_before": cutoff.isoformat()},
                row_count=dropped,
            )
    return dropped
