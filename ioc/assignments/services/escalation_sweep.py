"""The escalation sweep (R3.3, R4.3, R4.5; DESIGN "Durable work"), set-based (issue 12 "Speed").

Due rows are claimed in batches (one conditional UPDATE with a lease; on PostgreSQL the candidates are read with
SELECT … FOR UPDATE SKIP LOCKED, so concurrent sweepers take disjoint batches), then fired set-wise in one
transaction per batch: one INSERT of the timeline rows, one of the audit entries (one per step, as before), the
subjects' handlers told of the whole batch, one INSERT of the outbox rows and their audit entries, one UPDATE per
row releasing its lease (executemany). Chains, calendars, recipients and the system account are read once per
sweep. A batch that fails is retried row by row, so one bad row never holds the others back.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.accounts.choices import Role
from ioc.accounts.models import User
from ioc.accounts.selectors import system_account
from ioc.assignments import notices, selectors
from ioc.assignments.choices import ESCALATION_AGENCY_ROLES, ESCALATION_LEASE_SECONDS, OPEN_STATUSES, UpdateKind
from ioc.assignments.models import Assignment, AssignmentUpdate, EscalationStep
from ioc.assignments.services._base import accept_pending, local_text, next_wakeup, notice_context, planned_due
from ioc.assignments.services.handlers import Transition, call_handler_batch
from ioc.audit.services import AuditItem, audit_record_many
from ioc.common.bulk import insert_returning
from ioc.notifications.services import Message, notification_enqueue_many
from ioc.worktime.selectors import WorkCalendar, calendar_for

logger = logging.getLogger("ioc.assignments")

BATCH = 500  # rows claimed and fired per transaction


def _due(now: dt.datetime) -> Q:
    """Open work whose next step is due and that nobody holds (or whose holder's lease has expired)."""
    free = Q(escalation_lease_until__isnull=True) | Q(escalation_lease_until__lt=now)
    return Q(status__in=OPEN_STATUSES, next_escalation_at__lte=now) & free


def assignment_escalation_claim(*, pk: int, now: dt.datetime | None = None) -> dt.datetime | None:
    """Claim one row by a conditional UPDATE; returns the lease (the claimer's token) or None if taken."""
    now = now or timezone.now()
    lease = now + dt.timedelta(seconds=ESCALATION_LEASE_SECONDS)
    changed = Assignment.objects.filter(_due(now), pk=pk).update(escalation_lease_until=lease)
    return lease if changed == 1 else None


def escalation_claim_batch(*, now: dt.datetime, limit: int) -> tuple[dt.datetime, list[int]]:
    """Claim up to `limit` due rows (oldest due first) under one lease; returns (lease, their ids).

    One transaction: the candidates (PostgreSQL: locked, skipping rows another sweeper holds; SQLite: the
    IMMEDIATE transaction serialises) and the conditional UPDATE that leases them."""
    lease = now + dt.timedelta(seconds=ESCALATION_LEASE_SECONDS)
    with transaction.atomic():
        due = Assignment.objects.select_for_update(skip_locked=True, of=("self",)).filter(_due(now))
        pks = list(due.order_by("next_escalation_at", "pk").values_list("pk", flat=True)[:limit])
        if pks:
            Assignment.objects.filter(_due(now), pk__in=pks).update(escalation_lease_until=lease)
    return lease, pks


@dataclass
class Sweep:
    """What one sweep reads once: chains' steps, agencies' calendars, recipients by role, the system account."""

    steps: dict[int, list[EscalationStep]] = field(default_factory=dict)
    calendars: dict[int, WorkCalendar] = field(default_factory=dict)
    people: dict[tuple[int | None, str], list[User]] = field(default_factory=dict)
    system: User | None = None
    texts: dict[str, str] = field(default_factory=dict)

    def text(self, key: str) -> str:
        """A translated label or message format, looked up once per sweep (one language for the whole sweep)."""
        if key not in self.texts:
            self.texts[key] = _FORMATS[key]() if key in _FORMATS else _role_label(key)
        return self.texts[key]

    def detail_url(self, pk: int) -> str:
        """The work's page, `reverse` once per sweep (~0.5 ms each under load) and the id put in its place."""
        if "url" not in self.texts:
            self.texts["url"] = reverse("assignments:detail", args=[_URL_MARK])
        return self.texts["url"].replace(str(_URL_MARK), str(pk))

    def chain_steps(self, assignment: Assignment) -> list[EscalationStep]:
        chain_id = assignment.escalation_chain_id
        if not chain_id:
            return []
        if chain_id not in self.steps:
            self.steps[chain_id] = selectors.escalation_steps(chain_id=chain_id)
        return self.steps[chain_id]

    def calendar(self, assignment: Assignment) -> WorkCalendar:
        if assignment.agency_id not in self.calendars:
            self.calendars[assignment.agency_id] = calendar_for(agency=assignment.agency)
        return self.calendars[assignment.agency_id]

    def recipients(self, assignment: Assignment, role: str) -> list[User]:
        """The step's role inside the holding agency (agency roles), else everyone holding it."""
        agency_id = assignment.agency_id if role in ESCALATION_AGENCY_ROLES else None
        key = (agency_id, role)
        if key not in self.people:
            self.people[key] = (
                selectors.agency_people(agency=assignment.agency, roles=[role])
                if agency_id is not None
                else selectors.role_holders(roles=[role])
            )
        return self.people[key]

    def actor(self) -> User:
        if self.system is None:  # the sweeper is a background process: it acts as the system account (R7.3)
            self.system = system_account()
        return self.system


@dataclass(frozen=True)
class Firing:
    """One escalation to write: the row, its text, its audit changes and whom to tell with which template."""

    assignment: Assignment
    text: str
    changes: dict[str, Any]
    template: str
    recipients: list[User]
    urgent: bool


_ROLES = frozenset(Role.values)  # Role.values builds a new list on every read


def _role_label(role: str) -> str:
    return str(Role(role).label) if role in _ROLES else role


_URL_MARK = 987654321987  # stands for the id in the reversed address
_FORMATS = {
    "step": lambda: _("Bước %(n)d: đã dùng %(share)d%% thời hạn (lúc %(due)s), báo %(role)s"),
    "accept": lambda: _("Chưa tiếp nhận khi đến hạn tiếp nhận (%(due)s), báo %(role)s"),
}


def _step_firing(assignment: Assignment, step: EscalationStep, due: dt.datetime, sweep: Sweep) -> Firing:
    text = sweep.text("step") % {
        "n": step.order,
        "share": round(step.at_share * 100),
        "due": local_text(due),
        "role": sweep.text(step.role),
    }
    changes = {"step": step.order, "role": step.role, "due": due.isoformat()}
    template = notices.AT_RISK if step.at_share < 1 else notices.OVERDUE
    return Firing(assignment, text, changes, template, sweep.recipients(assignment, step.role), step.urgent)


def _accept_breach(assignment: Assignment, steps: Sequence[EscalationStep], now: dt.datetime, sweep: Sweep) -> Firing:
    """R4.3: the work was not accepted by its accept deadline: the breach goes one tier up the chain (the role of
    the next step, or of the last once the chain is used up; the IOC operators without a chain), recorded once
    (accept_escalated_at). The resolve deadline's steps keep their own schedule: each breach escalates."""
    tier = steps[min(assignment.escalation_level, len(steps) - 1)] if steps else None
    due = assignment.accept_deadline_at or now
    role = tier.role if tier is not None else Role.IOC_OPERATOR
    text = sweep.text("accept") % {"due": local_text(due), "role": sweep.text(role)}
    changes = {"accept_due": due.isoformat(), "role": role}
    recipients = sweep.recipients(assignment, role)
    return Firing(assignment, text, changes, notices.NOT_ACCEPTED, recipients, bool(tier and tier.urgent))


def _plan(assignment: Assignment, now: dt.datetime, sweep: Sweep) -> list[Firing]:
    """The escalations of one claimed row due at `now` (a missed acceptance first, then each due step once);
    moves the row's level, accept_escalated_at and next wake-up as they will be written."""
    assignment.next_escalation_at = None
    if assignment.status not in OPEN_STATUSES:
        return []
    steps, firings, step_at = sweep.chain_steps(assignment), [], None
    accept_due = assignment.accept_deadline_at
    if accept_pending(assignment) and accept_due is not None and accept_due <= now:
        firings.append(_accept_breach(assignment, steps, now, sweep))
        assignment.accept_escalated_at = now
    calendar = sweep.calendar(assignment)
    while assignment.escalation_level < len(steps):
        step = steps[assignment.escalation_level]
        due = planned_due(assignment, step, calendar)  # stored when the clock started (issue 12)
        if due > now:
            step_at = due
            break
        firings.append(_step_firing(assignment, step, due, sweep))
        assignment.escalation_level += 1
    assignment.next_escalation_at = next_wakeup(assignment, step_at)
    return firings


def _write(firings: Sequence[Firing], now: dt.datetime, sweep: Sweep) -> None:
    """The timeline rows, the audit entries, the subjects' handlers and the outbox rows of a batch, set-wise."""
    if not firings:
        return
    system = sweep.actor()
    kind = UpdateKind.ESCALATE
    updates = [  # ids, not instances: the related descriptors' checks cost more than the rest of the row
        AssignmentUpdate(assignment_id=f.assignment.pk, kind=kind, at=now, actor_id=system.pk, text=f.text)
        for f in firings
    ]
    insert_returning(updates)
    audit_record_many(
        actor=system,
        items=[
            AuditItem(action="assignment.escalate", obj=f.assignment, changes={**f.changes, "update": u.pk})
            for f, u in zip(firings, updates, strict=True)
        ],
    )
    call_handler_batch([Transition(f.assignment, kind, system, f.text) for f in firings])
    messages = [
        Message(
            event=f"assignment.{kind}",
            recipients=f.recipients,
            template=f.template,
            context=notice_context(f.assignment, f.text, sweep.detail_url(f.assignment.pk)),
            dedup_key=f"assignment:{f.assignment.pk}:update:{u.pk}",
            urgent=f.urgent,
        )
        for f, u in zip(firings, updates, strict=True)
        if f.recipients
    ]
    notification_enqueue_many(messages=messages)


class LeaseLost(Exception):
    """Another worker took a row after this worker's lease expired: everything this batch wrote is undone."""


def _release(rows: Sequence[Assignment], lease: dt.datetime) -> None:
    """Write each row's new level, wake-up and accept mark and free it, only while it is still ours."""
    fields = {f.name: f for f in Assignment._meta.concrete_fields}
    quote = connection.ops.quote_name
    names = ("escalation_level", "next_escalation_at", "accept_escalated_at")
    columns = ", ".join(f"{quote(str(fields[n].column))} = %s" for n in names)
    lease_column = quote(str(fields["escalation_lease_until"].column))
    sql = (
        f"UPDATE {quote(Assignment._meta.db_table)} SET {columns}, {lease_column} = NULL "  # noqa: S608
        f"WHERE {quote(str(fields['id'].column))} = %s AND {lease_column} = %s"
    )

    def prep(name: str, value: Any) -> Any:
        return fields[name].get_db_prep_save(value, connection)

    lease_value = prep("escalation_lease_until", lease)
    params = [[*(prep(n, getattr(row, n)) for n in names), row.pk, lease_value] for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
        released = cursor.rowcount
    if released != len(rows):
        raise LeaseLost


@transaction.atomic
def escalate_claimed_batch(pks: Sequence[int], lease: dt.datetime, now: dt.datetime, sweep: Sweep) -> int:
    """Fire every step of the claimed rows that is due at `now` (each once), then release their leases."""
    mine = Assignment.objects.select_for_update(of=("self",)).select_related("agency")
    rows = list(mine.filter(pk__in=list(pks), escalation_lease_until=lease).order_by("next_escalation_at", "pk"))
    if not rows:
        return 0
    firings = [firing for row in rows for firing in _plan(row, now, sweep)]
    _write(firings, now, sweep)
    _release(rows, lease)
    return len(firings)


def escalate_claimed(pk: int, lease: dt.datetime, now: dt.datetime) -> int:
    """One claimed row (a worker holding `lease` on it); 0 when the lease is no longer its own."""
    return escalate_claimed_batch([pk], lease, now, Sweep())


def _fire_batch(pks: list[int], lease: dt.datetime, now: dt.datetime, sweep: Sweep) -> int:
    try:
        return escalate_claimed_batch(pks, lease, now, sweep)
    except LeaseLost:
        if len(pks) == 1:
            logger.warning("escalation of assignment %s lost its lease", pks[0])
            return 0
    except Exception:  # the lease expires and the next run retries the row
        if len(pks) == 1:
            logger.exception("escalation of assignment %s failed", pks[0])
            return 0
    sweep.system = None  # row by row, so one bad row holds none of the others back
    return sum(_fire_batch([pk], lease, now, sweep) for pk in pks)


def assignment_escalate_due(*, now: dt.datetime | None = None, limit: int = 100) -> int:
    """R3.3, R4.5 (DESIGN "Durable work"): fire the escalation steps that are due; returns how many fired.

    Up to `limit` due rows are claimed in batches by a conditional UPDATE with a lease, so concurrent workers never
    fire a step twice; a worker killed mid-way leaves a lease that expires and the rows are taken again.
    """
    now = now or timezone.now()
    sweep, fired, left = Sweep(), 0, limit
    while left > 0:
        lease, pks = escalation_claim_batch(now=now, limit=min(BATCH, left))
        if not pks:
            break
        left -= len(pks)
        fired += _fire_batch(pks, lease, now, sweep)
    return fired
