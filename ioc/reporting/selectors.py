"""Every read of reports (R8.1–R8.3, archive), with the user's rights applied.

Territory roles (and the administrator) see every report; an agency's officers and head see the reports of their
agency (or a child) and the ones they wrote. The archive search is diacritics-insensitive (`common.text.fold`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from ioc.accounts.selectors import user_scope
from ioc.agencies.models import Agency
from ioc.assignments.choices import OPEN_STATUSES
from ioc.common.periods import LOCAL_TZ, period_parse
from ioc.common.report_sections import ReportScope
from ioc.common.roles import IOC_STAFF_ROLES, actor_has_role
from ioc.common.text import fold
from ioc.common.workitems import AT_RISK, OVERDUE, WorkItem
from ioc.geo.models import AdminUnit
from ioc.geo.selectors import territory_get
from ioc.regulation.selectors import act_current
from ioc.reporting.choices import DECISION_PROCESS, MEETING_KINDS, ReportState, WorkState
from ioc.reporting.models import (
    Meeting,
    MeetingDecision,
    OutsideReport,
    Report,
    ReportObligation,
    ReportTemplate,
)
from ioc.reporting.permissions import MEETING_READER_ROLES, READER_ROLES

CENTER_NAME = "TRUNG TÂM GIÁM SÁT, ĐIỀU HÀNH THÔNG MINH"


def _visible(user: Any) -> Q:
    if not actor_has_role(user, READER_ROLES):
        return Q(pk__in=[])
    scope = user_scope(user=user)
    if scope.everything:
        return Q()
    return Q(scope_agency_id__in=scope.agency_ids) | Q(created_by=user)


def report_list_for(*, user: Any, q: str = "", state: str = "", template: str = "") -> QuerySet[Report]:
    """R8 archive: the reports the user may read, newest first; `q` searches title, number and period without
    diacritics ("bao cao thang" finds "Báo cáo … tháng")."""
    qs = Report.objects.filter(_visible(user)).select_related("template", "scope_agency", "scope_unit")
    if state:
        qs = qs.filter(state=state)
    if template:
        qs = qs.filter(template__code=template)
    for word in fold(q).split():
        qs = qs.filter(search_text__contains=word)
    return qs.defer("document", "workbook", "content", "figures").order_by("-created_at", "-pk")


def report_get_for(*, user: Any, pk: Any) -> Report:
    """One report the user may read, or 404."""
    found = Report.objects.filter(_visible(user), pk=pk).select_related("template", "scope_agency", "scope_unit")
    report = found.first() if str(pk).isdigit() else None
    if report is None:
        raise Http404("Không tìm thấy báo cáo")
    return report


def report_versions(*, report: Report) -> list[Report]:
    """Every version of the report's lineage, oldest first (the one it corrects, and the corrections)."""
    root = report
    while root.corrects_id is not None and root.corrects is not None:
        root = root.corrects
    chain, frontier = [root], [root.pk]
    while frontier:
        nxt = list(Report.objects.filter(corrects_id__in=frontier).defer("document", "workbook").order_by("pk"))
        chain += nxt
        frontier = [r.pk for r in nxt]
    return sorted(chain, key=lambda r: r.version)


def template_list(*, active_only: bool = True) -> QuerySet[ReportTemplate]:
    qs = ReportTemplate.objects.order_by("kind", "code")
    return qs.filter(is_active=True) if active_only else qs


def template_get(*, code: str) -> ReportTemplate | None:
    return ReportTemplate.objects.filter(code=code).first()


def scope_label(scope: ReportScope) -> str:
    """The scope in words: the territory's name, the agency's name, the commune's full name or the area's
    description (issue 17)."""
    if scope.kind == "area":
        return scope.label or "vùng chọn trên bản đồ"
    if scope.kind == "agency" and scope.agency_id:
        return Agency.objects.filter(pk=scope.agency_id).values_list("name", flat=True).first() or ""
    if scope.kind == "commune" and scope.unit_id:
        return AdminUnit.objects.filter(pk=scope.unit_id).values_list("full_name", flat=True).first() or ""
    territory = territory_get(profile=settings.IOC_PROFILE)
    return territory.name if territory else ""


@dataclass(frozen=True)
class Letterhead:
    """Decree 30/2020 header: the superior body and the issuing body (left), the place of the date line."""

    superior: str
    body: str
    place: str


def letterhead() -> Letterhead:
    """The deployment's letterhead: the body that issued its act (the province's or district's People's
    Committee) above the center, the territory's name as the place."""
    act = act_current()
    territory = territory_get(profile=settings.IOC_PROFILE)
    place = territory.name if territory else ""
    superior = act.issuing_body if act else (f"UBND {place}" if place else "")
    return Letterhead(superior=superior.upper(), body=CENTER_NAME, place=_short_place(place))


def _short_place(name: str) -> str:
    for prefix in ("Tỉnh ", "tỉnh ", "Thành phố ", "Huyện ", "huyện ", "Thị xã "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def obligation_list(*, user: Any) -> QuerySet[ReportObligation]:
    """R8.2: the calendar's obligations (IOC roles only), earliest due first."""
    if not user_scope(user=user).everything or not actor_has_role(user, READER_ROLES):
        return ReportObligation.objects.none()
    return ReportObligation.objects.select_related("template", "report").order_by("due_on", "calendar_code")


WORK_ITEM_DAYS = 7


def reporting_work_items(*, user: Any, now: dt.datetime | None = None) -> list[WorkItem]:
    """R8.2 (DESIGN "Map hooks"): the calendar's reports not yet issued that are overdue or due within a week,
    for the IOC's operators and leaders."""
    if not actor_has_role(user, IOC_STAFF_ROLES):
        return []
    moment = now or timezone.now()
    today = moment.astimezone(LOCAL_TZ).date()
    rows = ReportObligation.objects.filter(
        state__in=(WorkState.PENDING, WorkState.DRAFTED, WorkState.FAILED),
        due_on__lte=today + dt.timedelta(days=WORK_ITEM_DAYS),
    ).order_by("due_on")[:20]
    return [_obligation_item(row, today) for row in rows] + _decision_items(moment)


def _obligation_item(row: ReportObligation, today: dt.date) -> WorkItem:
    due_at = dt.datetime.combine(row.due_on, dt.time(23, 59), tzinfo=LOCAL_TZ)
    url = reverse("reporting:detail", args=[row.report_id]) if row.report_id else reverse("reporting:calendar")
    return WorkItem(
        source="reporting",
        kind="report_due",
        title=f"{row.name} – {row.period}",
        url=url,
        at=dt.datetime.combine(row.draft_on, dt.time.min, tzinfo=LOCAL_TZ),
        due_at=due_at,
        state=OVERDUE if row.due_on < today else AT_RISK,
        status=row.state,
        code=row.period,
        object_id=row.pk,
    )


def _decision_items(now: dt.datetime) -> list[WorkItem]:
    """R8.4: meeting decisions whose assignment is still open past its deadline."""
    rows = (
        MeetingDecision.objects.filter(
            assignment__process=DECISION_PROCESS,
            assignment__status__in=OPEN_STATUSES,
            assignment__deadline_at__lt=now,
        )
        .select_related("meeting", "agency", "assignment")
        .order_by("assignment__deadline_at")[:20]
    )
    return [
        WorkItem(
            source="reporting",
            kind="decision_overdue",
            title=f"{row.meeting.name} {row.meeting.period} – {row.position}: {row.text}"[:200],
            url=reverse("reporting:meeting", args=[row.meeting_id]),
            at=row.created_at,
            due_at=row.assignment.deadline_at if row.assignment else None,
            state=OVERDUE,
            status=row.assignment.status if row.assignment else "",
            code=row.meeting.period,
            object_id=row.pk,
            agency_id=row.agency_id,
            agency=row.agency.name,
        )
        for row in rows
    ]


# --- review meetings (R8.4) -----------------------------------------------------------------------------------


def can_read_meetings(user: Any) -> bool:
    """R8.4: review meetings are the territory's: IOC staff, the administrator and the province's leaders."""
    return actor_has_role(user, MEETING_READER_ROLES) and user_scope(user=user).everything


def meeting_list(*, user: Any) -> QuerySet[Meeting]:
    """R8.4: the meetings the user may read, latest first, with their briefing."""
    if not can_read_meetings(user):
        return Meeting.objects.none()
    return Meeting.objects.select_related("briefing").order_by("-held_on", "-pk")


def meeting_get_for(*, user: Any, pk: Any) -> Meeting:
    """One meeting the user may read, or 404."""
    found = meeting_list(user=user).filter(pk=pk).first() if str(pk).isdigit() else None
    if found is None:
        raise Http404("Không tìm thấy cuộc họp")
    return found


def meeting_decisions(*, meeting: Meeting) -> QuerySet[MeetingDecision]:
    """R8.4: the meeting's decisions in order, with their agency, assignment and follow-up."""
    return meeting.decisions.select_related("agency", "assignment", "followed_up_in").order_by("position")


def decisions_to_follow_up(*, meeting: Meeting) -> QuerySet[MeetingDecision]:
    """R8.4: decisions of earlier meetings to review at this one: not yet followed up elsewhere (or followed up
    here), oldest first."""
    earlier = MeetingDecision.objects.filter(meeting__held_on__lte=meeting.held_on).exclude(meeting=meeting)
    return (
        earlier.filter(Q(followed_up_in__isnull=True) | Q(followed_up_in=meeting))
        .select_related("meeting", "agency", "assignment")
        .order_by("meeting__held_on", "meeting_id", "position")
    )


@dataclass(frozen=True)
class MeetingShare:
    """R8.3 (002:3.3): the reports made for meetings in a period and how many were produced from the IOC's data.

    `from_ioc`: issued in the IOC with at least one figure from its selectors; `text_only`: issued in the IOC but
    with no figure (typed text only); `outside`: recorded as made outside the IOC. A corrected report counts once
    (its latest issued version). `share` is a percentage, None when the period had no meeting report."""

    period: str
    from_ioc: int
    text_only: int
    outside: int

    @property
    def total(self) -> int:
        return self.from_ioc + self.text_only + self.outside

    @property
    def share(self) -> float | None:
        return round(100 * self.from_ioc / self.total, 1) if self.total else None


def _local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(LOCAL_TZ).date()


def meeting_report_share(*, period: str, start: dt.datetime, end: dt.datetime) -> MeetingShare:
    """R8.3: the share of the period's meeting reports (issued between `start` and `end`, local days) produced from
    the IOC's data. Territory-wide: callers check the reader's role (`can_read_share`)."""
    first, after = _local_day(start), _local_day(end)
    superseded = Report.objects.filter(corrects=OuterRef("pk"), state=ReportState.ISSUED)
    issued = Report.objects.filter(
        state=ReportState.ISSUED, template__kind__in=MEETING_KINDS, issued_on__gte=first, issued_on__lt=after
    ).exclude(Exists(superseded))
    text_only = issued.filter(figures={}).count()
    outside = OutsideReport.objects.filter(withdrawn_at__isnull=True, issued_on__gte=first, issued_on__lt=after)
    return MeetingShare(period, issued.count() - text_only, text_only, outside.count())


def can_read_share(user: Any) -> bool:
    """R8.3: the share and the outside reports are the territory's (the IOC's staff and the province's leaders)."""
    return actor_has_role(user, MEETING_READER_ROLES)


def meeting_share_year(*, year: int) -> list[MeetingShare]:
    """R8.3: the twelve months of a year, then the year itself."""
    rows = [_share_of(f"{year}{month:02d}") for month in range(1, 13)]
    return [*rows, _share_of(str(year))]


def _share_of(code: str) -> MeetingShare:
    period = period_parse(code)
    return meeting_report_share(period=code, start=period.start, end=period.end)


def outside_report_list(*, year: int) -> QuerySet[OutsideReport]:
    """R8.3: the meeting reports recorded as made outside the IOC in a year (withdrawn ones too, marked)."""
    return OutsideReport.objects.filter(issued_on__year=year).select_related("recorded_by")


def outside_report_get(*, pk: Any) -> OutsideReport:
    """One outside report, or 404 (the route admits the IOC's staff only)."""
    found = OutsideReport.objects.filter(pk=pk).first()
    if found is None:
        raise Http404("Không có mục này")
    return found
