"""The immediate process (R4.4): fire, accident, robbery, disorder — new → dispatched (police 113, fire and
rescue 114, ambulance 115, local forces: 24/7 agencies) → en route → on scene → cleared → closed, with the
call-to-dispatch and dispatch-to-scene times; the forces' deadline counts minutes, round the clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.accounts.models import User
from ioc.agencies.models import Agency
from ioc.assignments.models import Assignment
from ioc.incidents.choices import KINDS, REINFORCE_STATES, RESPONSE_MINUTES_MAX, EventKind, IncidentState, Process
from ioc.incidents.models import Incident
from ioc.incidents.services._base import (
    audit,
    check_transition,
    clean_text,
    event,
    lock,
    move,
    require_ioc_or_system,
    sync,
)
from ioc.incidents.services.flow import clean_agencies, forward_to, require_party

S = IncidentState


def minutes_between(start: dt.datetime | None, end: dt.datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return round((end - start).total_seconds() / 60, 1)


def _clean_minutes(minutes: int | None, incident: Incident) -> int:
    value = KINDS[incident.kind].response_minutes if minutes is None else minutes
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= RESPONSE_MINUTES_MAX:
        message = _("Thời hạn có mặt phải từ 1 đến %(n)d phút / Response time must be 1–%(n)d minutes") % {
            "n": RESPONSE_MINUTES_MAX
        }
        raise ValidationError({"minutes": [message]})
    return value


def _require_immediate(incident: Incident) -> None:
    if incident.process != Process.IMMEDIATE:
        raise ValidationError({"process": [_("Chỉ áp dụng cho sự cố khẩn cấp / Immediate incidents only")]})


@transaction.atomic
def incident_dispatch(
    *,
    incident: Incident,
    agencies: Sequence[Agency],
    actor: User,
    minutes: int | None = None,
    instructions: str = "",
) -> list[Assignment]:
    """R4.4: dispatch 24/7 forces; each gets an assignment due in `minutes` (default: the kind's response time)
    counted round the clock. More forces may be sent while they are on their way or on scene (R4.6: the system
    account dispatches an operating scenario's forces)."""
    require_ioc_or_system(actor)
    locked = lock(incident)
    _require_immediate(locked)
    reinforcing = locked.state in REINFORCE_STATES
    if not reinforcing:
        check_transition(locked, S.DISPATCHED)
    value = _clean_minutes(minutes, locked)
    instructions = clean_text(instructions, field="instructions", required=False)
    created = forward_to(locked, clean_agencies(agencies, forces_only=True), value / 60, instructions, actor)
    now = timezone.now()
    names = ", ".join(a.agency.name for a in created)
    if reinforcing:
        text = _("Tăng cường: %(names)s (%(n)d phút) / Reinforcement") % {"names": names, "n": value}
        line = event(locked, EventKind.DISPATCHED, actor, now, text, assignment_id=created[0].pk)
        audit(actor, "reinforce", locked, event=line.pk, agencies=[a.agency.code for a in created])
    else:
        call_to_dispatch = minutes_between(locked.raised_at, now)
        text = _("%(names)s, có mặt trong %(n)d phút; từ cuộc gọi đến điều động %(m)s phút") % {
            "names": names,
            "n": value,
            "m": call_to_dispatch,
        }
        line = move(
            locked,
            S.DISPATCHED,
            actor,
            now,
            EventKind.DISPATCHED,
            text,
            dispatched_at=now,
            response_deadline_at=now + dt.timedelta(minutes=value),
        )
        line.assignment_id = created[0].pk
        line.save(update_fields=["assignment"])
    sync(incident, locked)
    return created


def _step(incident: Incident, actor: User, target: IncidentState, kind: EventKind, note: str, field: str) -> Incident:
    locked = lock(incident)
    require_party(locked, actor)
    _require_immediate(locked)
    check_transition(locked, target)
    note = clean_text(note, field="note", required=False)
    now = timezone.now()
    text = note
    if target == S.ON_SCENE:
        minutes = minutes_between(locked.dispatched_at, now)
        text = (_("Từ điều động đến có mặt: %(m)s phút") % {"m": minutes}) + (f" — {note}" if note else "")
    times: dict[str, dt.datetime] = {field: now}
    if target == S.CLEARED:
        times["resolved_at"] = now
    move(locked, target, actor, now, kind, text, **times)
    return sync(incident, locked)


@transaction.atomic
def incident_en_route(*, incident: Incident, actor: User, note: str = "") -> Incident:
    """R4.4: the forces are on their way (a dispatched force, or the IOC relaying their call)."""
    return _step(incident, actor, S.EN_ROUTE, EventKind.EN_ROUTE, note, "en_route_at")


@transaction.atomic
def incident_on_scene(*, incident: Incident, actor: User, note: str = "") -> Incident:
    """R4.4: the forces are on scene; the dispatch-to-scene time goes on the timeline."""
    return _step(incident, actor, S.ON_SCENE, EventKind.ON_SCENE, note, "on_scene_at")


@transaction.atomic
def incident_clear(*, incident: Incident, actor: User, note: str = "") -> Incident:
    """R4.4: the scene is cleared; the IOC then closes the incident with its confirmed result."""
    return _step(incident, actor, S.CLEARED, EventKind.CLEARED, note, "cleared_at")
