"""Reporting's fixtures for other apps' tests and the crawl's world (R8.4): two sittings of the sample act's
six-monthly meeting ("hop-6-thang"), the earlier one with a decision assigned to `agency`, made through the
services; the later one is open, with that decision to follow up; R8.3: a meeting report made outside the IOC."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils import timezone

from ioc.common.periods import period_code, period_parse
from ioc.reporting import services
from ioc.reporting.choices import TemplateKind
from ioc.reporting.models import Meeting, MeetingDecision, OutsideReport

if TYPE_CHECKING:
    from ioc.accounts.models import User
    from ioc.agencies.models import Agency

MEETING_CODE = "hop-6-thang"


def crawl_meetings(*, actor: User, agency: Agency) -> tuple[Meeting, MeetingDecision]:
    """The open meeting of this half-year and the previous half-year's decision it follows up (made once)."""
    today = timezone.localdate()
    current = period_code(today, "half")
    previous = period_code(period_parse(current).start.date() - dt.timedelta(days=1), "half")
    found = Meeting.objects.filter(code=MEETING_CODE, period=current).first()
    if found is not None:
        return found, MeetingDecision.objects.get(meeting__code=MEETING_CODE, meeting__period=previous)
    earlier = services.meeting_schedule(
        actor=actor, code=MEETING_CODE, period=previous, held_on=today - dt.timedelta(days=120), agenda="Kiểm điểm"
    )
    decision = services.meeting_decision_add(
        actor=actor, meeting=earlier, text="Rà soát camera mất kết nối", agency=agency, working_hours=16
    )
    later = services.meeting_schedule(actor=actor, code=MEETING_CODE, period=current, held_on=today, agenda="Kiểm điểm")
    return later, decision


def crawl_outside_report(*, actor: User) -> OutsideReport:
    """R8.3: one meeting report recorded as made outside the IOC this year (made once)."""
    found = OutsideReport.objects.order_by("pk").first()
    if found is not None:
        return found
    return services.outside_report_record(
        actor=actor,
        kind=TemplateKind.BRIEFING,
        title="Báo cáo giao ban do Văn phòng tự tổng hợp",
        issued_on=timezone.localdate(),
        meeting="Giao ban kinh tế - xã hội",
        reason="Số liệu ngành chưa có trên hệ thống",
    )
