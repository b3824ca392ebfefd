"""A burst of alerts in one transaction (R4.1; issue 12 "Speed": 10,000 alerts in a minute, most of them repeats
of a few hundred open ones).

`alert_raise_many` gives each alert what `alert_raise` gives it, in order: a repeat of an open (source, dedup_key)
updates it (last seen, count, max severity, title, payload), a new one attaches to the open incident of its kind and
area or waits with its verification timer. Set-wise where nothing else happens: the open alerts of the whole burst
are read (and locked) in one query, plain repeats are applied in memory and written once per alert at the end,
their audit entries (one per repeat, as `alert_raise` writes them) in one INSERT. A new alert (fourth landing) is
written in one savepoint with the place and the open incident the burst already found (no second validation, place
look-up or open-alert query), its audit entry joins the burst's INSERT and its verification timer one bulk INSERT;
a concurrent twin (the unique index refuses it) and a repeat that raises the severity (its incident may take it and
tell the leadership) go through `alert_receive` itself.
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

from ioc.accounts.models import User
from ioc.audit.services import AuditItem, audit_record_many
from ioc.geo.models import AdminUnit
from ioc.incidents.choices import ALERT_OPEN_STATES, INCIDENT_OPEN_STATES, KINDS, AlertState, EventKind
from ioc.incidents.models import Alert, Incident, VerificationTimer
from ioc.incidents.services._base import Place, clean_place, event, require_raiser
from ioc.incidents.services.alerts import _validated, alert_receive, open_incident_for, raise_severity
from ioc.incidents.services.hooks import alert_hooks_schedule
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
    dirty: dict[int, Alert] = dataclasses.field(default_factory=dict)
    audits: list[AuditItem] = dataclasses.field(default_factory=list)
    places: dict[tuple[Any, int | None], Place] = dataclasses.field(default_factory=dict)
    incidents: dict[tuple[str, int | None, str], Incident | None] = dataclasses.field(default_factory=dict)
    timers: list[VerificationTimer] = dataclasses.field(default_factory=list)
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
        """`str(alert)`, its source's label looked up once per language (`get_source_display` builds a dict of
        every choice's lazy label per call: a third of a repeat's time, issue 12 "Speed")."""
        key = (get_language(), alert.source)
        if key not in _SOURCE_LABELS:
            _SOURCE_LABELS[key] = str(alert.get_source_display())
        return f"{_SOURCE_LABELS[key]}: {alert.title}"

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
        """`_repeat` in memory (written by `finish`); only when the severity does not rise."""
        alert.last_seen_at, alert.count = now, alert.count + 1
        alert.title, alert.payload = title, payload or alert.payload
        self.dirty[alert.pk] = alert
        changes = {"count": alert.count, "severity": [alert.severity, alert.severity]}
        self.audits.append(AuditItem(action="alert.repeat", obj=alert, changes=changes, object_repr=self.label(alert)))

    def finish(self) -> None:
        if self.audits:
            audit_record_many(actor=self.actor, items=self.audits)
        if self.dirty:
            _write_repeats(list(self.dirty.values()))
        if self.timers:
            VerificationTimer.objects.bulk_create(self.timers)


PAIRS_PER_STATEMENT = 200
_SOURCE_LABELS: dict[tuple[str | None, str], str] = {}  # the sources are fixed choices: bounded


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


def _write_repeats(alerts: Sequence[Alert]) -> None:
    """One UPDATE per alert, executemany (bulk_update's CASE over hundreds of rows cost ~0.7 s a burst)."""
    fields = {f.name: f for f in Alert._meta.concrete_fields}
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(str(fields[name].column))} = %s" for name in REPEAT_FIELDS)
    pk_column = quote(str(fields["id"].column))
    sql = f"UPDATE {quote(Alert._meta.db_table)} SET {assignments} WHERE {pk_column} = %s"  # noqa: S608
    params = [
        [*(fields[n].get_db_prep_save(getattr(alert, n), connection) for n in REPEAT_FIELDS), alert.pk]
        for alert in alerts
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _open_alerts(items: Sequence[AlertInput]) -> dict[tuple[str, str], Alert]:
    keys = {str(item.dedup_key or "").strip() for item in items}
    sources = {item.source for item in items}
    found = Alert.objects.select_for_update().filter(
        source__in=sources, dedup_key__in=keys, state__in=ALERT_OPEN_STATES
    )
    found = found.order_by()  # through the index on (source, dedup_key)
    return {(alert.source, alert.dedup_key): alert for alert in found}


def _new(burst: _Burst, item: AlertInput, checked: tuple[int, str, dict[str, Any], Place]) -> Alert | None:
    """`alert_receive`'s new alert (`_create`) with what the burst knows; None when a concurrent twin was opened
    first (the savepoint is undone, `alert_receive` then takes it as a repeat)."""
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
    try:
        with transaction.atomic():
            alert.save()
    except IntegrityError:
        return None
    changes = {"kind": alert.kind, "severity": alert.severity, "incident": alert.incident_id}
    burst.audits.append(AuditItem(action="alert.raise", obj=alert, changes=changes, object_repr=burst.label(alert)))
    if incident is not None:
        event(incident, EventKind.ALERT, burst.actor, now, alert.title, alert=alert)
        raise_severity(incident, alert.severity, burst.actor, now, alert.title)
    elif not alert.maintenance:
        due = alert.first_seen_at + dt.timedelta(minutes=KINDS[alert.kind].verify_minutes)
        burst.timers.append(VerificationTimer(alert=alert, due_at=due))
    alert_hooks_schedule(alert.pk)
    burst.created.add(alert.pk)
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


@transaction.atomic
def alert_raise_batch(*, alerts: Sequence[AlertInput], actor: User | None) -> BurstResult:
    """R4.1 (issue 12 "Speed"): a burst of alerts from one raiser in one transaction (one durable commit), each
    raised as `alert_raise` raises it, in order. A bad one gets its ValidationError in its place and writes nothing;
    the others go in. A raiser without the right refuses the whole burst (PermissionDenied). Tells which alerts
    the burst opened (the batch API answers "created" or "updated" per item)."""
    require_raiser(actor)
    _one_burst_at_a_time()
    burst = _Burst(actor=actor, open=_open_alerts(alerts))
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
