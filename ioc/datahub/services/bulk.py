"""Older history in bulk (DESIGN "Demo data"): `submission_load_bulk`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from ioc.audit.services import audit_record_bulk
from ioc.common.roles import Role, actor_require_role
from ioc.datahub.models import Dataset, Submission
from ioc.datahub.quality import submission_quality
from ioc.datahub.services._base import (
    Plan,
    not_empty,
    period_code,
    plan_rows,
    records_write,
    status_of,
)
from ioc.datahub.validation import records_check

if TYPE_CHECKING:
    from ioc.accounts.models import User
    from ioc.agencies.models import Agency


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
        code = period_code(item.period)
        checked = not_empty(records_check(dataset.schema, item.rows, default_period=code))
        quality = submission_quality(checked, numeric_fields=numeric)
        accept = not checked.header_failed and (not checked.conflicts or dataset.accept_valid_rows) and checked.rows
        plan = plan_rows(dataset, checked.rows) if accept else Plan()
        submission = Submission.objects.create(
            dataset=dataset,
            agency=item.agency,
            submitter=actor,
            channel=item.channel,
            received_at=item.received_at,
            period=code,
            status=status_of(checked.conflicts, accept=bool(accept)),
            file_name=item.file_name,
            rows_total=checked.total,
            rows_imported=len(plan.new),
            rows_updated=len(plan.changed),
            rows_unchanged=len(plan.unchanged),
            rows_rejected=checked.total - len(checked.rows) if accept else checked.total,
            errors=list(checked.conflicts),
            quality=quality,
        )
        records_write(dataset, submission, plan)
        stored.append(submission)
    audit_record_bulk(
        actor=actor,
        action="submission.load_bulk",
        object_type="datahub.submission",
        rows=[(s.pk, s.dataset_id, s.status, s.rows_total, s.received_at.isoformat()) for s in stored],
        changes={"dataset": dataset.code, "submissions": len(stored)},
    )
    return stored
