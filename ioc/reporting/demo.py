"""The reports' demo generator (R8, issue 17): a year of issued monthly and quarterly operations reports, this
month's report as a draft due this month, and last month's as an overdue draft, with their calendar obligations
(R8.2: monthly before the 25th), and a past review meeting with its decisions, one overdue
(R8.4, `demo_meetings`). Figures come from the domain apps' selectors over whatever the earlier
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
from ioc.reporting.choices import ReportState
from ioc.reporting.demo_meetings import generate_meetings
from ioc.reporting.models import Report, ReportObligation, ReportTemplate

HISTORY_MONTHS = 12
HISTORY_QUARTERS = 4
ISSUE_DAY = 20  # issued on the 20th of the period's last month, before the 25th
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


def _issued(template: ReportTemplate, period: str, actor: Any, signer: str) -> int:
    if Report.objects.filter(template=template, period=period, scope_kind="territory").exists():
        return 0
    moment = _issue_moment(period)
    report = services.report_generate(actor=actor, template=template, period=period, now=moment)
    report = services.report_edit(actor=actor, report=report, signer_title="Giám đốc", signer_name=signer, now=moment)
    services.report_issue(actor=actor, report=report, now=moment)
    return 1


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
    monthly = ReportTemplate.objects.get(code="operations-monthly")
    quarterly = ReportTemplate.objects.get(code="operations-quarterly")
    history = [(monthly, _months_back(today, n)) for n in range(2, 2 + HISTORY_MONTHS)]
    history += [(quarterly, _quarters_back(today, n)) for n in range(1, 1 + HISTORY_QUARTERS)]
    history.sort(key=lambda item: (_issue_moment(item[1]), item[1]))  # numbers follow the dates
    issued = sum(_issued(template, period, actor, signer) for template, period in history)
    drafts = _draft(_months_back(today, 1), actor, until) + _draft(_months_back(today, 0), actor, until)
    synced = services.report_calendar_sync(actor=actor, now=until)
    meetings = generate_meetings(actor=actor, until=until)
    return {"issued": issued, "drafts": drafts, "obligations": synced + drafts, **meetings}
