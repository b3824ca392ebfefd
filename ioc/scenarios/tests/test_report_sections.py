"""R8.1, R4.6, R5.2: the scenarios' figures in a generated monthly report equal this app's selectors' answers for
the same month (an activation by trigger, a warning published and one awaiting approval)."""

from __future__ import annotations

from django.test import TestCase
from django.utils import timezone

from ioc.reporting import services as reporting
from ioc.reporting.models import ReportTemplate
from ioc.scenarios import selectors, services
from ioc.scenarios.tests.support import ScenarioMixin, territory
from ioc.scenarios.tests.test_warnings import draft


class ScenarioReportFiguresTest(ScenarioMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        territory()

    def test_the_figures_equal_the_selectors_of_the_month(self) -> None:
        scenario = self.scenario()
        self.raise_alert()
        services.warning_publish(actor=self.operator, draft=draft())
        services.warning_publish(actor=self.operator, draft=draft(severity=4))  # awaits approval: not sent
        now = timezone.localtime()
        period = f"{now:%Y%m}"
        template = ReportTemplate.objects.get(code="operations-monthly")
        report = reporting.report_generate(actor=self.operator, template=template, period=period, now=timezone.now())
        values = {code: figure["value"] for code, figure in report.figures.items()}
        start, end = timezone.localtime().replace(day=1, hour=0, minute=0, second=0, microsecond=0), timezone.now()
        activations = selectors.activation_list(user=self.operator).filter(activated_at__gte=start)
        self.assertEqual(values["scenarios.activations"], activations.count())
        self.assertEqual(values["scenarios.activations"], 1)
        self.assertEqual(values["scenarios.warnings"], selectors.warnings_sent(start=start, end=end).count())
        self.assertEqual(values["scenarios.warnings"], 1)
        table = values["scenarios.by_scenario"]
        self.assertEqual(table["rows"], [[scenario.name, 1]])
