"""R8.2: the act's calendar across 2025 (the 25th on a weekend, on Tết, and on an administrator's day off), drafts
generated ahead as durable work, reminders before and after the due day, the submission recorded when issued,
and the overdue report in the operator's work items (frozen clock)."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase

from ioc.accounts.testing import system_actor
from ioc.common.testing import frozen, local
from ioc.notifications.models import Outbox
from ioc.regulation.testing import sample_regulation_load
from ioc.reporting import selectors, services
from ioc.reporting.calendar import due_for, periods_of_year
from ioc.reporting.models import ReportObligation
from ioc.reporting.tests.support import ReportingData
from ioc.worktime.selectors import calendar_for
from ioc.worktime.services import calendar_exception_add


class CalendarYearTest(ReportingData, TestCase):
    def test_the_25th_of_each_month_of_2025_moved_off_days_off(self) -> None:
        calendar_exception_add(
            actor=self.admin, day=dt.date(2025, 12, 25), kind="day_off", name="Nghỉ bù", document_ref="01/QĐ-TEST"
        )
        calendar = calendar_for(agency=None)
        dues = {
            p: due_for(
                frequency="monthly", period=p, due_day=25, due_rule="Trước ngày 25 hằng tháng", calendar=calendar
            )
            for p in periods_of_year(frequency="monthly", year=2025)
        }
        moved = {p: d.due for p, d in dues.items() if d.due != d.nominal}
        self.assertEqual(
            moved,
            {
                "202501": dt.date(2025, 2, 3),  # Saturday 25 January, then Tết (27 January – 1 February)
                "202505": dt.date(2025, 5, 26),  # Sunday
                "202510": dt.date(2025, 10, 27),  # Saturday
                "202512": dt.date(2025, 12, 26),  # the administrator's day off (a Thursday)
            },
        )
        self.assertEqual(dues["202507"].due, dt.date(2025, 7, 25))
        self.assertIn("thứ Bảy 25/10/2025 là ngày nghỉ", dues["202510"].rule)
        self.assertIn("thứ Hai 27/10/2025", dues["202510"].rule)
        quarter = due_for(frequency="quarterly", period="2025Q2", due_day=25, due_rule="", calendar=calendar)
        self.assertEqual(quarter.nominal, dt.date(2025, 6, 25))


class CalendarWorkTest(ReportingData, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        sample_regulation_load(actor=system_actor(), profile="hung-yen")  # monthly, due before the 25th

    def test_drafts_ahead_reminders_submission_and_work_items(self) -> None:
        with frozen(local(2025, 10, 10, 8)):
            self.assertEqual(services.report_calendar_sync(actor=system_actor()), 2)  # September and October
            self.assertEqual(services.report_calendar_sync(actor=system_actor()), 0)
        october = ReportObligation.objects.get(period="202510")
        self.assertEqual((october.due_on, october.draft_on), (dt.date(2025, 10, 27), dt.date(2025, 10, 17)))
        september = ReportObligation.objects.get(period="202509")
        with frozen(local(2025, 10, 10, 8)):
            self.assertEqual(services.report_drafts_run(), 1)  # September's draft day has come, October's not
            self.assertEqual(services.report_drafts_run(), 0)
            september.refresh_from_db()
            self.assertEqual(september.state, "drafted")
            self.assertIsNotNone(september.report)
            self.assertEqual(services.report_reminders_send(), 1)  # September is overdue
            self.assertEqual(services.report_reminders_send(), 0)
            self.assertTrue(Outbox.objects.filter(template="reporting.overdue").exists())
            items = selectors.reporting_work_items(user=self.operator)
            self.assertEqual([(i.code, i.state) for i in items], [("202509", "overdue")])
            self.assertEqual(selectors.reporting_work_items(user=self.officer_a), [])
        with frozen(local(2025, 10, 24, 8)):
            self.assertEqual(services.report_drafts_run(), 1)
            self.assertEqual(services.report_reminders_send(), 1)  # October due within three days
            self.assertTrue(Outbox.objects.filter(template="reporting.due_soon").exists())
        assert september.report is not None
        with frozen(local(2025, 10, 24, 9)):
            issued = services.report_issue(actor=self.operator, report=september.report)
        september.refresh_from_db()
        self.assertEqual(
            (september.state, september.submission_number, september.submission_date),
            ("submitted", issued.number, dt.date(2025, 10, 24)),
        )

    def test_a_failed_draft_keeps_its_reason_and_is_retried_after_its_lease(self) -> None:
        with frozen(local(2025, 10, 10, 8)):
            services.report_calendar_sync(actor=system_actor())
        ReportObligation.objects.filter(period="202509").update(period="2025-09")  # a period no template accepts
        with frozen(local(2025, 10, 10, 8)):
            self.assertEqual(services.report_drafts_run(), 0)
        row = ReportObligation.objects.get(period="2025-09")
        self.assertEqual((row.state, row.attempts), ("failed", 1))
        self.assertIn("Kỳ", row.last_error)
        with frozen(local(2025, 10, 10, 8, 5)):
            services.report_drafts_run()  # still leased
        row.refresh_from_db()
        self.assertEqual(row.attempts, 1)
        with frozen(local(2025, 10, 10, 8, 30)):
            services.report_drafts_run()
        row.refresh_from_db()
        self.assertEqual(row.attempts, 2)
