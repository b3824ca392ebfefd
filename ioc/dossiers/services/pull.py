"""The pull path of the one-stop shop's events (R5.3; issue 23 item 2b): a data-hub pull connector stores the
events as rows of a `dossier_events` dataset (its Table Schema is `datasets.dossier_events_schema`); this reads the
stored submissions past a watermark (`datahub.selectors.submission_list(accepted_since=…)`, ties broken by the
submission id) and hands their rows to `dossier_event_receive` — the push API's one service — for the agency that
owns the dataset. The watermark (`PullMark`) moves in the same transaction as each submission's events: killed
at any line, a run reads that submission again, and the events' idempotency makes that harmless."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q

from ioc.accounts.models import User
from ioc.datahub import selectors as datahub_selectors
from ioc.datahub.models import Record, Submission
from ioc.dossiers.choices import BATCH_MAX
from ioc.dossiers.datasets import EVENTS_DATASET
from ioc.dossiers.models import PullMark
from ioc.dossiers.payloads import FIELDS, dossier_code_of
from ioc.dossiers.services.intake import dossier_event_receive
from ioc.dossiers.services.locks import dossiers_lock


def _pending(mark: PullMark) -> Any:
    datasets = Q(dataset__code=EVENTS_DATASET) | Q(dataset__code__startswith=f"{EVENTS_DATASET}_")
    if mark.received_at is None:
        return datahub_selectors.submission_list().filter(datasets)
    since = mark.received_at - dt.timedelta(microseconds=1)  # the tie: same instant, a later id
    later = Q(received_at__gt=mark.received_at) | Q(pk__gt=mark.submission_id)
    return datahub_selectors.submission_list(accepted_since=since).filter(datasets).filter(later)


def event_rows(submission: Submission) -> list[dict[str, Any]]:
    """The rows a submission stored, as the push API's events (empty cells left out)."""
    rows = Record.objects.filter(submission=submission).order_by("pk").values_list("data", flat=True)
    return [{k: v for k, v in data.items() if k in FIELDS and v not in (None, "")} for data in rows]


def _receive(submission: Submission, actor: User) -> int:
    rows = event_rows(submission)
    # Every dossier of the submission locked at once, in the one ascending order, before the first batch: each
    # batch locks its own codes again (harmless), but batch by batch the order would not be ascending across
    # batches, and a concurrent push could deadlock with the pull.
    dossiers_lock(agency_id=submission.agency_id, codes=[dossier_code_of(row) for row in rows])
    stored = 0
    for start in range(0, len(rows), BATCH_MAX):
        summary = dossier_event_receive(agency=submission.agency, rows=rows[start : start + BATCH_MAX], actor=actor)
        stored += summary["imported"]
    return stored


def dossier_events_pull(*, actor: User, limit: int = 20) -> int:
    """R5.3: receive the events of up to `limit` submissions of the `dossier_events` datasets past the watermark;
    the events stored. Safe to run twice (one watermark row, locked while it moves)."""
    PullMark.objects.get_or_create(dataset_code=EVENTS_DATASET)
    stored = 0
    for _n in range(limit):
        with transaction.atomic():
            mark = PullMark.objects.select_for_update().get(dataset_code=EVENTS_DATASET)
            submission = _pending(mark).select_related("agency").first()
            if submission is None:
                break
            stored += _receive(submission, actor)
            mark.received_at, mark.submission_id = submission.received_at, submission.pk
            mark.save(update_fields=["received_at", "submission_id", "updated_at"])
    return stored
