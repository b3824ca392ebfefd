"""R8.1, R8.3 (issue 17 "It must show"): every figure of a generated report equals its selector's answer for the
same period and scope. A loop over the whole registry (`report_sections.figures()`), not a sample: each figure the
report's scope admits must be in the monthly operations report (the ready template takes every `operations`
section and names the report's period and scope) and equal what the figure's own `compute` answers for the same
`FigureContext`, stored as the report stores it (JSON); a figure the scope does not admit must not be there. For
the territory, one agency and one commune: a domain that registers a figure later is checked here without an edit.
"""

from __future__ import annotations

import json
from typing import Any

from django.test import SimpleTestCase, TestCase
from django.utils import translation

from ioc.common.report_sections import AREA, Figure, Table, figures
from ioc.reporting import services
from ioc.reporting.models import Report
from ioc.reporting.services.reports import context_for
from ioc.reporting.tests.support import MONTH, NOW, ReportingData, commune


def stored_form(value: Any) -> Any:
    """A figure's answer as the report keeps it: a table as its data, then through JSON (tuples become lists)."""
    return json.loads(json.dumps(value.as_data() if isinstance(value, Table) else value))


class EveryFigureEqualsItsSelectorTest(ReportingData, TestCase):
    def assert_every_figure(self, report: Report, actor: Any, *, at_least: int) -> list[Figure]:
        report = Report.objects.get(pk=report.pk)  # the figures as stored
        ctx = context_for(report, actor=actor, now=NOW)
        admitted = [f for f in figures() if f.covers(ctx.scope)]
        self.assertGreaterEqual(len(admitted), at_least)
        checked: list[str] = []
        for figure in admitted:
            with self.subTest(figure=figure.code, scope=ctx.scope.kind):
                self.assertIn(figure.code, report.figures, f"{figure.code} is missing from the report")
                stored = report.figures[figure.code]
                self.assertEqual(stored["kind"], figure.kind)
                self.assertEqual(stored["value"], stored_form(figure.compute(ctx)))
                checked.append(figure.code)
        self.assertEqual(checked, [f.code for f in admitted])
        self.assertEqual(sorted(report.figures), sorted(checked))  # nothing the scope does not admit
        return admitted

    def test_the_monthly_report_of_the_territory(self) -> None:
        report = services.report_generate(actor=self.operator, template=self.monthly, period=MONTH, now=NOW)
        admitted = self.assert_every_figure(report, self.operator, at_least=60)
        codes = {f.code for f in admitted}
        # The registry's domains are all there (a section that stopped registering would shrink the loop).
        domains = {code.split(".", 1)[0] for code in codes}
        for domain in ("citizen_reports", "assignments", "incidents", "indicators", "datahub", "accounts", "sensors"):
            self.assertIn(domain, domains)
        # Not zeros only: the month's citizen reports and their forwarding are counted.
        self.assertEqual(report.figures["citizen_reports.received"]["value"], 5)
        self.assertGreater(report.figures["assignments.forwarded"]["value"], 0)

    def test_the_monthly_report_of_one_agency(self) -> None:
        report = services.report_generate(
            actor=self.officer_a,
            template=self.monthly,
            period=MONTH,
            scope_kind="agency",
            agency=self.agency_a,
            now=NOW,
        )
        self.assert_every_figure(report, self.officer_a, at_least=15)
        self.assertEqual(report.figures["report.scope"]["value"], self.agency_a.name)

    def test_the_monthly_report_of_one_commune(self) -> None:
        unit = commune()
        report = services.report_generate(
            actor=self.operator, template=self.monthly, period=MONTH, scope_kind="commune", unit=unit, now=NOW
        )
        self.assert_every_figure(report, self.operator, at_least=10)
        self.assertEqual(report.figures["report.scope"]["value"], unit.full_name)


class FigureLabelsTest(SimpleTestCase):
    def test_the_citizen_reports_area_figures_have_english_labels(self) -> None:
        area = [f for f in figures() if f.code.startswith("citizen_reports.") and f.scopes == AREA]
        self.assertEqual(len(area), 4)
        for figure in area:
            with translation.override("vi"):
                vietnamese = str(figure.label)
            with translation.override("en"):
                english = str(figure.label)
            self.assertNotEqual(english, vietnamese, figure.code)
        with translation.override("en"):
            labels = {f.code: str(f.label) for f in area}
        self.assertEqual(labels["citizen_reports.area_open"], "Reports in the area still open")
