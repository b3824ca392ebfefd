"""The time-bound process (R4.3, R4.5) and what both processes share: the leader's approval, forwarding to
agencies through `ioc.assignments` (each agency its own deadline in its working time), the IOC's confirmation,
closing and cancelling, notes and photos on the timeline, and following each agency's assignment."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.accounts.choices import IOC_STAFF_ROLES
from ioc.accounts.models import User
from ioc.accounts.selectors import system_account
from ioc.agencies.models import Agency
from ioc.assignments import selectors as assignment_selectors
from ioc.assignments import services as assignment_services
from ioc.assignments.choices import OPEN_STATUSES, AssignmentStatus, UpdateKind
from ioc.assignments.models import Assignment
from ioc.common.bulk import insert_returning
from ioc.common.images import CleanImage
from ioc.common.roles import actor_has_role
from ioc.incidents.choices import (
    INCIDENT_FINAL_STATES,
    KINDS,
    PROCESS,
    EventKind,
    IncidentState,
    Process,
)
from ioc.incidents.models import Incident, IncidentEvent
from ioc.incidents.services._base import (
    audit,
    check_transition,
    clean_text,
    event,
    lock,
    move,
    require_ioc,
    require_ioc_or_system,
    require_leader,
    sync,
)

S = IncidentState


def incident_assignments(incident: Incident) -> list[Assignment]:
    """Every agency's part of the incident (no scope: for the incident's own services)."""
    qs = Assignment.objects.select_related("agency").filter(process=PROCESS, subject_id=str(incident.pk))
    return list(qs.order_by("forwarded_at", "pk"))


def require_party(incident: Incident, actor: User) -> User:
    """R4.3: the IOC, or an officer or head of an agency holding a part of this incident; anyone else is refused."""
    if actor_has_role(actor, IOC_STAFF_ROLES):
        return actor
    if any(assignment_selectors.user_can_act(user=actor, assignment=a) for a in incident_assignments(incident)):
        return actor
    raise PermissionDenied(
        _("Cơ quan của bạn không được giao xử lý sự cố này / Your agency holds no part of this incident")
    )


def clean_agencies(agencies: Sequence[Agency], *, forces_only: bool) -> list[Agency]:
    """At least one active agency, no repeats; the immediate process dispatches only 24/7 forces (R4.4)."""
    found = list(dict.fromkeys(agencies))
    if not found:
        raise ValidationError({"agencies": [_("Chọn ít nhất một cơ quan / Choose at least one agency")]})
    if forces_only:
        slow = [a.name for a in found if not a.works_24x7]
        if slow:
            message = _("Chỉ điều động lực lượng trực 24/7; không phải: %(names)s / Only 24/7 forces") % {
                "names": ", ".join(slow)
            }
            raise ValidationError({"agencies": [message]})
    return found


def forward_to(
    incident: Incident,
    agencies: Sequence[Agency],
    hours: float,
    instructions: str,
    actor: User,
    accept_hours: float | None = None,
) -> list[Assignment]:
    """One assignment per agency (`assignment_forward`, process "incidents"), each with its own deadline and
    accept deadline (R4.3: `accept_hours` when the operator set it, which `assignment_forward` checks is above
    zero and within the deadline; else the kind's accept hours, no later than the deadline)."""
    label = f"{incident.reference} {incident.title}"[:200]
    if accept_hours is not None:
        accept_within: float | None = accept_hours
    else:
        accept_within = min(KINDS[incident.kind].accept_hours, hours) if isinstance(hours, int | float) else None
    return [
        assignment_services.assignment_forward(
            process=PROCESS,
            subject_id=str(incident.pk),
            subject_label=label,
            category_code=incident.kind,
            agency=agency,
            unit=incident.unit,
            working_hours=hours,
            instructions=instructions,
            accept_within=accept_within,
            actor=actor,
        )
        for agency in agencies
    ]


@transaction.atomic
def incident_approve(*, incident: Incident, actor: User, note: str = "") -> Incident:
    """R4.2: the IOC leader approves an incident whose kind requires it; then it can be forwarded or dispatched."""
    require_leader(actor)
    locked = lock(incident)
    note = clean_text(note, field="note", required=False)
    target = S.NEW if locked.process == Process.IMMEDIATE else S.VERIFIED
    now = timezone.now()
    move(locked, target, actor, now, EventKind.APPROVED, note, approved_at=now, approved_by=actor)
    return sync(incident, locked)


@transaction.atomic
def incident_forward(
    *,
    incident: Incident,
    agencies: Sequence[Agency],
    actor: User,
    working_hours: float | None = None,
    instructions: str = "",
    accept_within: float | None = None,
) -> list[Assignment]:
    """R4.3: forward a verified (time-bound) incident to one or more agencies, each with its own deadline in its
    working time (default: the kind's handling hours) and its accept deadline (`accept_within` working hours;
    default: the kind's accept hours); more agencies may be added while it is forwarded (R4.6: the system account
    forwards an operating scenario's steps)."""
    require_ioc_or_system(actor)
    locked = lock(incident)
    if locked.process != Process.TIME_BOUND:
        raise ValidationError({"process": [_("Sự cố khẩn cấp được điều động lực lượng / Dispatch forces instead")]})
    check_transition(locked, S.FORWARDED)
    instructions = clean_text(instructions, field="instructions", required=False)
    hours = KINDS[locked.kind].handling_hours if working_hours is None else working_hours
    chosen = clean_agencies(agencies, forces_only=False)
    created = forward_to(locked, chosen, hours, instructions, actor, accept_hours=accept_within)
    now = timezone.now()
    text = "; ".join(f"{a.agency.name} ({_('hạn')} {a.deadline_at:%Y-%m-%d %H:%M} UTC)" for a in created)
    line = move(locked, S.FORWARDED, actor, now, EventKind.FORWARDED, text, forwarded_at=locked.forwarded_at or now)
    line.assignment_id = created[0].pk
    line.save(update_fields=["assignment"])
    sync(incident, locked)
    return created


@transaction.atomic
def incident_confirm(*, incident: Incident, actor: User, note: str = "") -> Incident:
    """R4.3, R4.5: the IOC checked the agencies' results and confirms them (each resolved assignment too)."""
    require_ioc(actor)
    locked = lock(incident)
    check_transition(locked, S.CONFIRMED)
    note = clean_text(note, field="note", required=False)
    for assignment in incident_assignments(locked):
        if assignment.status == AssignmentStatus.RESOLVED:
            assignment_services.assignment_confirm(assignment=assignment, actor=actor)
    now = timezone.now()
    move(locked, S.CONFIRMED, actor, now, EventKind.CONFIRMED, note, confirmed_at=now)
    return sync(incident, locked)


def _settle_assignments(incident: Incident, actor: User, reason: str) -> None:
    """Closing or cancelling: resolved parts are confirmed, parts still open are withdrawn with the reason."""
    for assignment in incident_assignments(incident):
        if assignment.status == AssignmentStatus.RESOLVED:
            assignment_services.assignment_confirm(assignment=assignment, actor=actor)
        elif assignment.status in OPEN_STATUSES:
            assignment_services.assignment_cancel(assignment=assignment, actor=actor, reason=reason)


@transaction.atomic
def incident_close(*, incident: Incident, actor: User, result: str) -> Incident:
    """R4.3–R4.5: close with the confirmed result: a time-bound incident once the IOC confirmed it, an immediate
    one once the scene is cleared (its forces' parts are settled)."""
    require_ioc(actor)
    locked = lock(incident)
    check_transition(locked, S.CLOSED)
    result = clean_text(result, field="result", required=True)
    _settle_assignments(locked, actor, _("Sự cố đã kết thúc / The incident is closed"))
    now = timezone.now()
    locked.result = result
    locked.save(update_fields=["result"])
    move(locked, S.CLOSED, actor, now, EventKind.CLOSED, result, closed_at=now)
    return sync(incident, locked)


@transaction.atomic
def incident_cancel(*, incident: Incident, actor: User, reason: str) -> Incident:
    """R4.2: a mistaken or duplicate incident is cancelled with a reason; its agencies' parts are withdrawn."""
    require_ioc(actor)
    locked = lock(incident)
    check_transition(locked, S.CANCELLED)
    reason = clean_text(reason, field="reason", required=True)
    _settle_assignments(locked, actor, reason)
    now = timezone.now()
    locked.cancel_reason = reason
    locked.save(update_fields=["cancel_reason"])
    move(locked, S.CANCELLED, actor, now, EventKind.CANCELLED, reason, closed_at=now)
    return sync(incident, locked)


@transaction.atomic
def incident_note(*, incident: Incident, actor: User, text: str, photo: CleanImage | None = None) -> IncidentEvent:
    """R4.5: a note (and a photo) on the timeline, by the IOC or an agency holding a part of the incident."""
    locked = lock(incident)
    require_party(locked, actor)
    if locked.state in INCIDENT_FINAL_STATES:
        raise ValidationError({"state": [_("Sự cố đã kết thúc / The incident is over")]})
    text = clean_text(text, field="text", required=photo is None)
    if photo is not None and not isinstance(photo, CleanImage):
        raise TypeError("photo must be a CleanImage from ioc.common.images.image_clean()")
    line = event(locked, EventKind.NOTE, actor, timezone.now(), text)
    if photo is not None:
        line.content_type = photo.content_type
        line.file.save(photo.random_name(), ContentFile(photo.content), save=False)
        line.save(update_fields=["file", "content_type"])
    audit(actor, "note", locked, event=line.pk, photo=photo.sha256 if photo else "")
    return line


# --- Following the agencies' work (the SubjectHandler) -------------------------------------------------------


def _parts_settle(incident: Incident, actor: User, now: dt.datetime) -> None:
    """Time-bound: every part resolved → resolved; a part reopened → forwarded; every part returned → verified."""
    statuses = [a.status for a in incident_assignments(incident)]
    still_open = any(s in OPEN_STATUSES for s in statuses)
    resolved = any(s in (AssignmentStatus.RESOLVED, AssignmentStatus.CONFIRMED) for s in statuses)
    if incident.state == S.FORWARDED and not still_open:
        if resolved:
            move(incident, S.RESOLVED, actor, now, EventKind.RESOLVED, resolved_at=now)
        else:
            move(incident, S.VERIFIED, actor, now, EventKind.REOPENED, _("Các cơ quan đã trả lại / Returned"))
    elif incident.state == S.RESOLVED and still_open:
        move(incident, S.FORWARDED, actor, now, EventKind.REOPENED, resolved_at=None)


# The agencies' moves that settle the incident (the others only go on its timeline).
_SETTLING = frozenset({UpdateKind.RESOLVE, UpdateKind.REOPEN, UpdateKind.RETURN})
_UPDATE_KINDS = frozenset(UpdateKind.values)


def _follow_line(assignment: Assignment, kind: str, text: str, labels: dict[str, str] | None = None) -> str:
    """The timeline's line of an agency's move; `labels` caches the kinds' labels across a batch."""
    labels = {} if labels is None else labels
    if kind not in labels:
        labels[kind] = str(UpdateKind(kind).label) if kind in _UPDATE_KINDS else kind
    return (f"{assignment.agency.name}: {labels[kind]}" + (f" — {text}" if text else ""))[:4000]


def incident_follow_assignments(*, transitions: Sequence[assignment_services.Transition]) -> None:
    """R4.3, R4.5: `incident_follow_assignment` for many agency moves at once (the escalation sweep fires hundreds,
    issue 12 "Speed"): when none settles the incident nor forwards, their incidents are locked in one query and
    their timeline lines written in one INSERT, in order; otherwise one by one."""
    if any(str(t.kind) == UpdateKind.FORWARD or t.kind in _SETTLING for t in transitions):
        for t in transitions:
            incident_follow_assignment(assignment=t.assignment, kind=str(t.kind), actor=t.actor, text=t.text)
        return
    ids = {int(t.assignment.subject_id) for t in transitions}
    found = set(Incident.objects.select_for_update().filter(pk__in=ids).values_list("pk", flat=True))
    now, system = timezone.now(), None
    lines: list[IncidentEvent] = []
    labels: dict[str, str] = {}
    for t in transitions:
        incident_id = int(t.assignment.subject_id)
        if incident_id not in found:
            continue
        if t.actor is None and system is None:
            system = system_account()
        who = t.actor or system
        text = _follow_line(t.assignment, str(t.kind), t.text, labels)
        line = IncidentEvent(incident_id=incident_id, kind=EventKind.ASSIGNMENT, at=now, text=text)
        # ids, not instances: the related descriptors' checks cost more than the rest of the line (issue 12)
        line.actor_id, line.assignment_id = (who.pk if who is not None else None), t.assignment.pk
        lines.append(line)
    insert_returning(lines)


def incident_follow_staged(*, staged: assignment_services.StagedTransitions, process: str) -> None:
    """R4.3, R4.5: `incident_follow_assignment` for the staged moves of `process` (the escalation sweep, tens of
    thousands per run, issue 12 "Speed"): for moves that neither forward nor settle the incident (escalations),
    their incidents locked in one statement (PostgreSQL) and their timeline lines written by one INSERT … SELECT,
    in the staged order, with the text `_follow_line` builds; any other kind goes one by one, as before."""
    kind = str(staged.kind)
    if kind == UpdateKind.FORWARD or kind in _SETTLING:
        raise ValueError("incident_follow_staged: only moves that do not settle the incident are staged")
    quote = connection.ops.quote_name
    incidents, events = quote(Incident._meta.db_table), quote(IncidentEvent._meta.db_table)
    postgres = connection.vendor == "postgresql"
    # The staged table holds every process of the batch, some with ids that are not numbers ("decision:5"): the
    # cast sees only this process's rows, whatever order PostgreSQL evaluates the conditions in.
    number = "bigint" if postgres else "INTEGER"
    subject = f"CAST(CASE WHEN s.process = %s THEN s.subject_id END AS {number})"
    label = str(UpdateKind(kind).label) if kind in _UPDATE_KINDS else kind
    line = "SUBSTR(s.agency_name || ': ' || %s || CASE WHEN s.text <> '' THEN ' — ' || s.text ELSE '' END, 1, 4000)"
    at = IncidentEvent._meta.get_field("at").get_db_prep_save(staged.at, connection)
    with connection.cursor() as cursor:
        if postgres:
            cursor.execute(
                f"SELECT i.id FROM {incidents} i WHERE i.id IN (SELECT {subject} FROM {staged.table} s "  # noqa: S608
                "WHERE s.process = %s) ORDER BY i.id FOR UPDATE",
                [process, process],
            )
        cursor.execute(
            f"INSERT INTO {events} (incident_id, kind, at, actor_id, text, alert_id, assignment_id, file, "  # noqa: S608
            f"content_type) SELECT i.id, %s, %s, %s, {line}, NULL, s.assignment_id, '', '' "
            f"FROM {staged.table} s JOIN {incidents} i ON i.id = {subject} WHERE s.process = %s ORDER BY s.seq",
            [EventKind.ASSIGNMENT, at, staged.actor.pk, label, process, process],
        )


def incident_follow_assignment(*, assignment: Assignment, kind: str, actor: User | None, text: str) -> None:
    """R4.3, R4.5: every step of an agency's part goes on the incident's timeline; the time-bound state follows
    the parts. Called by `assignments` inside its transaction (raising refuses the agency's step)."""
    incident = Incident.objects.select_for_update().filter(pk=int(assignment.subject_id)).first()
    if incident is None or kind == UpdateKind.FORWARD:  # forwarding is recorded by incident_forward / dispatch
        return
    who = actor or system_account()
    now = timezone.now()
    event(incident, EventKind.ASSIGNMENT, who, now, _follow_line(assignment, kind, text), assignment_id=assignment.pk)
    # The agencies' moves settle the incident; the IOC's own (confirm, cancel) come from incident_confirm, _close
    # and _cancel, which move the incident themselves.
    settling = kind in _SETTLING
    if settling and incident.process == Process.TIME_BOUND and incident.state not in INCIDENT_FINAL_STATES:
        _parts_settle(incident, who, now)
