"""The reports' demo generator (R8, issue 17): a year of issued monthly and quarterly operations reports, this
month's report as a draft due this month, and last month's as an overdue draft, with their calendar obligations
(R8.2: monthly before the 25th), and a past review meeting with its decisions, one overdue
(R8.4, `demo_meetings`). R8.3: the past year's meeting reports — each month's socio-economic briefing and two
thematic briefings produced from the IOC's data, three early ones recorded as made outside the IOC — so the share
page (/bao-cao/ty-le/) shows a real share. Figures come from the domain apps' selectors over whatever the earlier
generators loaded; reports are generated and issued through the services as the system account (each issue is
one audit entry, a few dozen in all). Works for any profile (the territory is read from the database); run twice,
it adds nothing. Listed in `ioc/demo/registry.py`.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from ioc.accounts.selectors import system_account
from ioc.common.periods import LOCAL_TZ, period_code, period_parse
from ioc.reporting import services
from ioc.reporting.choices import ReportState, TemplateKind
from ioc.reporting.demo_meetings import generate_meetings
from ioc.reporting.models import OutsideReport, Report, ReportObligation, ReportTemplate

History = tuple[ReportTemplate, str, dt.datetime]

HISTORY_MONTHS = 12
HISTORY_QUARTERS = 4
ISSUE_DAY = 20  # issued on the 20th of the period's last month, before the 25th
BRIEFING_MONTHS = 11  # the socio-economic briefings of the past year, from last month back
BRIEFING_DAY = 26
THEMATIC_DAY = 12
THEMATIC_MONTHS_BACK = (3, 8)
# R8.3: meeting reports still made outside the IOC early in the year (months back, kind, title, meeting, reason).
OUTSIDE = (
    (
        11,
        TemplateKind.BRIEFING,
        "Báo cáo tình hình kinh tế - xã hội phục vụ họp giao ban (bản do Sở Kế hoạch và Đầu tư tổng hợp)",
        "Họp giao ban kinh tế - xã hội của UBND tỉnh",
        "Số liệu do Sở tổng hợp từ báo cáo giấy của các đơn vị, chưa kết nối với kho dữ liệu của Trung tâm.",
    ),
    (
        10,
        TemplateKind.AD_HOC,
        "Báo cáo nhanh tình hình mưa lớn, ngập úng (bản do Sở Nông nghiệp và Môi trường lập)",
        "Họp đột xuất ứng phó mưa lớn",
        "Lập gấp bằng số liệu điện báo của các xã; dữ liệu quan trắc mực nước chưa đưa lên hệ thống.",
    ),
    (
        7,
        TemplateKind.THEMATIC,
        "Báo cáo chuyên đề chuyển đổi số cấp xã (bản do Sở Khoa học và Công nghệ lập)",
        "Họp chuyên đề chuyển đổi số",
        "Bộ chỉ số chuyển đổi số cấp xã chưa được phê duyệt trên hệ thống IOC.",
    ),
)
CALENDAR_CODE = "r8-2-thang"
CALENDAR_NAME = "Báo cáo tháng tình hình hoạt động Trung tâm (R8.2)"


def _months_back(today: dt.date, n: int) -> str:
    first = today.replace(day=1)
    for _ in range(n):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return period_code(first, "month")


def _quarters_back(today: dt.date, n: int) -> str:
    start = period_parse(period_code(today, "quarter")).start.date()
    for _ in range(n):
        start = period_parse(period_code(start - dt.timedelta(days=1), "quarter")).start.date()
    return period_code(start, "quarter")


def _issue_moment(period: str) -> dt.datetime:
    last = (period_parse(period).end - dt.timedelta(days=1)).date()
    return dt.datetime.combine(last.replace(day=ISSUE_DAY), dt.time(9, 0), tzinfo=LOCAL_TZ)


def _briefing_moment(period: str) -> dt.datetime:
    """The monthly socio-economic briefing meeting's report, issued on the 26th (the meeting ends the month)."""
    start = period_parse(period).start.date()
    return dt.datetime.combine(start.replace(day=BRIEFING_DAY), dt.time(8, 0), tzinfo=LOCAL_TZ)


def _thematic_moment(period: str) -> dt.datetime:
    start = period_parse(period).start.date()
    return dt.datetime.combine(start.replace(day=THEMATIC_DAY), dt.time(14, 0), tzinfo=LOCAL_TZ)


def _issued(template: ReportTemplate, period: str, moment: dt.datetime, actor: Any, signer: str) -> int:
    if Report.objects.filter(template=template, period=period, scope_kind="territory").exists():
        return 0
    report = services.report_generate(actor=actor, template=template, period=period, now=moment)
    report = services.report_edit(actor=actor, report=report, signer_title="Giám đốc", signer_name=signer, now=moment)
    services.report_issue(actor=actor, report=report, now=moment)
    return 1


def _meeting_reports(templates: dict[str, ReportTemplate], today: dt.date) -> list[History]:
    """R8.3: the past year's meeting reports made in the IOC: each month's socio-economic briefing (from the month
    before last: the current month's meeting is still ahead) and the thematic briefings."""
    briefing, thematic = templates["socio-economic-briefing"], templates["thematic-briefing"]
    rows = [(briefing, p, _briefing_moment(p)) for p in (_months_back(today, n) for n in range(1, 1 + BRIEFING_MONTHS))]
    rows += [(thematic, p, _thematic_moment(p)) for p in (_months_back(today, n) for n in THEMATIC_MONTHS_BACK)]
    return rows


def _outside_reports(actor: Any, today: dt.date) -> int:
    """R8.3: the meeting reports of the year's first months still made outside the IOC (a department compiled them
    from its own figures), recorded so that /bao-cao/ty-le/ shows a real share; once each."""
    added = 0
    for months_back, kind, title, meeting, reason in OUTSIDE:
        start = period_parse(_months_back(today, months_back)).start.date()
        issued_on = start.replace(day=BRIEFING_DAY - 1)
        if OutsideReport.objects.filter(title=title, issued_on=issued_on).exists():
            continue
        services.outside_report_record(
            actor=actor, kind=kind, title=title, issued_on=issued_on, meeting=meeting, reason=reason
        )
        added += 1
    return added


def _draft(period: str, actor: Any, until: dt.datetime) -> int:
    template = ReportTemplate.objects.get(code="operations-monthly")
    obligation, _ = services.report_obligation_ensure(
        calendar_code=CALENDAR_CODE,
        frequency="monthly",
        period=period,
        name=CALENDAR_NAME,
        due_day=25,
        due_rule="Trước ngày 25 hằng tháng",
        recipient="Ủy ban nhân dân tỉnh",
        source="R8.2",
    )
    if obligation.report_id is not None:
        return 0
    report = Report.objects.filter(template=template, period=period, state=ReportState.DRAFT).first()
    report = report or services.report_generate(actor=actor, template=template, period=period, now=until)
    ReportObligation.objects.filter(pk=obligation.pk).update(state="drafted", report=report)
    return 1


def generate(*, profile: str, rng: random.Random, until: dt.datetime) -> dict[str, int]:
    """A year of issued reports, this month's draft (due this month) and last month's (overdue)."""
    actor = system_account()
    today = until.astimezone(LOCAL_TZ).date()
    signer = rng.choice(("Nguyễn Văn An", "Trần Thị Bình", "Lê Minh Châu"))
    templates = {t.code: t for t in ReportTemplate.objects.all()}
    history = [
        (templates["operations-monthly"], p, _issue_moment(p))
        for p in (_months_back(today, n) for n in range(2, 2 + HISTORY_MONTHS))
    ]
    history += [
        (templates["operations-quarterly"], p, _issue_moment(p))
        for p in (_quarters_back(today, n) for n in range(1, 1 + HISTORY_QUARTERS))
    ]
    history += _meeting_reports(templates, today)
    history.sort(key=lambda item: (item[2], item[1]))  # numbers follow the dates
    issued = sum(_issued(template, period, moment, actor, signer) for template, period, moment in history)
    outside = _outside_reports(actor, today)
    drafts = _draft(_months_back(today, 1), actor, until) + _draft(_months_back(today, 0), actor, until)
    synced = services.report_calendar_sync(actor=actor, now=until)
    meetings = generate_meetings(actor=actor, until=until)
    return {"issued": issued, "outside": outside, "drafts": drafts, "obligations": synced + drafts, **meetings}
