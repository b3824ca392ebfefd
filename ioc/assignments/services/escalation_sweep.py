"""The escalation sweep (R3.3, R4.3, R4.5; DESIGN "Durable work"), set-based (issue 12 "Speed").

Due rows are taken in batches, one transaction each (PostgreSQL: SELECT … FOR UPDATE SKIP LOCKED, so concurrent
sweepers take disjoint batches; SQLite: the IMMEDIATE transaction), into a temporary table (`escalation_sql`).
Each row's step (one per row: docs/decisions/0011) is planned in SQL where the stored plan allows
(`escalation_plan`), else in Python (`_plan`: the stored due times or the work calendar); the steps are staged in a
temporary table and, from it, the timeline rows, the subjects' timeline lines and the batch's one audit entry
(docs/decisions/0009) are written, and one message per recipient (its steps grouped in SQL); one UPDATE releases
the rows. A call of several batches (a drain, a catch-up) fires its rows in batches of neighbouring ids
(docs/decisions/0015). Chains, calendars, recipients and the system account are read once per sweep. A batch
that fails is retried row by row under a lease, planned in Python (one audit entry per step there), so one bad
row never holds the others back; a crash mid-batch rolls the whole batch back, so the rows are taken again, once.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import heapq
import itertools
import json
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, connections, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.accounts.choices import Role
from ioc.accounts.models import User
from ioc.accounts.selectors import system_account
from ioc.agencies.models import Agency
from ioc.assignments import notices, selectors
from ioc.assignments.choices import ESCALATION_AGENCY_ROLES, ESCALATION_LEASE_SECONDS, OPEN_STATUSES, UpdateKind
from ioc.assignments.models import Assignment, EscalationStep
from ioc.assignments.services import escalation_plan as plan_sql
from ioc.assignments.services import escalation_sql as sql
from ioc.assignments.services._base import local_text
from ioc.assignments.services.escalation_plan import accept_text, tier_text
from ioc.assignments.services.handlers import StagedTransitions, Transition, call_handler_staged
from ioc.audit.services import audit_record_bulk
from ioc.notifications.services import Message, notification_enqueue_many, template_get
from ioc.worktime.selectors import WorkCalendar, calendar_for, deadline_add

logger = logging.getLogger("ioc.assignments")

BATCH = 2000  # rows claimed and fired per transaction
DRAIN_WINDOW = 100_000  # due rows a call of several batches reads at once, then fires in id order (decision 0015)


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


# What the sweep reads of a claimed row, in `Claimed`'s order (plain values: a model instance per row costs more
# than planning its steps).
_FIELDS = (
    "pk",
    "status",
    "process",
    "subject_id",
    "subject_label",
    "agency_id",
    "agency__name",
    "escalation_chain_id",
    "escalation_level",
    "escalation_due",
    "accept_deadline_at",
    "accept_escalated_at",
    "working_hours",
    "started_at",
    "deadline_at",
)


@dataclass(slots=True)
class Claimed:
    """One claimed row; `level`, `accept_escalated_at` and `next_at` move as the plan fires its steps."""

    pk: int
    status: str
    process: str
    subject_id: str
    subject_label: str
    agency_id: int
    agency_name: str
    chain_id: int | None
    level: int
    plan: list[list[Any]] | None
    accept_deadline_at: dt.datetime | None
    accept_escalated_at: dt.datetime | None
    working_hours: float
    started_at: dt.datetime
    deadline_at: dt.datetime
    next_at: dt.datetime | None = None

    def accept_pending(self) -> bool:
        """R4.3: waiting for acceptance under an accept clock whose breach has not been escalated yet (as
        `_base.accept_pending`)."""
        return self.status == "forwarded" and self.accept_deadline_at is not None and self.accept_escalated_at is None


@dataclass
class Sweep:
    """What one sweep reads once: chains' steps, agencies, their calendars, recipients by role, the system account."""

    steps: dict[int, list[EscalationStep]] = field(default_factory=dict)
    agencies: dict[int, Agency] = field(default_factory=dict)
    calendars: dict[int, WorkCalendar] = field(default_factory=dict)
    people: dict[tuple[int | None, str], list[User]] = field(default_factory=dict)
    system: User | None = None
    texts: dict[str, str] = field(default_factory=dict)
    combos: dict[int, list[tuple[Any, ...]] | None] = field(default_factory=dict)

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

    def url_pieces(self) -> tuple[str, str]:
        """The work's page around its id (the SQL planner puts the id between)."""
        before, _mark, after = self.detail_url(_URL_MARK).partition(str(_URL_MARK))
        return before, after

    def chain_combos(self, chain_id: int) -> list[tuple[Any, ...]] | None:
        """The steps the chain's rows can fire, formatted once per sweep (`escalation_plan.combos`); None when
        the SQL planner leaves the chain to the Python one (no steps, or a format it cannot split)."""
        if chain_id not in self.combos:
            steps = self.chain_steps(chain_id)
            self.combos[chain_id] = plan_sql.combos(chain_id, steps, self) if steps else None
        return self.combos[chain_id]

    def chain_steps(self, chain_id: int | None) -> list[EscalationStep]:
        if not chain_id:
            return []
        if chain_id not in self.steps:
            self.steps[chain_id] = selectors.escalation_steps(chain_id=chain_id)
        return self.steps[chain_id]

    def agency(self, agency_id: int) -> Agency:
        if agency_id not in self.agencies:
            self.agencies[agency_id] = Agency.objects.get(pk=agency_id)
        return self.agencies[agency_id]

    def calendar(self, agency_id: int) -> WorkCalendar:
        if agency_id not in self.calendars:
            self.calendars[agency_id] = calendar_for(agency=self.agency(agency_id))
        return self.calendars[agency_id]

    def group(self, row: Claimed, role: str, urgent: bool) -> str:
        """The recipients' group of a message: the step's role inside the holding agency (agency roles), else
        everyone holding it, and whether it is urgent (`escalation_plan.stage_steps` builds the same key)."""
        agency_id = row.agency_id if role in ESCALATION_AGENCY_ROLES else None
        return f"{agency_id or ''}:{role}:{int(urgent)}"

    def people_of(self, key: str) -> list[User]:
        """The holders of a group's role (in its agency for agency roles); read once per sweep."""
        agency, role, _urgent = key.split(":")
        agency_id = int(agency) if agency else None
        if (agency_id, role) not in self.people:
            self.people[(agency_id, role)] = (
                selectors.agency_people(agency=self.agency(agency_id), roles=[role])
                if agency_id is not None
                else selectors.role_holders(roles=[role])
            )
        return self.people[(agency_id, role)]

    def digest_url(self) -> str:
        """The inbox filtered to escalated open work (a digest's link), `reverse` once per sweep."""
        if "digest_url" not in self.texts:
            self.texts["digest_url"] = reverse("assignments:inbox") + "?escalated=1"
        return self.texts["digest_url"]

    def actor(self) -> User:
        if self.system is None:  # the sweeper is a background process: it acts as the system account (R7.3)
            self.system = system_account()
        return self.system


_ROLES = frozenset(Role.values)  # Role.values builds a new list on every read


def _role_label(role: str) -> str:
    return str(Role(role).label) if role in _ROLES else role


_URL_MARK = 987654321987  # stands for the id in the reversed address
_FORMATS = {
    "step": lambda: _("Bước %(n)d: đã dùng %(share)d%% thời hạn (lúc %(due)s), báo %(role)s"),
    "accept": lambda: _("Chưa tiếp nhận khi đến hạn tiếp nhận (%(due)s), báo %(role)s"),
    "catch_up": lambda: _("; chuyển thẳng cấp %(n)d, đã qua %(passed)s"),
    "catch_up_overdue": lambda: _("; quá hạn, chuyển thẳng cấp %(n)d, đã qua %(passed)s"),
    "passed_tiers": lambda: _("cấp %(tiers)s"),
    "passed_accept": lambda: _("hạn tiếp nhận (%(due)s)"),
}
_TEMPLATES = (notices.AT_RISK, notices.OVERDUE, notices.NOT_ACCEPTED, notices.ESCALATED_DIGEST)

# A staged step: the columns of `escalation_sql.STEP_COLUMNS`; the last (the timeline row's id) is set once written.
Step = list[Any]


def _planned(row: Claimed, step: EscalationStep, sweep: Sweep) -> tuple[dt.datetime, str]:
    """The step's due time (and its ISO text) from the plan stored when the clock started; counted in working
    hours when there is none or the chain's step changed since (its share differs), as `_base.planned_due`."""
    plan, index = row.plan, row.level
    if plan and index < len(plan) and plan[index][0] == step.at_share:
        return dt.datetime.fromisoformat(plan[index][1]), plan[index][1]
    hours = row.working_hours * step.at_share
    due = deadline_add(start=row.started_at, working_hours=hours, calendar=sweep.calendar(row.agency_id))
    return due, due.isoformat()


def _local_text(due: dt.datetime, iso: str) -> str:
    """`local_text(due)` ("HH:MM dd/mm/YYYY" in Asia/Ho_Chi_Minh), read off the planned ISO text when that is
    already in Vietnam's time (UTC+07:00, no daylight saving since 1975; the plans are stored so): a third of the
    planning's CPU went to `astimezone` and `strftime`."""
    if len(iso) >= 25 and iso.endswith("+07:00") and iso[10] == "T" and iso >= "1976":
        return f"{iso[11:16]} {iso[8:10]}/{iso[5:7]}/{iso[:4]}"
    return local_text(due)


def _plan(row: Claimed, seq: int, now: dt.datetime, sweep: Sweep, out: list[Step]) -> None:
    """The escalation of one claimed row due at `now`, staged in `out` as one step (docs/decisions/0011); moves
    the row's level, accept mark and next wake-up as they will be written.

    R4.3: a missed acceptance goes one tier up the chain (the role of the next step, or of the last once the chain
    is used up; the IOC operators without a chain), recorded once (accept_escalated_at). The resolve deadline's
    steps keep their own schedule: each breach escalates. Catch-up (the sweeper was down, or a burst): when several
    tiers (and perhaps the missed acceptance) are due at once, one step goes straight to the highest tier due; its
    text and its `passed` column name what was passed on the way, so nothing is skipped silently."""
    row.next_at = None
    if row.status not in OPEN_STATUSES:
        return
    steps, step_at = sweep.chain_steps(row.chain_id), None
    accept_due = row.accept_deadline_at
    missed = row.accept_pending() and accept_due is not None and accept_due <= now
    accept_tier = steps[min(row.level, len(steps) - 1)] if steps else None
    reached: list[tuple[EscalationStep, dt.datetime, str]] = []
    while row.level < len(steps):
        step = steps[row.level]
        due, due_text = _planned(row, step, sweep)
        if due > now:
            step_at = due
            break
        reached.append((step, due, due_text))
        row.level += 1
    if missed:
        row.accept_escalated_at = now
    if reached:
        out.append(_tier_step(row, seq, reached, accept_due if missed else None, sweep))
    elif missed and accept_due is not None:
        role = accept_tier.role if accept_tier is not None else Role.IOC_OPERATOR
        urgent = bool(accept_tier and accept_tier.urgent)
        text = accept_text(role, local_text(accept_due), sweep)
        grp = sweep.group(row, role, urgent)
        tail = [accept_due.isoformat(), True, notices.NOT_ACCEPTED, urgent, grp, "[]"]
        out.append([*_head(row, seq, text), None, role, *tail])
    if missed or reached:  # per row: the notices' deadline and the work's page
        staged = out[-1]
        staged[6], staged[7] = local_text(row.deadline_at), sweep.detail_url(row.pk)
    moments = [step_at] if step_at is not None else []
    if row.accept_pending() and accept_due is not None:
        moments.append(accept_due)
    row.next_at = min(moments, default=None)


def _tier_step(
    row: Claimed,
    seq: int,
    reached: list[tuple[EscalationStep, dt.datetime, str]],
    missed_accept: dt.datetime | None,
    sweep: Sweep,
) -> Step:
    """The one step to the highest tier due; with tiers or a missed acceptance passed on the way (catch-up), the
    text says so ("…; quá hạn, chuyển thẳng cấp 3, đã qua cấp 1, 2") and `passed` lists them ("accept", tiers)."""
    step, due, due_text = reached[-1]
    tiers = [passed.order for passed, _due, _text in reached[:-1]]
    accept = local_text(missed_accept) if missed_accept is not None else None
    text = tier_text(step, _local_text(due, due_text), tiers, accept, sweep)
    passed: list[Any] = (["accept"] if missed_accept is not None else []) + tiers
    template = notices.AT_RISK if step.at_share < 1 else notices.OVERDUE
    grp = sweep.group(row, step.role, step.urgent)
    head = _head(row, seq, text)
    return [*head, step.order, step.role, due_text, False, template, step.urgent, grp, _passed_text(tuple(passed))]


@functools.cache
def _passed_text(passed: tuple[Any, ...]) -> str:
    """The `passed` column's JSON text: a handful of distinct values in a sweep, encoded once each."""
    return json.dumps(list(passed))


@functools.cache
def _passed_list(text: str) -> list[Any]:
    """The `passed` column as the audit listing holds it (shared, never mutated: only encoded)."""
    return list(json.loads(text))


def _head(row: Claimed, seq: int, text: str) -> list[Any]:
    """The first columns of a staged step; the notices' deadline and page (6, 7) are set once per row."""
    return [seq, row.pk, row.process, row.subject_id, row.subject_label, row.agency_name, "", "", text]


class LeaseLost(Exception):
    """Another worker took a row after this worker's lease expired: everything this batch wrote is undone."""


def _transitions(process: str, system: User) -> list[Transition]:
    """The staged transitions of one process as `on_transition` takes them (for handlers without `on_staged`),
    each instance read after the release, so it carries the row's new level, accept mark and wake-up."""
    staged = sql.texts(process)
    found = Assignment.objects.select_related("agency").in_bulk([pk for pk, _text in staged])
    return [Transition(found[pk], UpdateKind.ESCALATE, system, text) for pk, text in staged]


def _write(taken: int, fired: int, lease: dt.datetime | None, sweep: Sweep) -> None:
    """The batch's writes from its staged steps, set-wise (`escalation_sql`): the timeline rows by one INSERT …
    SELECT, the audit (one entry for a batch taken without a lease, one per step on the row-by-row path), the rows
    released (LeaseLost when one is no longer this worker's), the subjects' handlers and the outbox (one message
    per recipient: `_notify`)."""
    now, system = timezone.now(), sweep.actor()
    if fired:
        sql.insert_updates(system, now)
        if lease is None:
            _record_batch(system)
        else:  # the row-by-row path (a batch that failed, a worker holding a lease): one entry per step
            sql.insert_audit(system, now)
    if not sql.release(lease, taken):
        raise LeaseLost
    if fired:
        processes = sql.processes()
        staged_transitions = StagedTransitions(sql.STEPS, UpdateKind.ESCALATE, system, now)
        call_handler_staged(staged_transitions, processes, lambda p: _transitions(p, system))
        _notify(sweep)
    sql.clear()


DIGEST_TITLES = 10  # the items a digest names; the rest are counted and reached through its link


def _notify(sweep: Sweep) -> None:
    """R4.5, docs/decisions/0011: one message per recipient per batch, from the staged steps grouped by recipients'
    group in SQL (a recipient may hold several groups' roles: its steps are theirs together, in order). A recipient
    told of one item gets today's message (its template, its dedup key `assignment:<id>:update:<update id>`); told
    of several, one digest (`notices.ESCALATED_DIGEST`: the count, the first titles, the link to the escalated work
    in the inbox)."""
    summary = sql.groups()
    items: dict[str, list[tuple[Any, ...]]] = {}
    for item in sql.group_items(DIGEST_TITLES):
        items.setdefault(item[0], []).append(item)
    told: dict[int, tuple[User, list[tuple[Any, ...]]]] = {}
    for group in summary:  # in the order of each group's first step: recipients in the order they are first told
        for user in sweep.people_of(group[0]):
            told.setdefault(user.pk, (user, []))[1].append(group)
    messages = [_message(user, groups, items, sweep) for user, groups in told.values()]
    if messages:
        notification_enqueue_many(messages=messages)


Item = tuple[Any, ...]  # a staged step as `escalation_sql.group_items` reads it


def _message(user: User, groups: Sequence[tuple[Any, ...]], items: dict[str, list[Item]], sweep: Sweep) -> Message:
    event = f"assignment.{UpdateKind.ESCALATE}"
    count = sum(group[1] for group in groups)
    mine = heapq.merge(*(items[group[0]] for group in groups), key=lambda item: item[1])
    if count == 1:
        (s,) = mine
        context = {"subject_label": s[4] or s[3], "agency_name": s[5], "deadline": s[6], "url": s[7], "text": s[8]}
        dedup = f"assignment:{s[2]}:update:{s[11]}"
        return Message(event, [user], s[9], context, dedup, bool(s[10]))
    titles = [f"{s[4] or s[3]} ({s[5]}): {s[8]}" for s in itertools.islice(mine, DIGEST_TITLES)]
    context = {"count": count, "titles": titles, "more": max(count - DIGEST_TITLES, 0)}
    context["url"] = sweep.digest_url()
    first, last = min(group[3] for group in groups), max(group[4] for group in groups)
    dedup = f"assignment:escalate-digest:{first}-{last}:{count}"
    return Message(event, [user], notices.ESCALATED_DIGEST, context, dedup, any(group[5] for group in groups))


# The columns of each step in the batch's audit entry (`_record_batch`); `tier` is the step's number, or "accept"
# for a missed accept deadline.
AUDIT_COLUMNS = ("assignment", "process", "subject", "tier", "role", "due", "update", "passed")


def _record_batch(system: User) -> None:
    """R7.3, docs/decisions/0009: one `assignment.escalate` entry for the batch (as bulk work is recorded, with its
    row count and digest), listing every step fired: the work and its subject, the tier, the role told, the due
    time, the timeline row and what a catch-up passed on the way (`AUDIT_COLUMNS`; docs/decisions/0011), in the
    order they fired."""
    steps = [
        [pk, process, subject, "accept" if is_accept else step, role, due, update, _passed_list(passed)]
        for pk, process, subject, is_accept, step, role, due, update, passed in sql.listing()
    ]
    audit_record_bulk(
        actor=system,
        action=f"assignment.{UpdateKind.ESCALATE}",
        object_type=Assignment._meta.label_lower,
        rows=[tuple(step) for step in steps],
        changes={"columns": list(AUDIT_COLUMNS), "steps": steps},
    )


_UTC = dt.UTC


def _db_time(value: dt.datetime | None) -> Any:
    """A moment as the ORM stores it in a DateTimeField (SQLite: naive UTC text; PostgreSQL: the aware value),
    without the field's per-value checks (a third of the batch's Python time)."""
    if value is None or connection.vendor != "sqlite":
        return value
    return str(value.astimezone(_UTC).replace(tzinfo=None))


def _db_moment(value: dt.datetime | None, seen: dict[dt.datetime | None, Any]) -> Any:
    """`_db_time`, converted once per distinct moment of a batch."""
    if value not in seen:
        seen[value] = _db_time(value)
    return seen[value]


# `_FIELDS` positions of the moments and of the stored plan, converted by `_read` itself.
_MOMENTS = tuple(
    _FIELDS.index(name) for name in ("accept_deadline_at", "accept_escalated_at", "started_at", "deadline_at")
)
_PLAN = _FIELDS.index("escalation_due")


def _read(rows: Any) -> list[Claimed]:
    """The claimed rows as `Claimed`, read by the queryset's own SQL (its lock and order included) on a plain cursor:
    the ORM's converters per value (parse, make aware, decode the JSON) were a seventh of a batch's CPU (issue 12).
    SQLite returns the moments naive (UTC) and the plan as JSON text; PostgreSQL aware moments."""
    query, params = rows.values_list(*_FIELDS).query.get_compiler(using=rows.db).as_sql()
    with connections[rows.db].cursor() as cursor:
        cursor.execute(query, params)
        fetched = cursor.fetchall()
    claimed = []
    for values in fetched:
        row = list(values)
        for index in _MOMENTS:
            moment = row[index]
            if isinstance(moment, str):  # a backend without a converter for the column's type
                moment = dt.datetime.fromisoformat(moment)
            if moment is not None and moment.tzinfo is None:
                moment = moment.replace(tzinfo=_UTC)
            row[index] = moment
        if isinstance(row[_PLAN], str):
            row[_PLAN] = json.loads(row[_PLAN])
        claimed.append(Claimed(*row))
    return claimed


def _fire(
    due: QuerySet[Assignment], now: dt.datetime, sweep: Sweep, lease: dt.datetime | None, taken_ids: list[int]
) -> tuple[int, int]:
    """Take the rows of `due` (ordered, limited, locked) into the batch table (their ids into `taken_ids`, for a
    retry should the batch fail), plan their steps (in SQL where it can, `escalation_plan`, on a batch taken
    without a lease; in Python the rest) and write them. Returns (rows taken, steps fired)."""
    sql.begin()
    query, params = due.values_list("id", "next_escalation_at").query.get_compiler(using=due.db).as_sql()
    taken = sql.claim(query, params)
    if not taken:
        sql.clear()
        return 0, 0
    taken_ids.extend(sql.batch_ids())
    if lease is None and plan_sql.enabled():
        planned = 0
        for chain_id in sql.batch_chains():
            combos = sweep.chain_combos(chain_id)
            if combos is not None:
                plan_sql.stage_combos(combos)
                planned += plan_sql.plan_chain(chain_id, sweep.chain_steps(chain_id), now)
        if planned:
            plan_sql.stage_steps(sweep.url_pieces())
    left = sql.unplanned()
    if left:
        _plan_in_python(left, now, sweep)
    fired = sql.staged_count()
    _write(taken, fired, lease, sweep)
    return taken, fired


def _plan_in_python(left: Sequence[tuple[int, int]], now: dt.datetime, sweep: Sweep) -> None:
    """The Python planner for the batch's rows the SQL one left ((seq, id) in order), staged with the rest."""
    seqs = {pk: seq for seq, pk in left}
    rows = _read(Assignment.objects.filter(pk__in=list(seqs)).order_by("next_escalation_at", "pk"))
    fired: list[Step] = []
    for row in rows:
        _plan(row, seqs[row.pk], now, sweep, fired)
    moments: dict[dt.datetime | None, Any] = {}  # many rows share a moment (the sweep's `now`, a plan's time)
    released = [
        (row.pk, row.level, _db_moment(row.next_at, moments), _db_moment(row.accept_escalated_at, moments))
        for row in rows
    ]
    sql.stage(fired, released)


@transaction.atomic
def escalate_claimed_batch(pks: Sequence[int], lease: dt.datetime, now: dt.datetime, sweep: Sweep) -> int:
    """Fire every step of rows claimed under `lease` that is due at `now` (each once), then release their leases;
    0 when none is still held under it (another worker took them after the lease expired)."""
    mine = Assignment.objects.select_for_update(of=("self",)).filter(pk__in=list(pks), escalation_lease_until=lease)
    return _fire(mine.order_by("next_escalation_at", "pk"), now, sweep, lease, [])[1]


def _sweep_batch(now: dt.datetime, limit: int, sweep: Sweep, among: list[int] | None = None) -> tuple[int, int]:
    """Take up to `limit` due rows and fire them in one transaction: the rows locked as they are taken (PostgreSQL:
    FOR UPDATE SKIP LOCKED, so concurrent sweepers take disjoint rows; SQLite: the IMMEDIATE transaction), fired
    and released before the commit, so no lease is needed and a crash leaves nothing written. When the batch fails,
    its rows are leased and fired row by row (`escalate_claimed_batch`), so one bad row holds none of the others
    back. `among`: only these rows (a window's batch, `_sweep_window`). Returns (rows taken, steps fired)."""
    pks: list[int] = []
    try:
        with transaction.atomic():
            due = Assignment.objects.select_for_update(skip_locked=True, of=("self",)).filter(_due(now))
            if among is not None:
                due = due.filter(pk__in=sql.ids_in(among))
            return _fire(due.order_by("next_escalation_at", "pk")[:limit], now, sweep, None, pks)
    except Exception:
        if not pks:
            raise
        logger.warning("an escalation batch of %d rows failed: retried row by row", len(pks), exc_info=True)
    lease = now + dt.timedelta(seconds=ESCALATION_LEASE_SECONDS)
    Assignment.objects.filter(_due(now), pk__in=pks).update(escalation_lease_until=lease)
    sweep.system = None
    return len(pks), sum(_fire_batch([pk], lease, now, sweep) for pk in pks)


def _sweep_window(now: dt.datetime, size: int, sweep: Sweep) -> tuple[int, int]:
    """The `size` oldest due rows (the rows a call of several batches takes, in the same order of precedence),
    fired in batches of neighbouring ids: each batch rewrites the table's pages its rows sit on, and due times
    scatter over the ids, so batches in due order rewrote most of the table's pages every time
    (docs/decisions/0015). Each batch still stages its steps in due order. Returns (rows taken, steps fired)."""
    due = Assignment.objects.filter(_due(now)).order_by("next_escalation_at", "pk")
    ids = sorted(due.values_list("pk", flat=True)[:size])
    taken = fired = 0
    for start in range(0, len(ids), BATCH):
        batch_taken, batch_fired = _sweep_batch(now, BATCH, sweep, among=ids[start : start + BATCH])
        taken, fired = taken + batch_taken, fired + batch_fired
    return taken, fired


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


def assignment_escalate_due(*, now: dt.datetime | None = None, limit: int = 100, sweepers: int = 0) -> int:
    """R3.3, R4.5 (DESIGN "Durable work"): fire the escalation steps that are due; returns how many fired.

    Up to `limit` due rows (per sweeper) are claimed in batches by a conditional UPDATE with a lease, so concurrent
    workers never fire a step twice; a worker killed mid-way leaves a lease that expires and the rows are taken
    again. A call of more than one batch (a drain, a catch-up) runs in `escalation_sql.sqlite_session` on SQLite
    (docs/decisions/0013);
    on PostgreSQL, outside a transaction, it runs `sweepers` (default `ESCALATION_SWEEPERS`) sweeps at once, each in
    its own thread and connection, each up to `limit` (docs/decisions/0017).
    """
    for template in _TEMPLATES:  # the notices' templates are registered (a missing one fails here, not per row)
        template_get(template)
    now = now or timezone.now()
    sweepers = sweepers or int(getattr(settings, "ESCALATION_SWEEPERS", 1))
    if _parallel(now, limit, sweepers):
        return _sweep_parallel(now, limit, sweepers)
    sweep, fired, left = Sweep(), 0, limit
    session = sql.sqlite_session() if limit > BATCH else contextlib.nullcontext()
    with session:
        while left > 0:
            if limit > BATCH:  # a drain, a catch-up: windows of the oldest due, in batches of neighbouring ids
                taken, count = _sweep_window(now, min(left, DRAIN_WINDOW), sweep)
            else:
                taken, count = _sweep_batch(now, min(BATCH, left), sweep)
            if not taken:
                break
            left -= taken
            fired += count
    return fired


def _parallel(now: dt.datetime, limit: int, sweepers: int) -> bool:
    """Several sweeps at once: on PostgreSQL, outside a transaction (each sweeper commits on its own connection),
    for a call of several batches with more than one batch due (an empty minute starts no thread)."""
    if sweepers < 2 or limit <= BATCH or connection.vendor != "postgresql" or connection.in_atomic_block:
        return False
    return Assignment.objects.filter(_due(now)).order_by()[BATCH : BATCH + 1].exists()


def _sweep_parallel(now: dt.datetime, limit: int, sweepers: int) -> int:
    """`sweepers` calls of one sweep at once, each in its own thread and so its own connection (PostgreSQL's
    `FOR UPDATE SKIP LOCKED` keeps their batches apart; a drain waits mostly on its commits' WAL flushes, which
    overlap). A sweeper's failure is raised once every sweeper has ended."""
    counts: list[int] = []
    failures: list[BaseException] = []

    def sweep() -> None:
        try:
            counts.append(assignment_escalate_due(now=now, limit=limit, sweepers=1))
        except BaseException as exc:  # raised in the caller's thread below
            failures.append(exc)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=sweep, name=f"escalation-sweeper-{n}") for n in range(sweepers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return sum(counts)
