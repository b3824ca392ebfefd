"""R8.1, R5.6: the information-security section of the reports: its figures equal the selectors' answers."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.test import TestCase
from django.utils import timezone

from ioc.accounts.testing import Personas
from ioc.common.report_sections import FigureContext, ReportScope, section_get
from ioc.cybersecurity.testing import cyber_crawl_fixtures


class ReportSectionTest(Personas, TestCase):
    def test_figures_of_the_period(self):
        cyber_crawl_fixtures(actor=self.admin, agency=self.agency_a)
        now = timezone.now()
        ctx = FigureContext(
            user=self.leader,
            period_code="x",
            start=now - dt.timedelta(days=1),
            end=now + dt.timedelta(minutes=1),
            scope=ReportScope(),
            now=now,
        )
        section = section_get("cybersecurity")
        assert section is not None
        values = {f.code: f.compute(ctx) for f in section.figures}
        self.assertEqual(values["cybersecurity.assets"], 1)
        self.assertEqual(values["cybersecurity.uptime"], 50.0)
        self.assertEqual(values["cybersecurity.events"], 1)
        self.assertEqual(values["cybersecurity.uptime_table"].rows[0][2:], [50.0, 1])
        self.assertEqual(values["cybersecurity.incidents"], 0)
        self.assertEqual(values["cybersecurity.vulns_fixed"], 0)
        self.assertIsNone(values["cybersecurity.vulns_on_time"])

    def test_malware_of_the_period_months_per_agency(self):
        cyber_crawl_fixtures(actor=self.admin, agency=self.agency_a)  # this month: 3 infected, 2 cleaned, 5 bare
        start = timezone.localtime().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        ctx = FigureContext(
            user=self.leader,
            period_code="x",
            start=start,
            end=start + dt.timedelta(days=32),
            scope=ReportScope(),
            now=timezone.now(),
        )
        section = section_get("cybersecurity")
        assert section is not None
        values = {f.code: f.compute(ctx) for f in section.figures}
        self.assertEqual(values["cybersecurity.infected"], 3)
        self.assertEqual(values["cybersecurity.malware_table"].rows, [[self.agency_a.name, 3, 2, 5]])
        later = dataclasses.replace(ctx, start=start + dt.timedelta(days=1))  # the month began before the period
        infected = next(f for f in section.figures if f.code == "cybersecurity.infected")
        self.assertEqual(infected.compute(later), 0)
