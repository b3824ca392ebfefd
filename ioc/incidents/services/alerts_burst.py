"""A burst of alerts in one transaction (R4.1; issue 12 "Speed": 10,000 alerts in a minute, most of them repeats
of a few hundred open ones).

`alert_raise_many` gives each alert what `alert_raise` gives it, in order: a repeat of an open (source, dedup_key)
updates it (last seen, count, max severity, title, payload), a new one attaches to the open incident of its kind and
area or waits with its verification timer. Set-wise where nothing else happens: the open alerts of the whole burst
are read (and locked) in one query, plain repeats are applied in memory and written once per alert at the end,
their audit entries (one per repeat, as `alert_raise` writes them) in one INSERT. A new alert, and a repeat that
raises the severity (its incident may take it and tell the leadership), go through `alert_receive` itself.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from ioc.accounts.models import User
from ioc.audit.services import AuditItem, audit_record_many
from ioc.geo.models import AdminUnit
from ioc.incidents.choices import ALERT_OPEN_STATES
from ioc.incidents.models import Alert
from ioc.incidents.services._base import clean_place, require_raiser
from ioc.incidents.services.alerts import _validated, alert_receive

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
    places: set[tuple[Any, int | None]] = dataclasses.field(default_factory=set)
    labels: dict[tuple[int, str], str] = dataclasses.field(default_factory=dict)

    def checked(self, item: AlertInput) -> tuple[int, str, dict[str, Any]]:
        """What `alert_receive` checks first (no query): a ValidationError naming every bad field."""
        payload = {} if item.payload is None else item.payload
        dedup_key = str(item.dedup_key or "").strip()
        level, title = _validated(
            item.source, dedup_key, item.kind, item.severity, item.title, item.occurred_at, payload
        )
        place = _place_key(item)
        if place is None or place not in self.places:  # the same sensor's point again: already found
            clean_place(item.point, item.unit)
            if place is not None:
                self.places.add(place)
        return level, title, payload

    def label(self, alert: Alert) -> str:
        key = (alert.pk, alert.title)
        if key not in self.labels:
            self.labels[key] = str(alert)
        return self.labels[key]

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


def _one(burst: _Burst, item: AlertInput) -> Alert:
    level, title, payload = burst.checked(item)
    key = (item.source, str(item.dedup_key or "").strip())
    alert = burst.open.get(key)
    if alert is not None and level <= alert.severity:
        burst.repeat(alert, level, title, payload, timezone.now())
        return alert
    if alert is not None:
        burst.flush(alert)
    fields = {f.name: getattr(item, f.name) for f in dataclasses.fields(item)}
    with transaction.atomic():  # its own savepoint, as alert_raise's own transaction
        raised = alert_receive(**fields, actor=burst.actor).alert
    burst.open[key] = raised
    return raised


@transaction.atomic
def alert_raise_many(*, alerts: Sequence[AlertInput], actor: User | None) -> list[Alert | ValidationError]:
    """R4.1 (issue 12 "Speed"): a burst of alerts from one raiser in one transaction (one durable commit), each
    raised as `alert_raise` raises it, in order. A bad one gets its ValidationError in its place and writes nothing;
    the others go in. A raiser without the right refuses the whole burst (PermissionDenied)."""
    require_raiser(actor)
    burst = _Burst(actor=actor, open=_open_alerts(alerts))
    results: list[Alert | ValidationError] = []
    for item in alerts:
        try:
            results.append(_one(burst, item))
        except ValidationError as error:
            results.append(error)
    burst.finish()
    return results
