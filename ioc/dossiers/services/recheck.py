"""A dossier re-judged after each event or by the sweep (R5.3): figures saved, violations kept in step with the
findings (new ones opened, disproved open ones withdrawn), immediate rules raised in the incidents inbox."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from ioc.accounts.models import User
from ioc.dossiers.checks import CheckResult, EventView, Finding, VersionShape, dossier_check
from ioc.dossiers.choices import ALERT_SOURCE, Handling, ViolationState
from ioc.dossiers.models import Dossier, DossierEvent, Violation
from ioc.dossiers.rules import RULES_BY_CODE, alert_kind
from ioc.dossiers.selectors import version_shape
from ioc.incidents.services import alert_raise
from ioc.worktime.selectors import LOCAL_TZ, WorkCalendar

SAVED_FIELDS = ["due_at", "status", "current_step", "finished_at", "returned_at", "promised_at", "is_late"]
SAVED_FIELDS += ["digitised", "intake_digitised", "rating", "next_check_at"]


def shape_of(version_id: int) -> VersionShape:
    """R5.3: a procedure version's shape as the checks take it (`selectors.version_shape`, kept per process: a version
    never changes once written). A dossier's version is protected from deletion, so a missing one is a bug."""
    shape = version_shape(version_id=version_id)
    if shape is None:
        raise LookupError(f"procedure version {version_id} not found")
    return shape


def event_view(event: DossierEvent) -> EventView:
    return EventView(
        id=event.pk,
        kind=event.kind,
        occurred_at=event.occurred_at,
        step_code=event.step_code,
        account=event.account,
        assignee=event.assignee,
        reason=event.reason,
        new_due_at=event.new_due_at,
        documents=tuple(event.documents or ()),
        rating=event.rating,
        digitised=event.digitised,
    )


def raise_alert(violation: Violation, finding: Finding, actor: User) -> None:
    """An immediate rule's alert in the incidents inbox, one per (agency, rule, day)."""
    rule = RULES_BY_CODE[violation.rule]
    day = finding.occurred_at.astimezone(LOCAL_TZ).date().isoformat()
    alert_raise(
        source=ALERT_SOURCE,
        dedup_key=f"{violation.agency.code}:{rule.code}:{day}",
        kind=alert_kind(rule.code),
        severity=rule.severity,
        title=f"{rule.label} — {violation.agency.short_name or violation.agency.name}"[:200],
        occurred_at=finding.occurred_at,
        unit=violation.dossier.unit,
        payload={"dossier": violation.dossier.code, "rule": rule.code, "basis": rule.basis},
        actor=actor,
    )


def violation_open(dossier: Dossier, finding: Finding, found: Violation | None, now: dt.datetime) -> Violation:
    """A violation for `finding`, new or `found` (withdrawn) reopened; the caller saves it."""
    rule = RULES_BY_CODE[finding.rule]
    violation = found or Violation(dossier=dossier, agency=dossier.agency, rule=rule.code, step_code=finding.step_code)
    violation.severity, violation.handling = rule.severity, rule.handling
    violation.occurred_at, violation.detected_at = finding.occurred_at, now
    violation.detail, violation.event_ids = finding.detail, list(finding.event_ids)
    violation.state = ViolationState.OPEN
    return violation


def violations_sync(*, dossier: Dossier, result: CheckResult, actor: User, now: dt.datetime) -> list[Violation]:
    """Open a violation per new finding (reopen a withdrawn one); withdraw open ones no finding supports."""
    existing = {(v.rule, v.step_code): v for v in dossier.violations.all()}
    opened: list[Violation] = []
    for key, finding in result.findings.items():
        found = existing.get(key)
        if found is not None and found.state != ViolationState.WITHDRAWN:
            continue
        violation = violation_open(dossier, finding, found, now)
        violation.save()
        opened.append(violation)
        if violation.handling == Handling.IMMEDIATE:
            raise_alert(violation, finding, actor)
    stale = [v.pk for key, v in existing.items() if key not in result.findings and v.state == ViolationState.OPEN]
    if stale:
        Violation.objects.filter(pk__in=stale).update(state=ViolationState.WITHDRAWN)
    return opened


@transaction.atomic
def dossier_recheck(
    *, dossier: Dossier, calendar: WorkCalendar, actor: User, now: dt.datetime | None = None
) -> list[Violation]:
    """R5.3: re-judge `dossier` from all its events; save its figures and sync its violations (the new ones)."""
    now = now or timezone.now()
    events = [event_view(e) for e in dossier.events.all()]
    result = dossier_check(version=shape_of(dossier.version_id), events=events, calendar=calendar, now=now)
    for name in SAVED_FIELDS:
        setattr(dossier, name, getattr(result, name))
    dossier.check_lease_until = None
    dossier.save(update_fields=[*SAVED_FIELDS, "check_lease_until"])
    return violations_sync(dossier=dossier, result=result, actor=actor, now=now)
