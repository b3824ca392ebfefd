"""A burst of alerts in one transaction (R4.1; issue 12 "Speed": 10,000 alerts in a minute, most of them repeats
of a few hundred open ones).

`alert_raise_many` gives each alert what `alert_raise` gives it, in order: a repeat of an open (source, dedup_key)
updates it (last seen, count, max severity, title, payload), a new one attaches to the open incident of its kind and
area or waits with its verification timer. Set-wise where nothing else happens: the open alerts of the whole burst
are read (and locked) in one query, plain repeats are applied in memory and written once per alert at the end,
their audit entries (one per raise or repeat, as `alert_raise` writes them) in one INSERT. New alerts (issue 14
"Speed": a sensor batch's firings) are built in memory with the place and the open incident the burst already found
(no second validation, place look-up or open-alert query), a later repeat of one in the same burst updates it
there, and they are written together by one multi-row INSERT … RETURNING (`ioc.common.bulk.insert_returning`),
before their incident lines, their verification timers (one INSERT) and the burst's audit entries; the new alerts'
after-commit hooks are scheduled once for the burst. A repeat that raises the severity (its incident may take it
and tell the leadership) goes through `alert_receive` itself, after the new alerts so far are written. A concurrent
twin (another transaction opened one of the burst's new keys after the burst read the open alerts: the unique index
refuses the INSERT) undoes the burst to its savepoint and runs it again one alert at a time, each new one in its own
savepoint, a twin taken as a repeat (`alert_receive`), as before the multi-row INSERT.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ioc.accounts.models import User
from ioc.audit.services import AuditItem, audit_record_many
from ioc.common.bulk import insert_returning
from ioc.geo.models import AdminUnit
from ioc.incidents.choices import ALERT_OPEN_STATES, INCIDENT_OPEN_STATES, KINDS, AlertState, EventKind, TimerState
from ioc.incidents.models import Alert, Incident, IncidentEvent, VerificationTimer
from ioc.incidents.services._base import Place, clean_place, require_raiser
from ioc.incidents.services.alerts import _validated, alert_receive, open_incident_for, raise_severity
from ioc.incidents.services.hooks import alert_hooks_schedule_many
from ioc.incidents.services.maintenance import in_maintenance

REPEAT_FIELDS = ["last_seen_at", "count", "severity", "title", "payload"]


@dataclass(frozen=True)
class AlertInput:
    """One alert of `alert_raise_many`: what `alert_raise` takes, but the actor."""

    source: str
    dedup_key: str
    kind: str
    severity: int
    title: str
    occurred_at: dt.datetime
    point: tuple[float, float] | None = None
    unit: AdminUnit | None = None
    payload: dict[str, Any] | None = None


def _place_key(item: AlertInput) -> tuple[Any, int | None] | None:
    try:
        key = (tuple(item.point) if item.point is not None else None, item.unit.pk if item.unit is not None else None)
        hash(key)
    except TypeError:  # not a pair of numbers: clean_place says why
        return None
    return key


@dataclass
class _Burst:
    """The burst's open alerts by (source, dedup_key), the repeats not written yet and their audit entries, and
    what repeats share (places already checked, alerts' labels)."""

    actor: User | None
    open: dict[tuple[str, str], Alert]
    bulk: bool = True  # new alerts written together (`write_new`); False: each in its own savepoint, at once
    pending: list[Alert] = dataclasses.field(default_factory=list)  # new, not written yet (bulk)
    new_ids: list[int] = dataclasses.field(default_factory=list)  # for the after-commit hooks, in order
    dirty: dict[int, Alert] = dataclasses.field(default_factory=dict)
    audits: list[AuditItem] = dataclasses.field(default_factory=list)
    places: dict[tuple[Any, int | None], Place] = dataclasses.field(default_factory=dict)
    incidents: dict[tuple[str, int | None, str], Incident | None] = dataclasses.field(default_factory=dict)
    timers: list[VerificationTimer] = dataclasses.field(default_factory=list)
    lines: list[IncidentEvent] = dataclasses.field(default_factory=list)  # new alerts' timeline lines, not written
    created: set[int] = dataclasses.field(default_factory=set)
    muted: dict[str, bool] = dataclasses.field(default_factory=dict)
    checks: dict[int, tuple[int, str, dict[str, Any], Place] | ValidationError] = dataclasses.field(
        default_factory=dict
    )

    def in_maintenance(self, source: str, at: dt.datetime) -> bool:
        """R10.2: whether an approved window names `source` (read once per source and burst)."""
        if source not in self.muted:
            self.muted[source] = in_maintenance(source, at)
        return self.muted[source]

    def checked(self, item: AlertInput) -> tuple[int, str, dict[str, Any], Place]:
        """What `alert_receive` checks first: a ValidationError naming every bad field; the place."""
        payload = {} if item.payload is None else item.payload
        dedup_key = str(item.dedup_key or "").strip()
        level, title = _validated(
            item.source, dedup_key, item.kind, item.severity, item.title, item.occurred_at, payload
        )
        key = _place_key(item)
        place = self.places.get(key) if key is not None else None
        if place is None:  # the same sensor's point again: already found
            place = clean_place(item.point, item.unit)
            if key is not None:
                self.places[key] = place
        return level, title, payload, place

    def incident_for(self, kind: str, place: Place) -> Incident | None:
        """`open_incident_for`, once per kind and area in a burst (alerts never open or close incidents); a commune's
        incident is found by the commune alone, whatever the grid cell."""
        unit = place.unit.pk if place.unit is not None else None
        key = (kind, unit, "" if unit is not None else place.grid_cell)
        if key not in self.incidents:
            self.incidents[key] = open_incident_for(kind, place)
        return self.incidents[key]

    def label(self, alert: Alert) -> str:
        return _label(alert)

    def check_all(self, items: Sequence[AlertInput]) -> None:
        """Every alert checked and placed first (`checked`, kept by position), then the open incidents of the
        burst's new alerts' kinds and communes read in one query instead of one `open_incident_for` each."""
        wanted: set[tuple[str, AdminUnit]] = set()
        for n, item in enumerate(items):
            try:
                checked = self.checks[n] = self.checked(item)
            except ValidationError as error:
                self.checks[n] = error
                continue
            place = checked[3]
            if place.unit is not None and (item.source, str(item.dedup_key or "").strip()) not in self.open:
                wanted.add((item.kind, place.unit))
        if not wanted:
            return
        pairs = sorted((kind, unit.pk) for kind, unit in wanted)
        found = _open_incidents(pairs)
        for kind, unit_pk in pairs:
            self.incidents[(kind, unit_pk, "")] = found.get((kind, unit_pk))

    def flush(self, alert: Alert) -> None:
        if self.dirty.pop(alert.pk, None) is not None:
            alert.save(update_fields=REPEAT_FIELDS)

    def repeat(self, alert: Alert, level: int, title: str, payload: dict[str, Any], now: dt.datetime) -> None:
        """`_repeat` in memory (written by `finish`); only when the severity does not rise. A new alert not
        written yet is written with it (its INSERT takes the values it has then)."""
        alert.last_seen_at, alert.count = now, alert.count + 1
        alert.title, alert.payload = title, payload or alert.payload
        if alert.pk is not None:
            self.dirty[alert.pk] = alert
        changes = {"count": alert.count, "severity": [alert.severity, alert.severity]}
        self.audits.append(AuditItem(action="alert.repeat", obj=alert, changes=changes, object_repr=self.label(alert)))

    def written(self, alert: Alert) -> None:
        """What follows a new alert's INSERT, as `_create` does it: its incident's timeline line (kept for one
        INSERT of the burst's lines, written at once before a severity line so the timeline keeps its order) and
        severity, or its verification timer (kept for `finish`'s one INSERT); its hooks after commit."""
        now = alert.first_seen_at
        incident = alert.incident
        if incident is not None:
            line = IncidentEvent(incident=incident, kind=EventKind.ALERT, at=now, actor=self.actor, text=alert.title)
            self.lines.append(line)
            line.alert = alert
            if alert.severity > incident.severity:
                self.write_lines()
                raise_severity(incident, alert.severity, self.actor, now, alert.title)
        elif not alert.maintenance:
            due = now + dt.timedelta(minutes=KINDS[alert.kind].verify_minutes)
            self.timers.append(VerificationTimer(alert_id=alert.pk, due_at=due))
        self.created.add(alert.pk)
        self.new_ids.append(alert.pk)

    def write_lines(self) -> None:
        lines, self.lines = self.lines, []
        insert_returning(lines)

    def write_new(self) -> None:
        """The new alerts so far in one multi-row INSERT, then what follows each, in the burst's order, and the
        timeline lines kept so far. The unique index refusing one (a concurrent twin) raises `_TwinOpened`: the
        caller undoes the burst."""
        if self.pending:
            pending, self.pending = self.pending, []
            try:
                insert_returning(pending)
            except IntegrityError as error:
                raise _TwinOpened from error
            for alert in pending:
                self.written(alert)
        self.write_lines()

    def finish(self) -> None:
        self.write_new()
        if self.audits:
            audit_record_many(actor=self.actor, items=self.audits)
        if self.dirty:
            _write_repeats(list(self.dirty.values()))
        if self.timers:
            insert_returning(self.timers)
        alert_hooks_schedule_many(self.new_ids)


class _TwinOpened(Exception):
    """A new alert of the burst met a concurrent twin at its INSERT (see the module)."""


PAIRS_PER_STATEMENT = 200
_SOURCE_LABELS: dict[tuple[str | None, str], str] = {}  # the sources are fixed choices: bounded


def _label(alert: Alert) -> str:
    """`str(alert)`, its source's label looked up once per language (`get_source_display` builds a dict of every
    choice's lazy label per call: a third of a repeat's time, issue 12 "Speed")."""
    key = (get_language(), alert.source)
    if key not in _SOURCE_LABELS:
        _SOURCE_LABELS[key] = str(alert.get_source_display())
    return f"{_SOURCE_LABELS[key]}: {alert.title}"


def _open_incidents(pairs: Sequence[tuple[str, int]]) -> dict[tuple[str, int], Incident]:
    """`open_incident_for` of many (kind, commune) pairs in two queries: the newest open incident's id per pair
    (one scalar subquery each, through the (unit, kind, state) index), then those incidents."""
    if not pairs:
        return {}
    quote = connection.ops.quote_name
    table = quote(Incident._meta.db_table)
    states = sorted(INCIDENT_OPEN_STATES)
    marks = ", ".join(["%s"] * len(states))
    one = (
        f"SELECT (SELECT id FROM {table} WHERE kind = %s AND unit_id = %s AND state IN ({marks}) "  # noqa: S608
        "ORDER BY raised_at DESC, id DESC LIMIT 1)"
    )
    ids: list[int | None] = []
    with connection.cursor() as cursor:
        # SQLite allows 500 terms in one compound SELECT: a burst over many communes and kinds goes in chunks.
        for first in range(0, len(pairs), PAIRS_PER_STATEMENT):
            chunk = pairs[first : first + PAIRS_PER_STATEMENT]
            params: list[Any] = [value for kind, unit in chunk for value in (kind, unit, *states)]
            cursor.execute(" UNION ALL ".join([one] * len(chunk)), params)
            ids += [row[0] for row in cursor.fetchall()]
    found = Incident.objects.in_bulk([pk for pk in ids if pk is not None])
    return {pair: found[pk] for pair, pk in zip(pairs, ids, strict=True) if pk is not None}


def _write_repeats(alerts: Sequence[Alert], names: Sequence[str] = REPEAT_FIELDS) -> None:
    """One UPDATE per alert, executemany (bulk_update's CASE over hundreds of rows cost ~0.7 s a burst)."""
    fields = {f.name: f for f in Alert._meta.concrete_fields}
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(str(fields[name].column))} = %s" for name in names)
    pk_column = quote(str(fields["id"].column))
    sql = f"UPDATE {quote(Alert._meta.db_table)} SET {assignments} WHERE {pk_column} = %s"  # noqa: S608
    params = [
        [*(fields[n].get_db_prep_save(getattr(alert, n), connection) for n in names), alert.pk] for alert in alerts
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


KEYS_PER_READ = 400  # dedup keys per read of the open alerts (under every backend's parameter limit)


def _open_alerts(items: Sequence[AlertInput | ResolveInput]) -> dict[tuple[str, str], Alert]:
    """The open alerts of the items' (source, dedup_key) pairs, locked where the database can (FOR UPDATE), through
    the index on (source, dedup_key). Raw SQL: the ORM's compiling of the query was a seventh of a sensor batch's
    hand-off (issue 14 "Speed")."""
    keys = sorted({str(item.dedup_key or "").strip() for item in items})
    sources = sorted({item.source for item in items})
    states = sorted(ALERT_OPEN_STATES)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(field.column)) for field in Alert._meta.concrete_fields)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    found: dict[tuple[str, str], Alert] = {}
    for first in range(0, len(keys), KEYS_PER_READ):
        chunk = keys[first : first + KEYS_PER_READ]
        marks = {
            name: ", ".join(["%s"] * len(values)) for name, values in (("s", sources), ("k", chunk), ("t", states))
        }
        sql = (
            f"SELECT {columns} FROM {quote(Alert._meta.db_table)} WHERE source IN ({marks['s']}) "  # noqa: S608
            f"AND dedup_key IN ({marks['k']}) AND state IN ({marks['t']}){lock}"
        )
        for alert in Alert.objects.raw(sql, [*sources, *chunk, *states]):
            found[(alert.source, alert.dedup_key)] = alert
    return found


def _new(burst: _Burst, item: AlertInput, checked: tuple[int, str, dict[str, Any], Place]) -> Alert | None:
    """`alert_receive`'s new alert (`_create`) with what the burst knows, written by `write_new` (bulk) or at once
    in its savepoint; None when, written at once, a concurrent twin was opened first (the savepoint is undone,
    `alert_receive` then takes it as a repeat)."""
    level, title, payload, place = checked
    now = timezone.now()
    alert = Alert(
        source=item.source,
        dedup_key=str(item.dedup_key or "").strip(),
        kind=item.kind,
        severity=level,
        title=title,
        occurred_at=item.occurred_at,
        payload=payload,
        lat=place.lat,
        lon=place.lon,
        unit=place.unit,
        grid_cell=place.grid_cell,
        first_seen_at=now,
        last_seen_at=now,
        raised_by=burst.actor,
    )
    alert.maintenance = burst.in_maintenance(alert.source, now)  # as `_create`: recorded, no timer, no incident
    incident = None if alert.maintenance else burst.incident_for(alert.kind, place)
    if incident is not None:
        alert.state, alert.incident = AlertState.ATTACHED, incident
    if burst.bulk:
        burst.pending.append(alert)
    else:
        try:
            with transaction.atomic():
                alert.save()
        except IntegrityError:
            return None
    changes = {"kind": alert.kind, "severity": alert.severity, "incident": alert.incident_id}
    burst.audits.append(AuditItem(action="alert.raise", obj=alert, changes=changes, object_repr=burst.label(alert)))
    if not burst.bulk:
        burst.written(alert)
    return alert


def _one(burst: _Burst, item: AlertInput, n: int) -> Alert:
    checked = burst.checks.pop(n, None) or burst.checked(item)
    if isinstance(checked, ValidationError):
        raise checked
    level, title, payload, _place = checked
    key = (item.source, str(item.dedup_key or "").strip())
    alert = burst.open.get(key)
    if alert is not None and level <= alert.severity:
        burst.repeat(alert, level, title, payload, timezone.now())
        return alert
    raised = _new(burst, item, checked) if alert is None else None
    if raised is None:
        burst.write_new()  # `alert_receive` reads and may change what the burst has opened so far
        if alert is not None:
            burst.flush(alert)
        fields = {f.name: getattr(item, f.name) for f in dataclasses.fields(item)}
        with transaction.atomic():  # its own savepoint, as alert_raise's own transaction
            result = alert_receive(**fields, actor=burst.actor)
        burst.incidents.clear()  # it may have raised an incident's severity on its own copy
        raised = result.alert
        if result.created:
            burst.created.add(raised.pk)
    burst.open[key] = raised
    return raised


BURST_LOCK = 0x1C_12_A1E7  # the advisory lock of alert bursts on PostgreSQL


def _one_burst_at_a_time() -> None:
    """PostgreSQL: bursts run one at a time (a transaction-scoped advisory lock), as SQLite's IMMEDIATE
    transactions already make them. Two bursts opening the same new keys in different orders otherwise deadlock on
    the open alerts' unique index (measured: 5 of 36 batches lost in a 3,000-alert storm with two workers)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [BURST_LOCK])


@dataclass(frozen=True)
class BurstResult:
    """What `alert_raise_batch` did: per alert, in order, its Alert or its ValidationError; the ids it opened."""

    results: list[Alert | ValidationError]
    created: frozenset[int]


def alert_raise_batch(*, alerts: Sequence[AlertInput], actor: User | None) -> BurstResult:
    """R4.1 (issue 12 "Speed"): a burst of alerts from one raiser in one transaction (one durable commit), each
    raised as `alert_raise` raises it, in order. A bad one gets its ValidationError in its place and writes nothing;
    the others go in. A raiser without the right refuses the whole burst (PermissionDenied). Tells which alerts
    the burst opened (the batch API answers "created" or "updated" per item). A concurrent twin of a new alert
    (rare: see the module) runs the burst again, one alert at a time."""
    try:
        return _burst(alerts, actor, bulk=True)
    except _TwinOpened:
        return _burst(alerts, actor, bulk=False)


@transaction.atomic
def _burst(alerts: Sequence[AlertInput], actor: User | None, *, bulk: bool) -> BurstResult:
    require_raiser(actor)
    _one_burst_at_a_time()
    burst = _Burst(actor=actor, open=_open_alerts(alerts), bulk=bulk)
    burst.check_all(alerts)
    results: list[Alert | ValidationError] = []
    for n, item in enumerate(alerts):
        try:
            results.append(_one(burst, item, n))
        except ValidationError as error:
            results.append(error)
    burst.finish()
    return BurstResult(results, frozenset(burst.created))


def alert_raise_many(*, alerts: Sequence[AlertInput], actor: User | None) -> list[Alert | ValidationError]:
    """R4.1 (issue 12 "Speed"): `alert_raise_batch`'s alerts and refusals, in order."""
    return alert_raise_batch(alerts=alerts, actor=actor).results


@dataclass(frozen=True)
class ResolveInput:
    """One alert of `alert_resolve_many`: what `alert_resolve` takes, but the actor."""

    source: str
    dedup_key: str
    resolved_at: dt.datetime | None = None


@transaction.atomic
def alert_resolve_many(*, items: Sequence[ResolveInput], actor: User | None) -> list[Alert | None]:
    """R4.1 (issue 14 "Speed": a sensor batch's clearings): `alert_resolve` of each item in one transaction, in
    order — the open alerts read and locked in one query, resolved by one executemany UPDATE, their pending
    verification timers done by one UPDATE, their audit entries in one INSERT and the timeline lines of those
    attached to an incident in one more. Per item its resolved alert, or None when none was open (a key named twice
    is resolved by the first: the second finds none open, as a second `alert_resolve` would)."""
    require_raiser(actor)
    if items:
        _one_burst_at_a_time()  # it locks open alerts as a burst does: one lock order for both, no deadlock
    found = _open_alerts(items) if items else {}
    now = timezone.now()
    results: list[Alert | None] = []
    for item in items:
        alert = found.pop((item.source, str(item.dedup_key or "").strip()), None)
        if alert is not None:
            alert.state, alert.resolved_at = AlertState.RESOLVED, item.resolved_at or now
        results.append(alert)
    resolved = [alert for alert in results if alert is not None]
    if not resolved:
        return results
    _write_repeats(resolved, ["state", "resolved_at"])
    VerificationTimer.objects.filter(alert__in=[alert.pk for alert in resolved], state=TimerState.PENDING).update(
        state=TimerState.DONE, lease_until=None
    )
    audit_record_many(
        actor=actor,
        items=[
            AuditItem(
                action="alert.resolve",
                obj=alert,
                changes={"resolved_at": alert.resolved_at.isoformat() if alert.resolved_at else None},
                object_repr=_label(alert),
            )
            for alert in resolved
        ],
    )
    over = _("Nguồn báo đã hết: %(title)s / The source reports it is over")
    lines = [
        IncidentEvent(
            incident_id=alert.incident_id,
            kind=EventKind.ALERT,
            at=now,
            actor=actor,
            text=over % {"title": alert.title},
            alert=alert,
        )
        for alert in resolved
        if alert.incident_id is not None
    ]
    insert_returning(lines)
    return results
