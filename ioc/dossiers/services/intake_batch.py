"""Intake of a batch in a fixed number of statements (R5.3; issue 23 "Speed": push at 200 events/s with every rule).

`dossier_event_receive` first tries this path: every row is judged in memory against what the database held at
the start (one read per table for the whole batch, in plain SQL built once per process: `common.rawread`; the
procedures' versions in force and their steps kept per process: `selectors.versions_in_force`, `version_shape`)
plus what the batch itself adds, in the order the one-row path
takes (receipts first, each followed by the events held for it); then the new dossiers, events, figures and
violations are written set-based. Each stored event re-judges its dossier as the one-row path does (`dossier_check`
over the dossier's events so far, violations opened, reopened and withdrawn in step, an immediate one raised at
once), so the database ends exactly as the one-row path leaves it. A refused row writes nothing.

A twin committed meanwhile by another request breaks a unique index (`IntegrityError`): the caller undoes this
path's savepoint and takes the one-row path, which names the twin. Statements per batch do not grow with its
size, except for rows on rare paths (a held event, a receipt's commune, an immediate violation's alert).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import connections, router
from django.utils.translation import gettext as _

from ioc.accounts.models import User
from ioc.agencies.models import Agency
from ioc.common.bulk import insert_returning, preparers
from ioc.common.privacy import blind_index
from ioc.common.rawread import Reader, placeholders
from ioc.dossiers.checks import EventView, VersionShape, dossier_check
from ioc.dossiers.choices import EventKind, Handling, HeldState, ViolationState
from ioc.dossiers.models import Dossier, DossierEvent, HeldEvent, ProcedureVersion, Violation
from ioc.dossiers.payloads import ParsedEvent, PayloadError, event_parse, event_payload
from ioc.dossiers.selectors import versions_in_force
from ioc.dossiers.services.recheck import SAVED_FIELDS, event_view, raise_alert, shape_of, violation_open
from ioc.geo.selectors import UnitNotFoundError, UnitRefError, unit_get
from ioc.worktime.selectors import LOCAL_TZ, WorkCalendar

_EVENT_FIELDS = ["id", "kind", "occurred_at", "step_code", "account", "assignee", "reason", "new_due_at"]
_EVENT_FIELDS += ["documents", "rating", "digitised"]
_VIOLATION_FIELDS = ["severity", "handling", "occurred_at", "detected_at", "detail", "event_ids", "state"]

# The plan's reads as plain SQL built once (issue 23 "Speed": compiling them was a third of a one-event request).
_WAITING = Reader(HeldEvent, ["id", "agency_id", "source_event_id", "dossier_code", "payload", "state"])
_SEEN = Reader(DossierEvent, ["source_event_id"])
_HELD = Reader(HeldEvent, ["source_event_id", "id", "state"])
_DOSSIERS = Reader(Dossier, [f.attname for f in Dossier._meta.concrete_fields])
_EVENT_VIEWS = Reader(DossierEvent, ["dossier_id", *_EVENT_FIELDS])
_VIOLATIONS = Reader(Violation, [f.attname for f in Violation._meta.concrete_fields])


def held_refusal() -> PayloadError:
    """The summary's entry of a held event (both paths)."""
    return PayloadError("dossier", _("Hồ sơ chưa được tiếp nhận: sự kiện được giữ chờ / Held"))


def version_in_force_id(code: str, day: dt.date) -> int:
    """R5.3: the version of procedure `code` a dossier received on `day` follows (the latest in force that day), from
    the per-process `selectors.versions_in_force`; a PayloadError naming the procedure when there is none."""
    version = next((pk for pk, effective_from in versions_in_force(code=code) if effective_from <= day), None)
    if version is None:
        if not ProcedureVersion.objects.filter(procedure__code=code).exists():  # a refused row only
            raise PayloadError("procedure", _("Không có thủ tục này / Unknown procedure"), code)
        raise PayloadError("procedure", _("Thủ tục chưa có hiệu lực ngày tiếp nhận / Not in force then"), code)
    return version


@dataclass
class _Story:
    """A dossier touched by the batch: the events it had, those the batch adds (in order), its violations."""

    dossier: Dossier
    new: bool
    added: list[DossierEvent] = field(default_factory=list)


@dataclass
class BatchOutcome:
    imported: int = 0
    ignored: int = 0
    refused: list[tuple[int, PayloadError]] = field(default_factory=list)


class _Plan:
    """What the database held at the start of the batch, and what the batch adds so far."""

    def __init__(self, *, agency: Agency, now: dt.datetime, parsed: list[tuple[int, ParsedEvent]]) -> None:
        self.agency, self.now = agency, now
        codes = sorted({event.dossier for _row, event in parsed})
        receipts = sorted({event.dossier for _row, event in parsed if event.kind == EventKind.RECEIPT})
        self.waiting: dict[str, list[HeldEvent]] = defaultdict(list)
        if receipts:
            where = f"agency_id = %s AND state = %s AND dossier_code IN {placeholders(len(receipts))}"
            for held in _WAITING.models(where, [agency.pk, HeldState.HELD, *receipts]):
                self.waiting[held.dossier_code].append(held)
        ids = {event.event_id for _row, event in parsed}
        ids |= {held.source_event_id for items in self.waiting.values() for held in items}
        self.seen: set[str] = set()
        self.held: dict[str, tuple[int, str]] = {}
        if ids:
            where, params = f"agency_id = %s AND source_event_id IN {placeholders(len(ids))}", [agency.pk, *ids]
            self.seen = {source_id for (source_id,) in _SEEN.rows(where, params)}
            self.held = {source_id: (pk, state) for source_id, pk, state in _HELD.rows(where, params)}
        self.dossiers: dict[str, Dossier] = {}
        for dossier in _DOSSIERS.models(f"code IN {placeholders(len(codes))}", codes) if codes else ():
            if dossier.agency_id == agency.pk:
                dossier.agency = agency  # what the violations and alerts read: no second query
            self.dossiers[dossier.code] = dossier
        self.units: dict[str, Any] = {}
        self.stories: dict[str, _Story] = {}
        self.holds: list[ParsedEvent] = []
        self.placed: list[int] = []  # HeldEvent pks whose event is stored now
        self.held_refused: list[tuple[int, str]] = []  # (HeldEvent pk, reason)

    def shape(self, version_id: int) -> VersionShape:
        return shape_of(version_id)

    # --- the one-row path's judgements, against the plan -----------------------------------------------------

    def version_in_force(self, code: str, day: dt.date) -> int:
        return version_in_force_id(code, day)

    def unit(self, ref: str) -> Any:
        if not ref:
            return None
        if ref not in self.units:
            try:
                self.units[ref] = unit_get(ref=ref)
            except (UnitRefError, UnitNotFoundError) as exc:
                raise PayloadError("unit", _("Không có xã, phường này / Unknown commune"), ref) from exc
        return self.units[ref]

    def repeat(self, event: ParsedEvent, *, placing: bool = False) -> bool:
        """Seen before, or still waiting (a held event being placed is no longer waiting)."""
        state = self.held.get(event.event_id, (0, ""))[1]
        return event.event_id in self.seen or (state == HeldState.HELD and not placing)

    def receive(self, event: ParsedEvent) -> Dossier:
        found = self.dossiers.get(event.dossier)
        if found is not None and found.agency_id != self.agency.pk:
            raise PayloadError("dossier", _("Hồ sơ của cơ quan khác / Another agency's dossier"), event.dossier)
        if found is not None:
            raise PayloadError("dossier", _("Hồ sơ đã được tiếp nhận / Dossier already received"), event.dossier)
        version = self.version_in_force(event.procedure, event.occurred_at.astimezone(LOCAL_TZ).date())
        dossier = Dossier(
            code=event.dossier,
            agency=self.agency,
            version_id=version,
            unit=self.unit(event.unit),
            channel=event.channel,
            received_at=event.occurred_at,
            due_at=event.occurred_at,
            status="received",
            contact_index=blind_index(event.phone),
            id_index=blind_index(event.id_number),
        )
        self.dossiers[event.dossier] = dossier
        self.stories[event.dossier] = _Story(dossier=dossier, new=True)
        return dossier

    def dossier_for(self, event: ParsedEvent) -> Dossier | None:
        dossier = self.dossiers.get(event.dossier)
        if dossier is None:
            return None
        if dossier.agency_id != self.agency.pk:
            raise PayloadError("dossier", _("Hồ sơ của cơ quan khác / Another agency's dossier"), event.dossier)
        if event.occurred_at < dossier.received_at:
            raise PayloadError("occurred_at", _("Trước thời điểm tiếp nhận / Before the receipt"), event.occurred_at)
        shape = self.shape(dossier.version_id)
        if event.step and all(step.code != event.step for step in shape.steps):
            raise PayloadError("step", _("Thủ tục không có bước này / Unknown step of the procedure"), event.step)
        self.stories.setdefault(event.dossier, _Story(dossier=dossier, new=False))
        return dossier

    def add(self, event: ParsedEvent) -> None:
        story = self.stories[event.dossier]
        story.added.append(
            DossierEvent(
                dossier=story.dossier,
                agency=self.agency,
                source_event_id=event.event_id,
                kind=event.kind,
                occurred_at=event.occurred_at,
                stored_at=self.now,
                step_code=event.step,
                account=event.account,
                assignee=event.assignee,
                reason=event.reason,
                new_due_at=event.new_due,
                documents=list(event.documents),
                amount=event.amount,
                rating=event.rating,
                digitised=event.digitised,
            )
        )
        self.seen.add(event.event_id)
        pk, state = self.held.get(event.event_id, (0, ""))
        if state == HeldState.REFUSED:  # a re-send of an event refused while held: its row says where it went
            self.placed.append(pk)
            self.held[event.event_id] = (pk, HeldState.PLACED)

    def place_held(self, code: str) -> None:
        """The one-row path's `_place_held`: events that waited for this receipt, placed or refused with reason."""
        for held in self.waiting.pop(code, []):
            self.held[held.source_event_id] = (held.pk, HeldState.PLACED)
            try:
                event = event_parse(held.payload, now=self.now)
                if self.repeat(event, placing=True) or self.dossier_for(event) is None:
                    self._refuse_held(held.pk, held.source_event_id, "repeat")
                    continue
                self.add(event)
                self.placed.append(held.pk)
            except PayloadError as error:
                self._refuse_held(held.pk, held.source_event_id, f"{error.field}: {error.reason}")

    def _refuse_held(self, pk: int, event_id: str, reason: str) -> None:
        # As the one-row path leaves it: refused, so a later re-send of the event in this batch places its row.
        self.held_refused.append((pk, reason))
        self.held[event_id] = (pk, HeldState.REFUSED)


def _judge(plan: _Plan, outcome: BatchOutcome, row: int, event: ParsedEvent) -> None:
    if plan.repeat(event):
        outcome.ignored += 1
        return
    if event.kind == EventKind.RECEIPT:
        plan.receive(event)
        plan.add(event)
        plan.place_held(event.dossier)
    elif plan.dossier_for(event) is None:
        plan.holds.append(event)
        plan.held[event.event_id] = (0, HeldState.HELD)
        outcome.refused.append((row, held_refusal()))
        return
    else:
        plan.add(event)
    outcome.imported += 1


def _update_many(objs: list[Any], names: list[str]) -> None:
    """UPDATE the `names` columns of saved instances of one model: one prepared statement run for every row
    (executemany), values prepared as the ORM prepares them (`common.bulk.preparers`). Django's `bulk_update`
    builds a CASE per column and row, which cost more than the rest of a one-event request (issue 23 "Speed")."""
    if not objs:
        return
    meta = type(objs[0])._meta
    connection = connections[router.db_for_write(type(objs[0])) or "default"]
    fields = [meta.get_field(name) for name in names]
    prepare = preparers(fields, connection)  # type: ignore[arg-type]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)  # type: ignore[union-attr]
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, [[p(obj) for p in prepare] + [obj.pk] for obj in objs])


def _write_holds(plan: _Plan) -> None:
    """The one-row path's `_hold` (rare: an event before its dossier's receipt)."""
    for event in plan.holds:
        HeldEvent.objects.update_or_create(
            agency=plan.agency,
            source_event_id=event.event_id,
            defaults={
                "dossier_code": event.dossier,
                "payload": event_payload(event),
                "held_at": plan.now,
                "state": HeldState.HELD,
                "reason": "",
            },
        )
    if plan.placed:
        HeldEvent.objects.filter(pk__in=plan.placed).update(state=HeldState.PLACED)
    for pk, reason in plan.held_refused:
        HeldEvent.objects.filter(pk=pk).update(state=HeldState.REFUSED, reason=reason)


@dataclass
class _Before:
    """The events and violations the touched dossiers had before the batch (read before its inserts)."""

    events: dict[int, list[EventView]]
    violations: dict[int, dict[tuple[str, str], Violation]]


def _before(plan: _Plan) -> _Before:
    old = {s.dossier.pk: s.dossier for s in plan.stories.values() if s.added and not s.new}
    had: dict[int, list[EventView]] = defaultdict(list)
    existing: dict[int, dict[tuple[str, str], Violation]] = defaultdict(dict)
    if not old:
        return _Before(had, existing)
    where, ids = f"dossier_id IN {placeholders(len(old))}", list(old)
    for values in _EVENT_VIEWS.rows(where, ids):
        had[values[0]].append(EventView(*values[1:]))
    for violation in _VIOLATIONS.models(where, ids):
        dossier = old[violation.dossier_id]
        violation.dossier = dossier  # what an immediate rule's alert reads: no second query
        if violation.agency_id == dossier.agency_id:
            violation.agency = dossier.agency
        existing[violation.dossier_id][(violation.rule, violation.step_code)] = violation
    return _Before(had, existing)


def _recheck_all(plan: _Plan, before: _Before, calendar: WorkCalendar, actor: User) -> None:
    """Each added event re-judges its dossier over its events so far (the one-row path's `dossier_recheck`)."""
    had, existing = before.events, before.violations
    new_violations: list[Violation] = []
    changed: dict[int, Violation] = {}
    for story in plan.stories.values():
        if not story.added:
            continue
        dossier, views = story.dossier, had[story.dossier.pk]
        known = existing[dossier.pk]
        shape = plan.shape(dossier.version_id)
        for event in story.added:
            views.append(event_view(event))
            result = dossier_check(version=shape, events=views, calendar=calendar, now=plan.now)
            for key, finding in result.findings.items():
                found = known.get(key)
                if found is not None and found.state != ViolationState.WITHDRAWN:
                    continue
                violation = violation_open(dossier, finding, found, plan.now)
                if found is None:
                    known[key] = violation
                    new_violations.append(violation)
                elif violation.pk:
                    changed[violation.pk] = violation
                if violation.handling == Handling.IMMEDIATE:
                    raise_alert(violation, finding, actor)
            for key, violation in known.items():
                if key not in result.findings and violation.state == ViolationState.OPEN:
                    violation.state = ViolationState.WITHDRAWN
                    if violation.pk:
                        changed[violation.pk] = violation
        for name in SAVED_FIELDS:
            setattr(dossier, name, getattr(result, name))
        dossier.check_lease_until = None
    insert_returning(new_violations)
    _update_many(list(changed.values()), _VIOLATION_FIELDS)
    _update_many([s.dossier for s in plan.stories.values() if s.added], [*SAVED_FIELDS, "check_lease_until"])


def receive_set_based(
    *, agency: Agency, rows: list[tuple[int, Any]], actor: User, now: dt.datetime, calendar: WorkCalendar
) -> BatchOutcome:
    """Judge `rows` (numbered, receipts first) and write what they add; see the module docstring. Run it in a
    savepoint: an IntegrityError (a concurrent twin) leaves the savepoint to be undone."""
    outcome = BatchOutcome()
    parsed: list[tuple[int, ParsedEvent]] = []
    for row, raw in rows:
        try:
            parsed.append((row, event_parse(raw, now=now)))
        except PayloadError as error:
            outcome.refused.append((row, error))
    plan = _Plan(agency=agency, now=now, parsed=parsed)
    for row, event in parsed:
        try:
            _judge(plan, outcome, row, event)
        except PayloadError as error:
            outcome.refused.append((row, error))
    _write_holds(plan)
    stories = [s for s in plan.stories.values() if s.added]
    before = _before(plan)
    insert_returning([s.dossier for s in stories if s.new])
    for story in stories:
        for added in story.added:
            added.dossier_id = story.dossier.pk
    insert_returning([event for s in stories for event in s.added])
    _recheck_all(plan, before, calendar, actor)
    return outcome
