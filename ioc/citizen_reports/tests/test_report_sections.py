"""R8.1, R3.5: the citizen reports' figures in a generated report ("báo cáo") equal `citizen_reports_statistics`
for the same period and scope (the known dataset of test_statistics_support)."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase
from django.utils import timezone

from ioc.citizen_reports.statistics import citizen_reports_statistics
from ioc.citizen_reports.tests.test_statistics_support import StatisticsData
from ioc.reporting import services
from ioc.reporting.models import ReportTemplate


class ReportSectionFiguresTest(StatisticsData, TestCase):
    def test_every_figure_equals_the_statistics_of_the_month(self) -> None:
        now = timezone.now()
        template = ReportTemplate.objects.get(code="operations-monthly")
        for period, first, last in (("202503", 1, 31), ("202504", 1, 30)):
            month = int(period[4:])
            report = services.report_generate(actor=self.operator, template=template, period=period, now=now)
            start, end = dt.date(2025, month, first), dt.date(2025, month, last)
            for group_by in ("agency", "category", "commune"):
                stats = citizen_reports_statistics(user=self.operator, start=start, end=end, group_by=group_by, now=now)
                table = report.figures[f"citizen_reports.by_{group_by}"]["value"]
                expected = [[r.label, r.received, r.handled, r.on_time, r.overdue, r.rating_avg] for r in stats.rows]
                self.assertEqual(table["rows"], expected, (period, group_by))
            totals = stats.totals
            values = {code: figure["value"] for code, figure in report.figures.items()}
            self.assertEqual(
                [
                    values[f"citizen_reports.{name}"]
                    for name in ("received", "handled", "on_time", "overdue", "rating_avg")
                ],
                [totals.received, totals.handled, totals.on_time, totals.overdue, totals.rating_avg],
            )
            self.assertGreater(totals.received, 0)

    def test_an_agency_report_holds_the_agencys_row(self) -> None:
        now = timezone.now()
        template = ReportTemplate.objects.get(code="operations-monthly")
        report = services.report_generate(
            actor=self.operator, template=template, period="202504", scope_kind="agency", agency=self.agency_a, now=now
        )
        stats = citizen_reports_statistics(
            user=self.operator, start=dt.date(2025, 4, 1), end=dt.date(2025, 4, 30), group_by="agency", now=now
        )
        row = next(r for r in stats.rows if r.key == str(self.agency_a.pk))
        self.assertEqual(report.figures["citizen_reports.received"]["value"], row.received)
        self.assertEqual(report.figures["citizen_reports.overdue"]["value"], row.overdue)
