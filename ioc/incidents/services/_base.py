"""What the incident services share (R4.1–R4.5): actor and transition checks, text and place cleaning, the
timeline line, the audit entry and the notifications of severe incidents. Not imported outside the package."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from ioc.accounts.choices import IOC_STAFF_ROLES, Role
from ioc.accounts.models import User
from ioc.assignments import selectors as assignment_selectors
from ioc.audit.services import audit_record
from ioc.common import plaintext
from ioc.common.choices import Severity, is_severe
from ioc.common.roles import actor_has_role
from ioc.geo.models import AdminUnit
from ioc.geo.selectors import GeoInputError, grid_cell, unit_at_point
from ioc.incidents.choices import KINDS, TEXT_MAX, TITLE_MAX, TRANSITIONS, EventKind, IncidentState, KindSpec
from ioc.incidents.models import Alert, Incident, IncidentEvent
from ioc.incidents.services.hooks import is_system_account
from ioc.notifications.services import notification_enqueue
from ioc.worktime.selectors import LOCAL_TZ

SEVERE_TEMPLATE = "incidents.severe"
VERIFY_OVERDUE_TEMPLATE = "incidents.verify_overdue"
DISPATCH_TEMPLATE = "incidents.dispatched"


# --- Checks ---------------------------------------------------------------------------------------------------


def require_ioc(actor: User) -> User:
    """R4.2: IOC operators and leaders verify, forward, confirm and close."""
    if not actor_has_role(actor, IOC_STAFF_ROLES):
        raise PermissionDenied(_("Chỉ cán bộ vận hành, lãnh đạo IOC được thực hiện / Only IOC operators and leaders"))
    return actor


def require_ioc_or_system(actor: User) -> User:
    """R4.2, R4.6: as `require_ioc`, and the system account acting for an operating scenario's trigger."""
    if is_system_account(actor):
        return actor
    return require_ioc(actor)


# Who raises alerts (R4.1): the IOC, information systems through their tokens, and the system account (background
# work: sensors' rules, the surge task), which holds the system-administrator role.
RAISER_ROLES = frozenset({*IOC_STAFF_ROLES, Role.INFORMATION_SYSTEM, Role.SYSTEM_ADMIN})


def require_raiser(actor: User | None) -> None:
    if not actor_has_role(actor, RAISER_ROLES):
        raise PermissionDenied(
            _("Chỉ IOC, hệ thống thông tin được cấp quyền mới gửi cảnh báo / Only the IOC and systems raise alerts")
        )


def require_leader(actor: User) -> User:
    """R4.2: where the kind requires it, the IOC leader approves before anything is forwarded."""
    if not actor_has_role(actor, [Role.IOC_LEADER]):
        raise PermissionDenied(_("Chỉ lãnh đạo IOC được duyệt / Only the IOC leader approves"))
    return actor


def kind_spec(kind: str, field: str = "kind") -> KindSpec:
    spec = KINDS.get(str(kind or ""))
    if spec is None:
        message = _("Loại cảnh báo không có trong danh mục: “%(kind)s” / Unknown kind") % {"kind": str(kind)[:60]}
        raise ValidationError({field: [message]})
    return spec


def clean_severity(value: Any, field: str = "severity") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in Severity.values:
        message = _("Mức độ phải là số nguyên từ 1 đến 5, nhận “%(value)s” / Severity must be 1–5") % {
            "value": str(value)[:20]
        }
        raise ValidationError({field: [message]})
    return int(value)


def clean_text(value: Any, *, field: str, required: bool, max_length: int = TEXT_MAX) -> str:
    """`plaintext.clean_text` with the incidents' default bound (TEXT_MAX)."""
    return plaintext.clean_text(value, field=field, required=required, max_length=max_length)


def clean_title(value: Any) -> str:
    return clean_text(value, field="title", required=True, max_length=TITLE_MAX)


@dataclass(frozen=True)
class Place:
    """Where: a point (lat, lon) with its 2025 commune and grid cell, or a commune alone, or nowhere."""

    lat: float | None = None
    lon: float | None = None
    unit: AdminUnit | None = None
    grid_cell: str = ""


def clean_place(point: tuple[float, float] | None, unit: AdminUnit | None) -> Place:
    """R4.1 (DESIGN "Administrative units"): a point gets its 2025 commune and grid cell; outside → "point".
    Without a point, the named commune (if any)."""
    if point is None:
        return Place(unit=unit)
    try:
        lat, lon = float(point[0]), float(point[1])
        cell = grid_cell(lat, lon)
        found = unit_at_point(lat=lat, lon=lon)  # a point's commune is where it lies, whatever was named
    except (TypeError, ValueError, IndexError, GeoInputError) as error:
        message = getattr(error, "message", "") or _("Tọa độ không hợp lệ / Invalid coordinates")
        raise ValidationError({"point": [message]}) from error
    return Place(lat=lat, lon=lon, unit=found, grid_cell=cell)


def check_transition(incident: Incident, target: str) -> None:
    """R4.3, R4.4: refuse a move the incident's process does not allow, naming from and to."""
    allowed = TRANSITIONS[incident.process].get(incident.state, frozenset())
    if target not in allowed:
        message = _("Không thể chuyển từ “%(current)s” sang “%(target)s” / Transition not allowed: %(a)s → %(b)s") % {
            "current": IncidentState(incident.state).label,
            "target": IncidentState(target).label,
            "a": incident.state,
            "b": target,
        }
        raise ValidationError({"state": [message]})


def lock(incident: Incident) -> Incident:
    """The row, locked for this transaction (PostgreSQL; SQLite's IMMEDIATE transaction already serialises)."""
    return Incident.objects.select_for_update().get(pk=incident.pk)


def sync(target: Incident, source: Incident) -> Incident:
    for field in Incident._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
    return source


# --- Records --------------------------------------------------------------------------------------------------


def event(
    incident: Incident,
    kind: EventKind,
    actor: User | None,
    at: dt.datetime,
    text: str = "",
    *,
    alert: Alert | None = None,
    assignment_id: int | None = None,
) -> IncidentEvent:
    """R4.5: one line of the timeline."""
    return IncidentEvent.objects.create(
        incident=incident, kind=kind, at=at, actor=actor, text=text, alert=alert, assignment_id=assignment_id
    )


def audit(actor: User | None, action: str, obj: Incident | Alert, **changes: Any) -> None:
    entity = "incident" if isinstance(obj, Incident) else "alert"
    audit_record(actor=actor, action=f"{entity}.{action}", obj=obj, changes=changes)


def move(
    incident: Incident,
    target: IncidentState,
    actor: User,
    at: dt.datetime,
    kind: EventKind,
    text: str = "",
    **times: Any,
) -> IncidentEvent:
    """Check, write the state and the times, the timeline line and the audit entry: one transition."""
    check_transition(incident, target)
    previous = incident.state
    incident.state = target
    for name, value in times.items():
        setattr(incident, name, value)
    incident.save(update_fields=["state", *times])
    line = event(incident, kind, actor, at, text)
    changes = {
        "state": [previous, str(target)],
        **{k: v.isoformat() for k, v in times.items() if hasattr(v, "isoformat")},
    }
    audit(actor, str(kind), incident, event=line.pk, **changes)
    return line


# --- Notifications --------------------------------------------------------------------------------------------


def local_text(moment: dt.datetime) -> str:
    return moment.astimezone(LOCAL_TZ).strftime("%H:%M %d/%m/%Y")


def incident_context(incident: Incident, text: str = "") -> dict[str, Any]:
    return {
        "reference": incident.reference,
        "title": incident.title,
        "kind": str(KINDS[incident.kind].label) if incident.kind in KINDS else incident.kind,
        "severity": str(Severity(incident.severity).label),
        "place": incident.unit.name if incident.unit_id and incident.unit else "",
        "raised_at": local_text(incident.raised_at),
        "url": reverse("incidents:incident_detail", args=[incident.pk]),
        "text": text,
    }


def leadership() -> list[User]:
    """R4.5: the operating unit's leadership: the IOC leaders."""
    return assignment_selectors.role_holders(roles=[Role.IOC_LEADER])


def notify_if_severe(incident: Incident, reason: str) -> None:
    """R4.5: every severe incident (4–5) is told to the operating unit's leadership, once per level reached."""
    if not is_severe(incident.severity):
        return
    recipients = leadership()
    if recipients:
        notification_enqueue(
            event="incident.severe",
            recipients=recipients,
            template=SEVERE_TEMPLATE,
            context=incident_context(incident, reason),
            dedup_key=f"incident:{incident.pk}:severe:{incident.severity}",
            urgent=True,
        )
