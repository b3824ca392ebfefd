"""The review meetings of the demo (R8.4), called by `ioc.reporting.demo.generate`: the act's first six-monthly or
yearly meeting held ten days ago for the period just ended (briefing generated from the IOC's data, minutes, three
decisions assigned to the first agencies, one of them overdue), closed; and its next sitting scheduled, with those
decisions to follow up. Through the services as the system account; the decisions' assignments are then moved to
the meeting's day (deadlines recomputed in each agency's calendar), as the citizen reports' demo moves its recent
work. Works for any profile (the act and the agencies are read from the database); run twice, it adds nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ioc.accounts.selectors import agency_list
from ioc.assignments import selectors as assignment_selectors
from ioc.assignments import services as assignment_services
from ioc.assignments.choices import AT_RISK_SHARE
from ioc.assignments.models import Assignment, AssignmentUpdate
from ioc.common.periods import LOCAL_TZ, period_code, period_parse
from ioc.regulation.selectors import review_meetings
from ioc.reporting import services
from ioc.reporting.choices import DECISION_PROCESS
from ioc.reporting.models import Meeting
from ioc.worktime.selectors import calendar_for, deadline_add

HELD_DAYS_AGO = 10
# Working hours of the three decisions: the first runs late (ten days ago is about 64 working hours, 240 for an
# agency working 24/7); the others are far from due.
DECISIONS = (
    ("Rà soát, khắc phục các camera giám sát giao thông mất kết nối; báo cáo kết quả.", 16),
    ("Hoàn thành kết nối dữ liệu phản ánh hiện trường với hệ thống của đơn vị.", 400),
    ("Cập nhật bộ chỉ số giám sát kinh tế - xã hội của lĩnh vực phụ trách.", 600),
)
MINUTES = (
    "Cuộc họp nghe Trung tâm báo cáo kết quả vận hành trong kỳ; các đơn vị báo cáo tình hình xử lý phản ánh, "
    "sự cố và kết nối dữ liệu. Chủ trì kết luận, giao nhiệm vụ cho các đơn vị như phần kết luận."
)


def _periods(frequency: str, today: dt.date) -> tuple[str, str]:
    """The period just ended and the current one, for the meeting's frequency (six-monthly by default)."""
    kind = "year" if frequency == "yearly" else "half"
    current = period_code(today, kind)
    previous = period_code(period_parse(current).start.date() - dt.timedelta(days=1), kind)
    return previous, current


def _chain(actor: Any) -> None:
    if not assignment_selectors.escalation_chain_for(process=DECISION_PROCESS, category_code=""):
        assignment_services.escalation_chain_set(
            actor=actor,
            process=DECISION_PROCESS,
            category_code="",
            name="Kết luận họp kiểm điểm",
            steps=[
                assignment_services.StepSpec(0.8, "agency_officer"),
                assignment_services.StepSpec(1.0, "agency_head"),
                assignment_services.StepSpec(1.5, "ioc_leader", True),
            ],
        )


def _retime(assignment: Assignment, start: dt.datetime) -> None:
    """The decision's work as forwarded at the meeting: its clock, deadline and next escalation recomputed."""
    calendar = calendar_for(agency=assignment.agency)
    hours = assignment.working_hours
    changes: dict[str, Any] = {
        "forwarded_at": start,
        "started_at": start,
        "deadline_at": deadline_add(start=start, working_hours=hours, calendar=calendar),
        "at_risk_at": deadline_add(start=start, working_hours=hours * AT_RISK_SHARE, calendar=calendar),
    }
    if assignment.escalation_chain_id:
        steps = assignment_selectors.escalation_steps(chain_id=assignment.escalation_chain_id)
        if steps:
            share = steps[0].at_share
            changes["next_escalation_at"] = deadline_add(start=start, working_hours=hours * share, calendar=calendar)
    Assignment.objects.filter(pk=assignment.pk).update(**changes)
    AssignmentUpdate.objects.filter(assignment=assignment).update(at=start)


def generate_meetings(*, actor: Any, until: dt.datetime) -> dict[str, int]:
    """A past meeting with its decisions (one overdue), closed, and the next one scheduled."""
    entries = list(review_meetings())
    entry = next((e for e in entries if e.frequency in ("half_yearly", "yearly")), entries[0] if entries else None)
    if entry is None:
        return {"meetings": 0, "decisions": 0}
    today = until.astimezone(LOCAL_TZ).date()
    previous, current = _periods(entry.frequency, today)
    if Meeting.objects.filter(code=entry.code, period=previous).exists():
        return {"meetings": 0, "decisions": 0}
    _chain(actor)
    held_on = today - dt.timedelta(days=HELD_DAYS_AGO)
    agenda = "1. Báo cáo kết quả vận hành Trung tâm trong kỳ.\n2. Các đơn vị báo cáo.\n3. Kết luận của chủ trì."
    meeting = services.meeting_schedule(actor=actor, code=entry.code, period=previous, held_on=held_on, agenda=agenda)
    meeting = services.meeting_briefing_generate(actor=actor, meeting=meeting, now=until)
    meeting = services.meeting_update(actor=actor, meeting=meeting, agenda=meeting.agenda, minutes=MINUTES)
    start = dt.datetime.combine(held_on, dt.time(9, 0), tzinfo=LOCAL_TZ)
    agencies = list(agency_list()[: len(DECISIONS)])
    decided = 0
    for (text, hours), agency in zip(DECISIONS, agencies, strict=False):
        decision = services.meeting_decision_add(
            actor=actor, meeting=meeting, text=text, agency=agency, working_hours=hours
        )
        if decision.assignment is not None:
            _retime(decision.assignment, start)
        decided += 1
    services.meeting_close(actor=actor, meeting=meeting, now=start + dt.timedelta(hours=3))
    next_day = today + dt.timedelta(days=20)
    if current != previous and not Meeting.objects.filter(code=entry.code, period=current).exists():
        services.meeting_schedule(actor=actor, code=entry.code, period=current, held_on=next_day, agenda=agenda)
    return {"meetings": 2, "decisions": decided}
