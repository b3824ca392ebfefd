"""Review meetings (R8.4): the act's six-monthly and yearly meetings with their agenda, the briefing generated from
a report template, the minutes, and decisions assigned to agencies through `assignments` (process "reporting":
a deadline in working hours, the escalation chain of the process, the officer's one inbox), followed up at the
next meeting. Closing a meeting freezes its minutes and decisions.

Every service checks the actor's rights and the meeting's state, writes, records its audit entry; a refusal is a
ValidationError naming the field (or PermissionDenied) and writes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.assignments.services import assignment_forward
from ioc.audit.services import audit_record
from ioc.common.periods import period_parse
from ioc.common.plaintext import clean_text
from ioc.common.roles import actor_require_role
from ioc.regulation.selectors import review_meetings
from ioc.reporting.catalogue import FOLLOW_UP_TITLE, REVIEW_BRIEFING
from ioc.reporting.choices import (
    CADENCE_EXAMPLE,
    CADENCE_PATTERN,
    DECISION_PROCESS,
    DECISION_TEXT_MAX,
    MINUTES_MAX,
    Cadence,
    MeetingState,
)
from ioc.reporting.models import Meeting, MeetingDecision, ReportTemplate
from ioc.reporting.permissions import MEETING_ROLES
from ioc.reporting.services.reports import report_edit, report_generate

if TYPE_CHECKING:
    from ioc.accounts.models import User
    from ioc.agencies.models import Agency

AGENDA_MAX = 5000
NOTE_MAX = 2000


def _require_secretary(actor: User) -> None:
    actor_require_role(
        actor, MEETING_ROLES, _("Chỉ cán bộ, lãnh đạo IOC chuẩn bị cuộc họp / Only IOC staff prepare meetings")
    )


def _check_period(frequency: str, period: str) -> None:
    try:
        period_parse(period)
    except ValidationError as exc:
        raise ValidationError({"period": exc.messages}) from exc
    pattern = CADENCE_PATTERN.get(frequency)
    if pattern is not None and not pattern.fullmatch(period):
        message = _("Kỳ %(period)s không khớp kỳ họp của quy chế (ví dụ %(example)s).")
        raise ValidationError(
            {"period": [message % {"period": period, "example": CADENCE_EXAMPLE[Cadence(frequency)]}]}
        )


@transaction.atomic
def meeting_schedule(
    *, actor: User, code: str, period: str, held_on: dt.date, agenda: str = "", chair: str = ""
) -> Meeting:
    """R8.4: a sitting of the act's review meeting `code` for `period` (a DHIS2 id matching its frequency: `2025S1`
    six-monthly, `2025` yearly), on `held_on`, chaired by the act's organiser unless `chair` is given."""
    _require_secretary(actor)
    entry = review_meetings().filter(code=code).first()
    if entry is None:
        raise ValidationError({"code": [_("Quy chế không có cuộc họp mã “%(code)s”.") % {"code": code[:60]}]})
    period = (period or "").strip().upper()
    _check_period(entry.frequency, period)
    agenda = clean_text(agenda, field="agenda", required=False, max_length=AGENDA_MAX)
    chair = clean_text(chair, field="chair", required=False, max_length=200) or entry.organiser
    if Meeting.objects.filter(code=code, period=period).exists():
        raise ValidationError({"period": [_("Cuộc họp này đã có cho kỳ %(period)s.") % {"period": period}]})
    meeting = Meeting.objects.create(
        code=entry.code,
        name=entry.name,
        frequency=entry.frequency,
        organiser=chair,
        source=entry.source,
        period=period,
        held_on=held_on,
        agenda=agenda,
        created_by=actor,
    )
    changes = {"code": code, "period": period, "held_on": held_on.isoformat()}
    audit_record(actor=actor, action="meeting.schedule", obj=meeting, changes=changes)
    return meeting


def _locked_open(meeting: Meeting) -> Meeting:
    fresh = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if fresh.state == MeetingState.CLOSED:
        message = _("Cuộc họp đã kết thúc: biên bản và kết luận không sửa được nữa.")
        raise ValidationError({"state": [message]}, code="closed")
    return fresh


@transaction.atomic
def meeting_update(
    *, actor: User, meeting: Meeting, agenda: str, minutes: str, held_on: dt.date | None = None
) -> Meeting:
    """R8.4: the agenda, the minutes and the day of a meeting not yet closed."""
    _require_secretary(actor)
    fresh = _locked_open(meeting)
    fresh.agenda = clean_text(agenda, field="agenda", required=False, max_length=AGENDA_MAX)
    fresh.minutes = clean_text(minutes, field="minutes", required=False, max_length=MINUTES_MAX)
    if held_on is not None:
        fresh.held_on = held_on
    fresh.save(update_fields=["agenda", "minutes", "held_on", "updated_at"])
    changes = {"held_on": fresh.held_on.isoformat(), "minutes_chars": len(fresh.minutes)}
    audit_record(actor=actor, action="meeting.update", obj=fresh, changes=changes)
    return fresh


@transaction.atomic
def meeting_close(*, actor: User, meeting: Meeting, now: dt.datetime | None = None) -> Meeting:
    """R8.4: close a meeting once its minutes are written: minutes and decisions are frozen from then on."""
    _require_secretary(actor)
    fresh = _locked_open(meeting)
    if not fresh.minutes.strip():
        raise ValidationError({"minutes": [_("Cần biên bản trước khi kết thúc cuộc họp.")]})
    fresh.state, fresh.closed_at, fresh.closed_by = MeetingState.CLOSED, now or timezone.now(), actor
    fresh.save(update_fields=["state", "closed_at", "closed_by", "updated_at"])
    decisions = fresh.decisions.count()
    audit_record(actor=actor, action="meeting.close", obj=fresh, changes={"decisions": decisions})
    return fresh


def _working_hours(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 2000:
        raise ValidationError({"working_hours": [_("Thời hạn từ 0 đến 2000 giờ làm việc.")]})
    return float(value)


@transaction.atomic
def meeting_decision_add(
    *, actor: User, meeting: Meeting, text: str, agency: Agency | None, working_hours: float
) -> MeetingDecision:
    """R8.4: a decision of the meeting assigned to `agency` with a deadline in its working hours, through
    `assignment_forward(process="reporting")`: the agency's officers find it in their inbox, the process's
    escalation chain reminds and escalates it as it runs late."""
    _require_secretary(actor)
    fresh = _locked_open(meeting)
    text = clean_text(text, field="text", required=True, max_length=DECISION_TEXT_MAX)
    if agency is None or not agency.is_active:
        raise ValidationError({"agency": [_("Chọn cơ quan thực hiện đang hoạt động.")]})
    hours = _working_hours(working_hours)
    position = (fresh.decisions.aggregate(n=Max("position"))["n"] or 0) + 1
    decision = MeetingDecision.objects.create(
        meeting=fresh, position=position, text=text, agency=agency, working_hours=hours, created_by=actor
    )
    decision.assignment = assignment_forward(
        process=DECISION_PROCESS,
        subject_id=f"decision:{decision.pk}",
        subject_label=f"{fresh.name} {fresh.period}: {text}"[:200],
        category_code=fresh.code,
        agency=agency,
        working_hours=hours,
        instructions=text,
        actor=actor,
    )
    decision.save(update_fields=["assignment"])
    changes = {"position": position, "agency": agency.code, "working_hours": hours}
    audit_record(actor=actor, action="meeting_decision.add", obj=decision, changes=changes)
    return decision


@transaction.atomic
def meeting_decision_follow_up(
    *, actor: User, decision: MeetingDecision, meeting: Meeting, note: str
) -> MeetingDecision:
    """R8.4: a later meeting (not closed) reviews an earlier meeting's decision: how far it went, in a note."""
    _require_secretary(actor)
    fresh = _locked_open(meeting)
    note = clean_text(note, field="note", required=True, max_length=NOTE_MAX)
    row = MeetingDecision.objects.select_for_update().select_related("meeting").get(pk=decision.pk)
    if row.meeting_id == fresh.pk or row.meeting.held_on > fresh.held_on:
        raise ValidationError({"decision": [_("Chỉ kiểm điểm kết luận của cuộc họp trước.")]})
    row.followed_up_in, row.follow_up, row.followed_up_at = fresh, note, timezone.now()
    row.save(update_fields=["followed_up_in", "follow_up", "followed_up_at"])
    audit_record(actor=actor, action="meeting_decision.follow_up", obj=row, changes={"meeting": fresh.pk})
    return row


def _follow_up_text(meeting: Meeting) -> str:
    from ioc.reporting.selectors import decisions_to_follow_up

    lines = []
    for d in decisions_to_follow_up(meeting=meeting):
        status = d.assignment.get_status_display() if d.assignment else ""
        text = d.text.replace("{", "(").replace("}", ")")
        lines.append(
            f"- {d.meeting.name} {d.meeting.period}, kết luận {d.position} ({d.agency.name}): {text} – {status}"
        )
    return "\n".join(lines) or "Không có kết luận nào của các cuộc họp trước cần kiểm điểm."


def meeting_briefing_generate(*, actor: User, meeting: Meeting, now: dt.datetime | None = None) -> Meeting:
    """R8.4, R8.3: the meeting's briefing, a draft report from the review-meeting template for the meeting's
    period (its figures from the domain apps' selectors), with the earlier meetings' decisions and how far they
    went written in; edited and issued like any report."""
    _require_secretary(actor)
    if meeting.briefing_id is not None:
        raise ValidationError({"briefing": [_("Cuộc họp đã có báo cáo phục vụ họp; cập nhật số liệu trên báo cáo.")]})
    if meeting.state == MeetingState.CLOSED:
        raise ValidationError({"state": [_("Cuộc họp đã kết thúc.")]})
    template = ReportTemplate.objects.get(code=REVIEW_BRIEFING)
    with transaction.atomic():
        report = report_generate(actor=actor, template=template, period=meeting.period, now=now)
        block = next(
            (b["id"] for s in report.content if s["title"] == FOLLOW_UP_TITLE for b in s["blocks"] if "text" in b),
            None,
        )
        if block is not None:
            report = report_edit(actor=actor, report=report, texts={block: _follow_up_text(meeting)}, now=now)
        fresh = _locked_open(meeting)
        if fresh.briefing_id is not None:
            raise ValidationError({"briefing": [_("Cuộc họp đã có báo cáo phục vụ họp.")]})
        fresh.briefing = report
        fresh.save(update_fields=["briefing", "updated_at"])
        audit_record(actor=actor, action="meeting.briefing", obj=fresh, changes={"report": report.pk})
    return fresh
