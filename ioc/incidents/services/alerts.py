"""The one alert inbox (R4.1, R4.2; DESIGN "Contracts: Alerts"): raise (idempotent while open, attached to an
open incident of the same kind and area), resolve, acknowledge, and the operator's verification: open an
incident, merge into one, or dismiss with a reason."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.accounts.models import User
from ioc.common.choices import Severity
from ioc.geo.models import AdminUnit
from ioc.incidents.choices import (
    ALERT_OPEN_STATES,
    DEDUP_KEY_MAX,
    INCIDENT_OPEN_STATES,
    KINDS,
    PAYLOAD_MAX_BYTES,
    AlertSource,
    AlertState,
    EventKind,
    IncidentState,
    Process,
    TimerState,
)
from ioc.incidents.models import Alert, Incident, VerificationTimer
from ioc.incidents.services._base import (
    Place,
    audit,
    clean_place,
    clean_severity,
    clean_text,
    clean_title,
    event,
    kind_spec,
    notify_if_severe,
    require_ioc,
    require_ioc_or_system,
    require_raiser,
)
from ioc.incidents.services.hooks import alert_hooks_schedule
from ioc.incidents.services.maintenance import in_maintenance

# An alert may be dated a little in the future (clocks differ), not more.
CLOCK_SKEW = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class RaiseResult:
    """What `alert_receive` did: the alert, and whether it is new (False: an open alert was updated)."""

    alert: Alert
    created: bool


def _input_errors(
    source: str, dedup_key: str, occurred_at: Any, payload: Any, now: dt.datetime
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if source not in AlertSource.values:
        errors["source"] = [_("Nguồn không có trong danh mục: “%(v)s” / Unknown source") % {"v": str(source)[:40]}]
    if not dedup_key or len(dedup_key) > DEDUP_KEY_MAX:
        errors["dedup_key"] = [
            _("Khóa chống trùng phải có từ 1 đến %(n)d ký tự / dedup_key must have 1–%(n)d characters")
            % {"n": DEDUP_KEY_MAX}
        ]
    if not isinstance(occurred_at, dt.datetime) or timezone.is_naive(occurred_at):
        errors["occurred_at"] = [_("Cần thời điểm có múi giờ / A time with its zone is required")]
    elif occurred_at > now + CLOCK_SKEW:
        errors["occurred_at"] = [_("Thời điểm ở tương lai / The time is in the future")]
    if not isinstance(payload, dict) or len(json.dumps(payload, default=str)) > PAYLOAD_MAX_BYTES:
        errors["payload"] = [
            _("Dữ liệu kèm theo phải là một đối tượng JSON dưới %(n)d byte / payload: a JSON object under %(n)d bytes")
            % {"n": PAYLOAD_MAX_BYTES}
        ]
    return errors


def _validated(
    source: str, dedup_key: str, kind: str, severity: Any, title: Any, occurred_at: Any, payload: Any
) -> tuple[int, str]:
    """Every refusal at once, each naming its field."""
    errors = _input_errors(source, dedup_key, occurred_at, payload, timezone.now())
    checked: dict[str, Any] = {}
    for field, check in (
        ("kind", lambda: kind_spec(kind)),
        ("severity", lambda: clean_severity(severity)),
        ("title", lambda: clean_title(title)),
    ):
        try:
            checked[field] = check()
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    return checked["severity"], checked["title"]


def open_incident_for(kind: str, place: Place) -> Incident | None:
    """R4.1: the open incident of the same kind and area (the commune, else the grid cell), if any."""
    qs = Incident.objects.filter(kind=kind, state__in=INCIDENT_OPEN_STATES)
    if place.unit is not None:
        qs = qs.filter(unit=place.unit)
    elif place.grid_cell:
        qs = qs.filter(grid_cell=place.grid_cell)
    else:
        return None
    return qs.order_by("-raised_at", "-pk").first()


def raise_severity(incident: Incident, severity: int, actor: User | None, now: dt.datetime, why: str) -> None:
    """R4.5: an incident takes the highest severity of its alerts; a severe level is told to the leadership."""
    if severity <= incident.severity:
        return
    previous = incident.severity
    incident.severity = severity
    incident.save(update_fields=["severity"])
    text = _("Mức độ %(a)s → %(b)s: %(why)s") % {
        "a": Severity(previous).label,
        "b": Severity(severity).label,
        "why": why,
    }
    line = event(incident, EventKind.SEVERITY, actor, now, text)
    audit(actor, "severity", incident, severity=[previous, severity], event=line.pk)
    notify_if_severe(incident, why)


def _repeat(alert: Alert, severity: int, title: str, payload: dict[str, Any], actor: User | None) -> Alert:
    """R4.1: a repeat of an open alert: last seen, count, max severity (and its incident's severity)."""
    now = timezone.now()
    before = alert.severity
    alert.last_seen_at, alert.count = now, alert.count + 1
    alert.severity = max(alert.severity, severity)
    alert.title, alert.payload = title, payload or alert.payload
    alert.save(update_fields=["last_seen_at", "count", "severity", "title", "payload"])
    audit(actor, "repeat", alert, count=alert.count, severity=[before, alert.severity])
    if alert.incident_id is not None and alert.severity > before:
        incident = Incident.objects.select_for_update().get(pk=alert.incident_id)
        if incident.state in INCIDENT_OPEN_STATES:
            raise_severity(incident, alert.severity, actor, now, alert.title)
    return alert


def _create(fields: dict[str, Any], place: Place, actor: User | None) -> Alert:
    now = timezone.now()
    alert = Alert(
        **fields,
        lat=place.lat,
        lon=place.lon,
        unit=place.unit,
        grid_cell=place.grid_cell,
        first_seen_at=now,
        last_seen_at=now,
        raised_by=actor,
    )
    alert.maintenance = in_maintenance(alert.source, now)
    incident = None if alert.maintenance else open_incident_for(alert.kind, place)
    if incident is not None:
        alert.state, alert.incident = AlertState.ATTACHED, incident
    with transaction.atomic():  # a savepoint: a concurrent twin makes this insert fail, not the caller's work
        alert.save()
    audit(actor, "raise", alert, kind=alert.kind, severity=alert.severity, incident=alert.incident_id)
    if incident is not None:
        event(incident, EventKind.ALERT, actor, now, alert.title, alert=alert)
        raise_severity(incident, alert.severity, actor, now, alert.title)
    elif not alert.maintenance:
        due = alert.first_seen_at + dt.timedelta(minutes=KINDS[alert.kind].verify_minutes)
        VerificationTimer.objects.create(alert=alert, due_at=due)
    return alert


def _open_alert(source: str, dedup_key: str) -> Alert | None:
    """The open alert of (source, dedup_key): at most one (the partial unique index), found by the index on
    (source, dedup_key) (issue 12 "Speed": SQLite cannot use the partial index with bound states, and scanned the
    open alerts), with no sort."""
    found = Alert.objects.select_for_update().filter(source=source, dedup_key=dedup_key, state__in=ALERT_OPEN_STATES)
    return found.order_by().first()


@transaction.atomic
def alert_receive(
    *,
    source: str,
    dedup_key: str,
    kind: str,
    severity: int,
    title: str,
    occurred_at: dt.datetime,
    point: tuple[float, float] | None = None,
    unit: AdminUnit | None = None,
    payload: dict[str, Any] | None = None,
    actor: User | None,
) -> RaiseResult:
    """R4.1: `alert_raise`, telling whether the alert is new. A repeat of an open (source, dedup_key) updates it;
    a new alert attaches to an open incident of the same kind and area, or waits in the inbox with its
    verification timer. Bad input: one ValidationError naming every field; nothing is written."""
    require_raiser(actor)
    payload = {} if payload is None else payload
    dedup_key = str(dedup_key or "").strip()
    level, title = _validated(source, dedup_key, kind, severity, title, occurred_at, payload)
    place = clean_place(point, unit)
    existing = _open_alert(source, dedup_key)
    if existing is not None:
        return RaiseResult(_repeat(existing, level, title, payload, actor), created=False)
    fields = {
        "source": source,
        "dedup_key": dedup_key,
        "kind": kind,
        "severity": level,
        "title": title,
        "occurred_at": occurred_at,
        "payload": payload,
    }
    try:
        created = _create(fields, place, actor)
    except IntegrityError:  # a concurrent request opened the same alert first: this one is its repeat
        twin = _open_alert(source, dedup_key)
        if twin is None:
            raise
        return RaiseResult(_repeat(twin, level, title, payload, actor), created=False)
    alert_hooks_schedule(created.pk)
    return RaiseResult(created, created=True)


def alert_raise(
    *,
    source: str,
    dedup_key: str,
    kind: str,
    severity: int,
    title: str,
    occurred_at: dt.datetime,
    point: tuple[float, float] | None = None,
    unit: AdminUnit | None = None,
    payload: dict[str, Any] | None = None,
    actor: User | None,
) -> Alert:
    """R4.1 (DESIGN "Contracts: Alerts"): raise an alert; idempotent while (source, dedup_key) is open."""
    return alert_receive(
        source=source,
        dedup_key=dedup_key,
        kind=kind,
        severity=severity,
        title=title,
        occurred_at=occurred_at,
        point=point,
        unit=unit,
        payload=payload,
        actor=actor,
    ).alert


def _timer_done(alert: Alert) -> None:
    VerificationTimer.objects.filter(alert=alert, state=TimerState.PENDING).update(
        state=TimerState.DONE, lease_until=None
    )


@transaction.atomic
def alert_resolve(
    *, source: str, dedup_key: str, resolved_at: dt.datetime | None = None, actor: User | None
) -> Alert | None:
    """R4.1: the source says the condition is over; the open alert is resolved (None when none is open)."""
    require_raiser(actor)
    alert = _open_alert(source, str(dedup_key or "").strip())
    if alert is None:
        return None
    now = timezone.now()
    alert.state, alert.resolved_at = AlertState.RESOLVED, resolved_at or now
    alert.save(update_fields=["state", "resolved_at"])
    _timer_done(alert)
    audit(actor, "resolve", alert, resolved_at=alert.resolved_at.isoformat())
    if alert.incident_id is not None:
        incident = Incident.objects.get(pk=alert.incident_id)
        text = _("Nguồn báo đã hết: %(title)s / The source reports it is over") % {"title": alert.title}
        event(incident, EventKind.ALERT, actor, now, text, alert=alert)
    return alert


def _lock_new(alert: Alert) -> Alert:
    locked = Alert.objects.select_for_update().get(pk=alert.pk)
    if locked.state != AlertState.NEW:
        message = _("Cảnh báo đã được xử lý (%(state)s) / The alert was already handled") % {
            "state": AlertState(locked.state).label
        }
        raise ValidationError({"state": [message]})
    return locked


@transaction.atomic
def alert_acknowledge(*, alert: Alert, actor: User) -> Alert:
    """R4.2: an operator has seen a severe alert: it stops sounding and is no longer highlighted."""
    require_ioc(actor)
    locked = _lock_new(alert)
    if locked.acknowledged_at is None:
        locked.acknowledged_at, locked.acknowledged_by = timezone.now(), actor
        locked.save(update_fields=["acknowledged_at", "acknowledged_by"])
        audit(actor, "acknowledge", locked)
    return locked


def _decide(alert: Alert, actor: User, state: AlertState, now: dt.datetime, **fields: Any) -> None:
    alert.state, alert.decided_at, alert.decided_by = state, now, actor
    alert.acknowledged_at = alert.acknowledged_at or now
    alert.acknowledged_by = alert.acknowledged_by or actor
    for name, value in fields.items():
        setattr(alert, name, value)
    alert.save()
    _timer_done(alert)


def incident_open(
    *,
    kind: str,
    severity: int,
    title: str,
    description: str,
    place: Place,
    raised_at: dt.datetime,
    actor: User,
) -> Incident:
    """R4.2: a verified situation becomes an incident: awaiting the leader's approval where its kind requires
    it, else verified (time-bound) or new (immediate); severe incidents are told to the leadership."""
    spec = kind_spec(kind)
    now = timezone.now()
    if spec.needs_approval:
        state = IncidentState.AWAITING_APPROVAL
    else:
        state = IncidentState.NEW if spec.process == Process.IMMEDIATE else IncidentState.VERIFIED
    incident = Incident.objects.create(
        kind=kind,
        process=spec.process,
        state=state,
        severity=severity,
        title=title,
        description=description,
        lat=place.lat,
        lon=place.lon,
        unit=place.unit,
        grid_cell=place.grid_cell,
        raised_at=min(raised_at, now),
        verified_at=now,
        verified_by=actor,
    )
    line = event(incident, EventKind.OPENED, actor, now, description or title)
    audit(actor, "open", incident, kind=kind, severity=severity, state=state, event=line.pk)
    notify_if_severe(incident, title)
    return incident


@transaction.atomic
def alert_verify(
    *,
    alert: Alert,
    actor: User,
    severity: int | None = None,
    title: str | None = None,
    description: str = "",
    point: tuple[float, float] | None = None,
    unit: AdminUnit | None = None,
) -> Incident:
    """R4.2: the operator verified the alert (authentic, where, how severe) and opens an incident from it (R4.6: or
    the system account, for an operating scenario whose trigger the alert matched)."""
    require_ioc_or_system(actor)
    locked = _lock_new(alert)
    level = clean_severity(locked.severity if severity is None else severity)
    title = clean_title(locked.title if title is None else title)
    description = clean_text(description, field="description", required=False)
    if point is not None or unit is not None:
        place = clean_place(point, unit)
    else:
        place = Place(lat=locked.lat, lon=locked.lon, unit=locked.unit, grid_cell=locked.grid_cell)
    incident = incident_open(
        kind=locked.kind,
        severity=level,
        title=title,
        description=description,
        place=place,
        raised_at=locked.first_seen_at,
        actor=actor,
    )
    now = timezone.now()
    _decide(locked, actor, AlertState.ATTACHED, now, incident=incident)
    event(incident, EventKind.ALERT, actor, now, locked.title, alert=locked)
    audit(actor, "verify", locked, incident=incident.pk, severity=level)
    return incident


@transaction.atomic
def incident_start(
    *,
    kind: str,
    severity: int,
    title: str,
    description: str = "",
    point: tuple[float, float] | None = None,
    unit: AdminUnit | None = None,
    actor: User,
) -> Incident:
    """R4.6: an incident opened with no alert: a leader activating an operating scenario, or the system account for
    a scenario's trigger that is not an alert (an indicator warning). Bad input: ValidationError naming the field."""
    require_ioc_or_system(actor)
    kind_spec(kind)
    level = clean_severity(severity)
    title = clean_title(title)
    description = clean_text(description, field="description", required=False)
    place = clean_place(point, unit)
    return incident_open(
        kind=kind,
        severity=level,
        title=title,
        description=description,
        place=place,
        raised_at=timezone.now(),
        actor=actor,
    )


@transaction.atomic
def alert_merge(*, alert: Alert, incident: Incident, actor: User, note: str = "") -> Incident:
    """R4.2: the alert is about an incident already open: it joins that incident's timeline (R4.6: or the system
    account, attaching an operating scenario's triggering alert to the incident the scenario opened)."""
    require_ioc_or_system(actor)
    locked = _lock_new(alert)
    note = clean_text(note, field="note", required=False)
    target = Incident.objects.select_for_update().get(pk=incident.pk)
    if target.state not in INCIDENT_OPEN_STATES:
        raise ValidationError({"incident": [_("Sự cố đã đóng hoặc đã hủy / The incident is closed or cancelled")]})
    now = timezone.now()
    _decide(locked, actor, AlertState.ATTACHED, now, incident=target)
    line = event(target, EventKind.MERGED, actor, now, note or locked.title, alert=locked)
    audit(actor, "merge", locked, incident=target.pk, event=line.pk)
    raise_severity(target, locked.severity, actor, now, locked.title)
    return target


@transaction.atomic
def alert_dismiss(*, alert: Alert, actor: User, reason: str) -> Alert:
    """R4.2: not authentic, a test, a false alarm: the alert leaves the inbox with a reason."""
    require_ioc(actor)
    locked = _lock_new(alert)
    reason = clean_text(reason, field="reason", required=True)
    _decide(locked, actor, AlertState.DISMISSED, timezone.now(), dismiss_reason=reason)
    audit(actor, "dismiss", locked, reason=reason)
    return locked


@transaction.atomic
def incident_escalate(
    *,
    source: str,
    dedup_key: str,
    kind: str,
    severity: int,
    title: str,
    description: str = "",
    occurred_at: dt.datetime,
    point: tuple[float, float] | None = None,
    unit: AdminUnit | None = None,
    payload: dict[str, Any] | None = None,
    actor: User,
) -> Incident:
    """R4.2: something the IOC has already verified (a citizen report, say) becomes an incident at once: its
    alert is raised and verified in one step, or joins the open incident it attaches to."""
    require_ioc(actor)
    raised = alert_receive(
        source=source,
        dedup_key=dedup_key,
        kind=kind,
        severity=severity,
        title=title,
        occurred_at=occurred_at,
        point=point,
        unit=unit,
        payload=payload,
        actor=actor,
    )
    if raised.alert.incident_id is not None:
        return Incident.objects.get(pk=raised.alert.incident_id)
    return alert_verify(alert=raised.alert, actor=actor, description=description)
