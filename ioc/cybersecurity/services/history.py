"""R5.6, R11: the demo's older history in bulk (DESIGN "Demo data"): check results and security events written
set-wise, one audit entry per batch (`audit_record_bulk`) naming the rows' digest; no alert is raised for history
(the last 14 days go through the real services)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import transaction

from ioc.audit.services import audit_record_bulk
from ioc.cybersecurity.models import CheckResult, SecurityEvent
from ioc.cybersecurity.rollup import cells_add, cells_of
from ioc.cybersecurity.services.assets import require_config

if TYPE_CHECKING:
    from ioc.accounts.models import User

BATCH = 5000


@transaction.atomic
def history_results_bulk(*, actor: User, results: Sequence[CheckResult]) -> int:
    """Past checks (unsaved rows), in batches, one audit entry each."""
    require_config(actor)
    for start in range(0, len(results), BATCH):
        batch = results[start : start + BATCH]
        CheckResult.objects.bulk_create(batch, batch_size=1000)
        audit_record_bulk(
            actor=actor,
            action="cyber_result.history",
            object_type="cybersecurity.checkresult",
            rows=[(r.asset_id, r.checked_at.isoformat(), r.ok) for r in batch],
        )
    return len(results)


@transaction.atomic
def history_events_bulk(*, actor: User, events: Sequence[SecurityEvent]) -> int:
    """Past security events (unsaved rows, digests set), in batches, one audit entry each; repeats (a digest
    stored already or twice in a batch) ignored, and not counted in the daily cells."""
    require_config(actor)
    for start in range(0, len(events), BATCH):
        unique = {e.digest: e for e in events[start : start + BATCH]}
        known = set(SecurityEvent.objects.filter(digest__in=list(unique)).values_list("digest", flat=True))
        batch = [e for digest, e in unique.items() if digest not in known]
        SecurityEvent.objects.bulk_create(batch, batch_size=1000, ignore_conflicts=True)
        cells_add(cells_of((e.occurred_at, e.agency_id, e.rule) for e in batch))
        audit_record_bulk(
            actor=actor,
            action="security_event.history",
            object_type="cybersecurity.securityevent",
            rows=[(e.digest,) for e in batch],
        )
    return len(events)
