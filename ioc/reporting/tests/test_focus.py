"""Issue 17 (R8.1): a thematic briefing narrowed to one scenario (the scenarios section by the scenario's code) or
one sector (the indicators and warnings of one monitored domain): only the narrowed figures, equal to their
selectors narrowed the same way; the narrowing is kept with the report, so a refresh asks the same; an unknown code,
a kind no app registered, or a template that is not a thematic briefing is refused naming the field, and nothing
is written."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from ioc.audit.models import AuditEntry
from ioc.indicators.models import Indicator, IndicatorWarning
from ioc.indicators.testing import catalogue, spec
from ioc.reporting import services
from ioc.reporting.models import Report, ReportTemplate
from ioc.scenarios import selectors as scenario_selectors
from ioc.scenarios import services as scenario_services
from ioc.scenarios.models import Scenario
from ioc.scenarios.testing import ScenarioMixin, territory


class FocusTest(ScenarioMixin, TestCase):
    """Scenarios `lu-lut` and `chay-rung` (only `chay-rung` activated), indicators `thu` (economy) and `kham`
    (health), one warning each."""

    thematic: ReportTemplate

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        territory()
        cls.thematic = ReportTemplate.objects.get(code="thematic-briefing")
        catalogue(cls.leader, spec("thu"), spec("kham", sector="y-te"))
        for n, code in enumerate(("thu", "kham")):
            IndicatorWarning.objects.create(
                indicator=Indicator.objects.get(code=code),
                period="202507",
                kind="not_met",
                dedup_key=f"focus-{n}",
                value=1.0,
                target=2.0,
            )

    def setUp(self) -> None:
        self.flood, self.fire = self.scenario("lu-lut"), self.scenario("chay-rung")
        self.activate(self.fire)

    def activate(self, scenario: Scenario) -> None:
        scenario_services.scenario_activate(scenario=scenario, actor=self.leader, reason="Mưa lớn kéo dài")

    def generate(self, **kw: Any) -> Report:
        args: dict[str, Any] = {
            "actor": self.operator,
            "template": self.thematic,
            "period": f"{timezone.localtime():%Y%m}",
            **kw,
        }
        return services.report_generate(**args)

    def values(self, report: Report) -> dict[str, Any]:
        return {code: figure["value"] for code, figure in report.figures.items()}

    def test_narrowed_to_one_scenario_and_refreshed_the_same_way(self) -> None:
        report = self.generate(focus_kind="scenario", focus_code="lu-lut")
        self.assertEqual(set(report.figures), {"scenarios.activations", "scenarios.warnings", "scenarios.by_scenario"})
        self.assertEqual(self.values(report)["scenarios.activations"], 0)  # only chay-rung ran so far
        self.assertEqual((report.focus_kind, report.focus_code), ("scenario", "lu-lut"))
        self.assertIn(self.flood.name, report.title)
        self.assertEqual(report.focus_label, f"Kịch bản {self.flood.name}")
        self.activate(self.flood)
        self.activate(self.scenario("bao"))
        report = services.report_refresh(actor=self.operator, report=report)
        values = self.values(report)
        mine = scenario_selectors.activation_list(user=self.operator).filter(scenario__code="lu-lut")
        self.assertEqual(values["scenarios.activations"], mine.count())
        self.assertEqual(values["scenarios.activations"], 1)
        self.assertEqual(values["scenarios.by_scenario"]["rows"], [[self.flood.name, 1]])
        start = timezone.localtime().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        sent = scenario_selectors.warnings_sent(start=start, end=timezone.now(), scenario_code="lu-lut")
        self.assertEqual(values["scenarios.warnings"], sent.filter(msg_type="Alert").count())
        # Not narrowed, the same month counts all three activations.
        whole = self.values(self.generate())
        self.assertEqual(whole["scenarios.activations"], 3)
        entry = AuditEntry.objects.get(action="report.generate", object_id=str(report.pk))
        self.assertEqual(entry.changes["focus"], "scenario:lu-lut")

    def test_narrowed_to_one_sector(self) -> None:
        report = self.generate(focus_kind="sector", focus_code="y-te")
        codes = set(report.figures)
        self.assertTrue(codes and all(code.startswith("indicators.") for code in codes), codes)
        values = self.values(report)
        self.assertEqual((values["indicators.count"], values["indicators.warnings"]), (1, 1))
        self.assertEqual([row[0] for row in values["indicators.warning_list"]["rows"]], ["Chỉ số kham"])
        self.assertEqual(report.focus_label, "Lĩnh vực chỉ số Y tế")
        correction = services.report_correct(
            actor=self.operator,
            report=services.report_issue(actor=self.operator, report=report),
        )
        self.assertEqual((correction.focus_kind, correction.focus_code), ("sector", "y-te"))
        self.assertEqual(set(correction.figures), codes)

    def refused(self, field: str, **kw: Any) -> str:
        before = (Report.objects.count(), AuditEntry.objects.filter(action__startswith="report.").count())
        with self.assertRaises(ValidationError) as caught:
            self.generate(**kw)
        self.assertIn(field, caught.exception.message_dict)
        after = (Report.objects.count(), AuditEntry.objects.filter(action__startswith="report.").count())
        self.assertEqual(before, after)
        return " ".join(caught.exception.message_dict[field])

    def test_an_unknown_code_is_refused_naming_the_field(self) -> None:
        message = self.refused("focus_code", focus_kind="scenario", focus_code="khong-co")
        self.assertIn("khong-co", message)
        self.assertIn("lu-lut", message)  # the codes that exist
        self.assertIn("khong-co", self.refused("focus_code", focus_kind="sector", focus_code="khong-co"))
        self.refused("focus_code", focus_kind="scenario", focus_code="")

    def test_a_kind_no_app_registered_or_a_template_that_is_no_thematic_briefing(self) -> None:
        self.refused("focus_kind", focus_kind="vung", focus_code="x")
        monthly = ReportTemplate.objects.get(code="operations-monthly")
        message = self.refused("focus_kind", template=monthly, period="202507", focus_kind="sector", focus_code="y-te")
        self.assertIn(monthly.name, message)

    def test_a_scope_with_none_of_the_focus_figures(self) -> None:
        message = self.refused(
            "focus_kind", scope_kind="agency", agency=self.agency_a, focus_kind="scenario", focus_code="lu-lut"
        )
        self.assertIn(self.flood.name, message)

    def test_the_page_names_the_field_of_an_unknown_code(self) -> None:
        self.sign_in(self.client, self.operator)  # type: ignore[attr-defined]
        data = {
            "template": "thematic-briefing",
            "period": f"{timezone.localtime():%Y%m}",
            "scope_kind": "territory",
            "focus_kind": "scenario",
            "focus_code": "khong-co",
        }
        response = self.client.post(reverse("reporting:generate"), data)
        self.assertEqual(response.status_code, 400)
        self.assertIn("khong-co", " ".join(response.context["form"].errors["focus_code"]))
        self.assertFalse(Report.objects.exists())
        data["focus_code"] = "lu-lut"
        response = self.client.post(reverse("reporting:generate"), data)
        created = Report.objects.get()
        self.assertRedirects(response, reverse("reporting:detail", args=[created.pk]))
        self.assertContains(self.client.get(reverse("reporting:detail", args=[created.pk])), 'id="report-focus"')
