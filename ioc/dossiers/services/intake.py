"""Intake of the one-stop shop's events (R5.3; issue 23 "Intake"): the one service both the push API and the pull
through the data hub call. Each row is stored and checked in its own savepoint, so a refused row leaves nothing
behind; the answer is the shared import summary (row, field, reason)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.accounts.models import User
from ioc.agencies.models import Agency
from ioc.audit.services import AuditItem, audit_record_many
from ioc.common.imports import ImportConflict, ImportSummary, import_summary
from ioc.common.privacy import blind_index
from ioc.dossiers.choices import BATCH_MAX, EventKind, HeldState
from ioc.dossiers.models import Dossier, DossierEvent, HeldEvent
from ioc.dossiers.payloads import ParsedEvent, PayloadError, dossier_code_of, event_parse, event_payload
from ioc.dossiers.services.intake_batch import held_refusal, receive_set_based, version_in_force_id
from ioc.dossiers.services.locks import dossiers_lock
from ioc.dossiers.services.recheck import dossier_recheck
from ioc.geo.selectors import UnitNotFoundError, UnitRefError, unit_get
from ioc.worktime.selectors import LOCAL_TZ, WorkCalendar, calendar_cached


class _Held(Exception):
    """The dossier is not received yet: the event waits (HeldEvent)."""


class _Repeat(Exception):
    """The source's event id was seen before: ignored and counted."""


@dataclass
class _Batch:
    agency: Agency
    actor: User
    now: dt.datetime
    calendar: WorkCalendar
    imported: int = 0
    ignored: int = 0
    conflicts: list[ImportConflict] = field(default_factory=list)

    def refuse(self, row: int, error: PayloadError) -> None:
        self.conflicts.append(ImportConflict(row=row, field=error.field, value=error.value, reason=error.reason))


def _unit(ref: str) -> Any:
    if not ref:
        return None
    try:
        return unit_get(ref=ref)
    except (UnitRefError, UnitNotFoundError) as exc:
        raise PayloadError("unit", _("Không có xã, phường này / Unknown commune"), ref) from exc


def _receive_dossier(batch: _Batch, event: ParsedEvent) -> Dossier:
    found = Dossier.objects.filter(code=event.dossier).only("agency_id").first()
    if found is not None and found.agency_id != batch.agency.pk:
        raise PayloadError("dossier", _("Hồ sơ của cơ quan khác / Another agency's dossier"), event.dossier)
    if found is not None:
        raise PayloadError("dossier", _("Hồ sơ đã được tiếp nhận / Dossier already received"), event.dossier)
    version_id = version_in_force_id(event.procedure, event.occurred_at.astimezone(LOCAL_TZ).date())
    return Dossier.objects.create(
        code=event.dossier,
        agency=batch.agency,
        version_id=version_id,
        unit=_unit(event.unit),
        channel=event.channel,
        received_at=event.occurred_at,
        due_at=event.occurred_at,
        status="received",
        contact_index=blind_index(event.phone),
        id_index=blind_index(event.id_number),
    )


def _dossier_for(batch: _Batch, event: ParsedEvent) -> Dossier:
    dossier = Dossier.objects.select_related("agency", "unit").filter(code=event.dossier).first()
    if dossier is None:
        raise _Held()
    if dossier.agency_id != batch.agency.pk:
        raise PayloadError("dossier", _("Hồ sơ của cơ quan khác / Another agency's dossier"), event.dossier)
    if event.occurred_at < dossier.received_at:
        raise PayloadError("occurred_at", _("Trước thời điểm tiếp nhận / Before the receipt"), event.occurred_at)
    if event.step and not dossier.version.steps.filter(code=event.step).exists():
        raise PayloadError("step", _("Thủ tục không có bước này / Unknown step of the procedure"), event.step)
    return dossier


def _store(batch: _Batch, event: ParsedEvent) -> Dossier:
    seen = DossierEvent.objects.filter(agency=batch.agency, source_event_id=event.event_id).exists()
    # Only an event still waiting is a repeat: one refused while held may be sent again (issue 23 "Bad input").
    held = HeldEvent.objects.filter(agency=batch.agency, source_event_id=event.event_id)
    held_state = held.values_list("state", flat=True).first()
    if seen or held_state == HeldState.HELD:
        raise _Repeat()
    receipt = event.kind == EventKind.RECEIPT
    dossier = _receive_dossier(batch, event) if receipt else _dossier_for(batch, event)
    DossierEvent.objects.create(
        dossier=dossier,
        agency=batch.agency,
        source_event_id=event.event_id,
        kind=event.kind,
        occurred_at=event.occurred_at,
        stored_at=batch.now,
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
    if held_state == HeldState.REFUSED:  # a re-send of an event refused while held: its row says where it went
        held.update(state=HeldState.PLACED)
    dossier_recheck(dossier=dossier, calendar=batch.calendar, actor=batch.actor, now=batch.now)
    return dossier


def _hold(batch: _Batch, event: ParsedEvent) -> None:
    """Hold the event; a re-send of one refused earlier waits again, from now, with what was sent this time."""
    HeldEvent.objects.update_or_create(
        agency=batch.agency,
        source_event_id=event.event_id,
        defaults={
            "dossier_code": event.dossier,
            "payload": event_payload(event),
            "held_at": batch.now,
            "state": HeldState.HELD,
            "reason": "",
        },
    )


def _place_held(batch: _Batch, dossier: Dossier) -> None:
    """Events that waited for this dossier's receipt are placed by their time (each re-checks the dossier);
    one that still does not fit (e.g. timed before the receipt) is refused with its reason."""
    for held in HeldEvent.objects.filter(agency=batch.agency, dossier_code=dossier.code, state=HeldState.HELD):
        try:
            with transaction.atomic():
                HeldEvent.objects.filter(pk=held.pk).update(state=HeldState.PLACED)
                _store(batch, event_parse(held.payload, now=batch.now))
        except PayloadError as error:
            reason = f"{error.field}: {error.reason}"
            HeldEvent.objects.filter(pk=held.pk).update(state=HeldState.REFUSED, reason=reason)
        except (_Repeat, _Held):
            HeldEvent.objects.filter(pk=held.pk).update(state=HeldState.REFUSED, reason="repeat")


def _stored(batch: _Batch, event: ParsedEvent) -> None:
    """`_store` in a savepoint. A twin committed meanwhile by another request (the same event id, or a receipt of
    the same code) breaks a unique index: the savepoint is undone and the event judged again, now seeing the twin
    (a repeat, or "already received") — a named answer, never a 500."""
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                dossier = _store(batch, event)
                if event.kind == EventKind.RECEIPT:
                    _place_held(batch, dossier)
            return
        except IntegrityError as exc:
            if attempt == 2:
                reason = _("Sự kiện trùng gửi đồng thời / A concurrent duplicate")
                raise PayloadError("event_id", reason, event.event_id) from exc


def _one(batch: _Batch, row: int, raw: Any) -> None:
    try:
        event = event_parse(raw, now=batch.now)
        _stored(batch, event)
        batch.imported += 1
    except _Repeat:
        batch.ignored += 1
    except _Held:
        _hold(batch, event)
        batch.refuse(row, held_refusal())
    except PayloadError as error:
        batch.refuse(row, error)


def _receipts_first(rows: list[Any]) -> list[tuple[int, Any]]:
    """Rows numbered from 1 as sent; receipts go first so a batch may carry a dossier's whole story."""
    numbered = list(enumerate(rows, start=1))
    return sorted(numbered, key=lambda pair: not (isinstance(pair[1], dict) and pair[1].get("kind") == "receipt"))


def _row_by_row(batch: _Batch, rows: list[tuple[int, Any]]) -> None:
    """The one-row path: each row in its own savepoint, judged against what is committed (a concurrent twin)."""
    for row, raw in rows:
        _one(batch, row, raw)


def _set_based(batch: _Batch, rows: list[tuple[int, Any]]) -> bool:
    """The batch in a fixed number of statements (intake_batch); False when a concurrent twin broke a unique index
    (its savepoint undone: nothing of it stays)."""
    try:
        with transaction.atomic():
            outcome = receive_set_based(
                agency=batch.agency, rows=rows, actor=batch.actor, now=batch.now, calendar=batch.calendar
            )
    except IntegrityError:
        return False
    batch.imported, batch.ignored = outcome.imported, outcome.ignored
    for row, error in outcome.refused:
        batch.refuse(row, error)
    return True


def dossier_event_receive(
    *, agency: Agency, rows: list[Any], actor: User, now: dt.datetime | None = None
) -> ImportSummary:
    """R5.3: one event or a batch from `agency`'s one-stop shop (push or pull), idempotent on the source's event id.

    Refused rows are named in the summary (row, field, reason) and leave nothing behind; an event for a dossier not
    yet received is held (named in the summary) and placed when the receipt comes, else refused by the sweep.
    One transaction and one audit entry per batch; its statements do not grow with its size (issue 23 "Speed":
    `intake_batch`), the one-row path taking over when a concurrent twin is found. Requests on one dossier run
    one after the other (`locks.dossiers_lock`), so an event held beside its receipt is never left waiting."""
    if len(rows) > BATCH_MAX:
        error = PayloadError("events", _("Tối đa %(n)s sự kiện mỗi lần / At most %(n)s events") % {"n": BATCH_MAX})
        return import_summary(conflicts=[ImportConflict(row=0, field=error.field, value="", reason=error.reason)])
    calendar = calendar_cached(agency=agency)  # every request: kept per process (issue 23 "Speed")
    with transaction.atomic():
        # Before any read: a concurrent request on one of these dossiers commits first (services/locks.py).
        dossiers_lock(agency_id=agency.pk, codes=[dossier_code_of(row) for row in rows])
        batch = _Batch(agency=agency, actor=actor, now=now or timezone.now(), calendar=calendar)
        numbered = _receipts_first(rows)
        if not _set_based(batch, numbered):
            batch = _Batch(agency=agency, actor=actor, now=batch.now, calendar=calendar)
            _row_by_row(batch, numbered)
        batch.conflicts.sort(key=lambda c: c["row"])
        summary = import_summary(imported=batch.imported, ignored=batch.ignored, conflicts=batch.conflicts)
        # audit_record's entry, written by the set-based INSERT (no query to compile: issue 23 "Speed").
        entry = AuditItem(
            action="dossier_event.receive",
            object_type="dossiers.DossierEvent",
            object_id=agency.code,
            row_count=len(rows),
            changes={k: summary[k] for k in ("imported", "ignored", "rejected")},  # type: ignore[literal-required]
        )
        audit_record_many(actor=actor, items=[entry])
    return summary
