"""Issue 17 item 6: the reports' demo — a year of issued monthly and quarterly reports, a draft due this month,
an overdue one in the work items, the year's meeting reports (from the IOC's data, and three made outside it: the
share page shows a real share); run twice it adds nothing."""

from __future__ import annotations

import datetime as dt
import io
import re
import tempfile
from typing import Any

from django.core.management import call_command
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from ioc.accounts.selectors import system_account
from ioc.common.periods import LOCAL_TZ
from ioc.common.testing import settle_deferred_constraints
from ioc.reporting import selectors
from ioc.reporting.models import Meeting, OutsideReport, Report, ReportObligation


def demo_load() -> dict[str, Any]:
    out = io.StringIO()
    args = ("--profile", "hung-yen", "--no-units", "--only", "demo", "--only", "reporting")
    call_command("demo_load", *args, stdout=out)
    line = re.search(r"^demo_load: ioc\.reporting\.demo \(([\d.]+) s\) (.*)$", out.getvalue(), re.M)
    assert line is not None, out.getvalue()
    figures = {key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", line.group(2))}
    return {**figures, "seconds": float(line.group(1))}


class ReportingDemoTest(TestCase):
    result: dict[str, Any]
    var: tempfile.TemporaryDirectory[str]
    override: override_settings

    @classmethod
    def setUpTestData(cls) -> None:
        cls.var = tempfile.TemporaryDirectory()
        cls.override = override_settings(VAR_DIR=cls.var.name, MEDIA_ROOT=cls.var.name + "/media")
        cls.override.enable()
        cls.result = demo_load()
        settle_deferred_constraints()

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        cls.override.disable()
        cls.var.cleanup()

    def test_a_year_of_issued_monthly_and_quarterly_reports(self) -> None:
        issued = Report.objects.filter(state="issued")
        self.assertEqual(issued.filter(template__code="operations-monthly").count(), 12)
        self.assertEqual(issued.filter(template__code="operations-quarterly").count(), 4)
        numbers = list(issued.order_by("issued_on", "pk").values_list("issued_on__year", "number"))
        self.assertTrue(all(number.endswith("/BC-TTGSĐH") for _year, number in numbers))
        self.assertTrue(all(bytes(r.document or b"").startswith(b"PK") for r in issued[:2]))

    def test_a_draft_due_this_month_and_an_overdue_one(self) -> None:
        today = timezone.now().astimezone(LOCAL_TZ).date()
        drafts = ReportObligation.objects.filter(calendar_code="r8-2-thang", state="drafted")
        this_month = drafts.get(period=today.strftime("%Y%m"))
        self.assertEqual((this_month.due_on.year, this_month.due_on.month)[:1], (today.year,)[:1])
        overdue = [item for item in selectors.reporting_work_items(user=_leader()) if item.state == "overdue"]
        self.assertIn(drafts.exclude(pk=this_month.pk).get().period, [item.code for item in overdue])

    def test_the_years_meeting_reports_give_a_real_share(self) -> None:
        today = timezone.now().astimezone(LOCAL_TZ)
        year_ago = today - dt.timedelta(days=366)
        share = selectors.meeting_report_share(period="year", start=year_ago, end=today)
        issued = Report.objects.filter(state="issued", template__kind__in=("briefing", "thematic", "ad_hoc"))
        self.assertEqual(issued.filter(template__code="socio-economic-briefing").count(), 11)
        self.assertEqual(issued.filter(template__code="thematic-briefing").count(), 2)
        self.assertTrue(all(r.figures for r in issued))  # produced from the IOC's data
        self.assertEqual((share.from_ioc, share.text_only, share.outside), (issued.count(), 0, 3))
        self.assertLess(share.share or 100, 100)
        self.sign_in_leader()
        first = OutsideReport.objects.order_by("issued_on").first()
        assert first is not None
        page = self.client.get(reverse("reporting:share"), {"nam": first.issued_on.year})
        self.assertContains(page, "Sở Kế hoạch và Đầu tư")

    def sign_in_leader(self) -> None:
        from ioc.accounts.testing import sign_in

        sign_in(self.client, _leader())

    def test_a_past_meeting_with_decisions_one_overdue_and_the_next_one(self) -> None:
        past, upcoming = Meeting.objects.order_by("held_on")
        self.assertEqual((past.state, upcoming.state), ("closed", "planned"))
        self.assertIsNotNone(past.briefing_id)
        self.assertEqual(past.decisions.count(), 3)
        overdue = [i for i in selectors.reporting_work_items(user=_leader()) if i.kind == "decision_overdue"]
        self.assertEqual(len(overdue), 1)
        self.assertEqual(len(selectors.decisions_to_follow_up(meeting=upcoming)), 3)

    def test_it_adds_nothing_when_run_twice(self) -> None:
        before = (Report.objects.count(), ReportObligation.objects.count(), Meeting.objects.count())
        again = demo_load()
        self.assertEqual((again["issued"], again["outside"], again["drafts"], again["meetings"]), (0, 0, 0, 0))
        self.assertEqual(before, (Report.objects.count(), ReportObligation.objects.count(), Meeting.objects.count()))


def _leader() -> Any:
    from ioc.accounts.models import User

    return User.objects.filter(role_assignments__role="ioc_leader").first() or system_account()
