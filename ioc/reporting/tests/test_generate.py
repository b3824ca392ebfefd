"""R8.1, R8.3: a generated report's figures equal their selectors' answers for the same period and scope; the
bad inputs of issue 17 get a clear error naming what and why, and write nothing."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase

from ioc.assignments.models import Assignment
from ioc.audit.models import AuditEntry
from ioc.common.periods import period_parse
from ioc.common.report_sections import Figure, ReportScope, Section, register_section, unregister_section
from ioc.datahub.selectors import compliance_board
from ioc.incidents.selectors import incidents_counts
from ioc.reporting import services
from ioc.reporting.models import Report, ReportTemplate
from ioc.reporting.tests.support import MONTH, NOW, ReportingData, commune


class GenerateFiguresTest(ReportingData, TestCase):
    def generate(self, **kw: object) -> Report:
        return services.report_generate(actor=self.operator, template=self.monthly, period=MONTH, now=NOW, **kw)  # type: ignore[arg-type]

    def test_citizen_report_figures_hold_the_months_reports(self) -> None:
        report = self.generate()
        values = {code: f["value"] for code, f in report.figures.items()}
        # Five reports received in July (the June one is outside); two published, one of them on time.
        self.assertEqual(values["citizen_reports.received"], 5)
        self.assertEqual(values["citizen_reports.handled"], 2)
        self.assertEqual(values["citizen_reports.on_time"], 1)
        self.assertEqual(values["citizen_reports.rating_avg"], 4.0)
        self.assertEqual(values["citizen_reports.by_agency"]["totals"][1], 5)
        # The equality with `citizen_reports_statistics` itself: ioc/citizen_reports/tests/test_report_sections.py.

    def test_other_domains_figures_equal_their_selectors(self) -> None:
        report = self.generate()
        period = period_parse(MONTH)
        values = {code: f["value"] for code, f in report.figures.items()}
        counts = incidents_counts(user=self.operator, start=period.start, end=period.end)
        self.assertEqual(values["incidents.total"], counts["total"])
        forwarded = Assignment.objects.filter(forwarded_at__gte=period.start, forwarded_at__lt=period.end).count()
        self.assertEqual(values["assignments.forwarded"], forwarded)
        self.assertGreater(forwarded, 0)
        board = compliance_board(user=self.operator, now=min(period.end, NOW), days=31)
        self.assertEqual(values["datahub.on_time"], sum(r.counts.get("on_time", 0) for r in board))
        self.assertEqual(values["report.period"], "tháng 7 năm 2025")
        self.assertIn("accounts.audit_entries", values)

    def test_an_agency_report_holds_the_agencys_figures_and_leaves_territory_only_ones_out(self) -> None:
        report = services.report_generate(
            actor=self.officer_a,
            template=self.monthly,
            period=MONTH,
            scope_kind="agency",
            agency=self.agency_a,
            now=NOW,
        )
        values = {code: f["value"] for code, f in report.figures.items()}
        self.assertEqual(values["citizen_reports.received"], 3)  # two published, one forwarded to A
        self.assertEqual([r[0] for r in values["citizen_reports.by_agency"]["rows"]], [self.agency_a.name])
        # Issue 17: the agency's incidents (those it holds a part of) and indicators; alerts belong to no agency.
        period = period_parse(MONTH)
        counts = incidents_counts(user=self.officer_a, start=period.start, end=period.end, agency_id=self.agency_a.pk)
        self.assertEqual(values["incidents.total"], counts["total"])
        self.assertIn("indicators.warnings", values)
        self.assertNotIn("incidents.alerts", values)
        self.assertNotIn("citizen_reports.by_category", values)
        self.assertEqual(values["assignments.forwarded"], 3)

    def test_a_commune_report_counts_the_communes_reports(self) -> None:
        report = self.generate(scope_kind="commune", unit=commune())
        self.assertEqual(report.figures["citizen_reports.received"]["value"], 5)

    def test_the_text_keeps_its_placeholders_and_the_audit_names_the_actor(self) -> None:
        report = self.generate()
        texts = [b["text"] for s in report.content for b in s["blocks"] if "text" in b]
        self.assertTrue(any("{{ citizen_reports.received }}" in t for t in texts))
        entry = AuditEntry.objects.get(action="report.generate", object_id=str(report.pk))
        self.assertEqual(entry.actor, self.operator)
        self.assertEqual(
            report.title,
            ReportTemplate.objects.get(code="operations-monthly").title.replace("{period_label}", "tháng 7 năm 2025"),
        )


class GenerateRefusalsTest(ReportingData, TestCase):
    def refused(self, field: str, **kw: object) -> ValidationError:
        before = (Report.objects.count(), AuditEntry.objects.filter(action__startswith="report.").count())
        args = {"actor": self.operator, "template": self.monthly, "period": MONTH, "now": NOW, **kw}
        with self.assertRaises(ValidationError) as caught:
            services.report_generate(**args)  # type: ignore[arg-type]
        self.assertIn(field, caught.exception.message_dict)
        self.assertEqual(
            before, (Report.objects.count(), AuditEntry.objects.filter(action__startswith="report.").count())
        )
        return caught.exception

    def test_a_period_not_matching_the_cadence(self) -> None:
        error = self.refused("period", period="2025Q3")
        self.assertIn("2025Q3", error.message_dict["period"][0])
        self.assertIn("202507", error.message_dict["period"][0])

    def test_a_period_that_is_no_period(self) -> None:
        self.refused("period", period="2025-07")

    def test_a_scope_outside_the_users_rights(self) -> None:
        error = self.refused("scope_agency", actor=self.officer_a, scope_kind="agency", agency=self.agency_b)
        self.assertIn(self.agency_b.name, error.message_dict["scope_agency"][0])
        self.refused("scope_kind", actor=self.officer_a)  # the whole territory is the IOC's
        self.refused("scope_unit", actor=self.officer_a, scope_kind="commune", unit=commune())

    def test_a_placeholder_naming_no_registered_figure(self) -> None:
        template = ReportTemplate.objects.create(
            code="bad",
            name="Sai",
            kind="ad_hoc",
            cadence="monthly",
            title="Sai {period_label}",
            sections=[{"title": "Phần một", "blocks": [{"text": "Có {{ khong.co }} phản ánh"}, {"table": "x.y"}]}],
        )
        error = self.refused("template", template=template)
        messages = " ".join(error.message_dict["template"])
        self.assertIn("khong.co", messages)
        self.assertIn("x.y", messages)
        self.assertIn("Phần một", messages)

    def test_a_section_whose_selector_fails(self) -> None:
        def broken(ctx: object) -> int:
            raise RuntimeError("database is locked")

        register_section(
            Section(
                "broken",
                "Hỏng",
                99,
                (Figure("broken.value", "Số hỏng", "value", broken),),
                ({"text": "{{ broken.value }}"},),
            )
        )
        self.addCleanup(unregister_section, "broken")
        error = self.refused("template")
        self.assertIn("broken.value", error.message_dict["template"][0])
        self.assertIn("database is locked", error.message_dict["template"][0])

    def test_a_citizen_may_not_write_reports(self) -> None:
        with self.assertRaises(PermissionDenied):
            services.report_generate(actor=self.citizen, template=self.monthly, period=MONTH)
        self.assertFalse(Report.objects.exists())


class ScopeKindTest(TestCase):
    def test_the_default_scope_is_the_territory(self) -> None:
        self.assertEqual(ReportScope().kind, "territory")
