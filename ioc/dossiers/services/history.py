"""The documented bulk loader of past dossiers (DESIGN "Demo data"; R5.3): the demo's year of history, judged by
the same checks as live events (`checks.dossier_check`), written set-wise with one `dossier.bulk_load` audit entry
per batch (`audit_record_bulk`). Past violations come already verified (confirmed, handled or dismissed)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from ioc.accounts.models import User
from ioc.agencies.models import Agency
from ioc.audit.services import audit_record_bulk
from ioc.common.bulk import insert_returning
from ioc.common.privacy import blind_index
from ioc.dossiers.checks import EventView, dossier_check
from ioc.dossiers.choices import ViolationState
from ioc.dossiers.models import Dossier, DossierEvent, ProcedureVersion, Violation
from ioc.dossiers.rules import RULES_BY_CODE
from ioc.dossiers.services.recheck import shape_of
from ioc.geo.models import AdminUnit
from ioc.worktime.selectors import WorkCalendar


@dataclass
class PastDossier:
    """One past dossier and its events as the one-stop shop would have sent them (`EventView.id` ignored)."""

    code: str
    version: ProcedureVersion
    channel: str
    unit: AdminUnit | None
    contact: str
    events: list[EventView] = field(default_factory=list)
    verdict: str = ViolationState.CONFIRMED  # what the IOC decided on its violations


def _dossier(agency: Agency, past: PastDossier, result: Any) -> Dossier:
    return Dossier(
        code=past.code,
        agency=agency,
        version=past.version,
        unit=past.unit,
        channel=past.channel,
        received_at=result.received_at,
        due_at=result.due_at,
        promised_at=result.promised_at,
        status=result.status,
        current_step=result.current_step,
        finished_at=result.finished_at,
        returned_at=result.returned_at,
        is_late=result.is_late,
        digitised=result.digitised,
        intake_digitised=result.intake_digitised,
        rating=result.rating,
        contact_index=blind_index(past.contact),
        next_check_at=result.next_check_at,
    )


def _event(dossier: Dossier, agency: Agency, n: int, e: EventView) -> DossierEvent:
    return DossierEvent(
        dossier=dossier,
        agency=agency,
        source_event_id=f"{dossier.code}-{n}",
        kind=e.kind,
        occurred_at=e.occurred_at,
        stored_at=e.occurred_at,
        step_code=e.step_code,
        account=e.account,
        assignee=e.assignee,
        reason=e.reason,
        new_due_at=e.new_due_at,
        documents=list(e.documents),
        rating=e.rating,
        digitised=e.digitised,
    )


def _violation(dossier: Dossier, finding: Any, verdict: str, actor: User) -> Violation:
    rule = RULES_BY_CODE[finding.rule]
    dismissed = verdict == ViolationState.DISMISSED
    return Violation(
        dossier=dossier,
        agency=dossier.agency,
        rule=rule.code,
        step_code=finding.step_code,
        severity=rule.severity,
        handling=rule.handling,
        occurred_at=finding.occurred_at,
        detected_at=finding.occurred_at,
        detail=finding.detail,
        state=verdict,
        verified_by=actor,
        verified_at=finding.occurred_at + dt.timedelta(hours=4),
        dismiss_reason="Cơ quan đã giải trình hợp lý" if dismissed else "",
    )


@transaction.atomic
def dossier_history_bulk_create(
    *, agency: Agency, dossiers: list[PastDossier], calendar: WorkCalendar, now: dt.datetime, actor: User
) -> dict[str, int]:
    """R5.3: store past dossiers of `agency` with their events and verified violations; one audit entry."""
    shapes: dict[int, Any] = {}
    built: list[tuple[Dossier, PastDossier, Any]] = []
    for past in dossiers:
        if past.version.pk not in shapes:
            shapes[past.version.pk] = shape_of(past.version.pk)
        shape = shapes[past.version.pk]
        result = dossier_check(version=shape, events=past.events, calendar=calendar, now=now)
        built.append((_dossier(agency, past, result), past, result))
    insert_returning([d for d, _p, _r in built])  # multi-row INSERT … RETURNING: the pks, without the ORM compiler
    events = [_event(d, agency, n, e) for d, p, _r in built for n, e in enumerate(p.events, 1)]
    insert_returning(events)
    violations = [_violation(d, finding, p.verdict, actor) for d, p, r in built for finding in r.findings.values()]
    insert_returning(violations)
    audit_record_bulk(
        actor=actor,
        action="dossier.bulk_load",
        object_type="dossiers.Dossier",
        rows=[(d.code, str(d.received_at)) for d, _p, _r in built],
        changes={"agency": agency.code, "events": len(events), "violations": len(violations)},
    )
    return {"dossiers": len(built), "events": len(events), "violations": len(violations)}
