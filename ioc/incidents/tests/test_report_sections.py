"""R8.1, issue 17: the incidents' report figures for an agency's and a commune's report equal the KPI selectors'
answers narrowed the same way, and those answers hold the agency's incidents (its parts) and the commune's
incidents and alerts; each selector runs once per report."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import TestCase
from django.utils import timezone

from ioc.assignments import services as assignment_services
from ioc.common.report_sections import FigureContext, ReportScope, section_get
from ioc.incidents import selectors, services
from ioc.incidents.models import Incident
from ioc.incidents.tests.support import OTHER_COMMUNE, IncidentsMixin, point_in, unit


class ScopedReportFiguresTest(IncidentsMixin, TestCase):
    """A flood in COMMUNE forwarded to agency B (resolved in time), a fire in OTHER_COMMUNE dispatched to agency A
    (open, late two hours on), and one more alert in COMMUNE never verified."""

    flood: Incident
    fire: Incident

    def setUp(self) -> None:
        super().setUp()
        self.flood, parts = self.forwarded([self.agency_b])
        assignment_services.assignment_accept(assignment=parts[0], actor=self.officer_b)
        assignment_services.assignment_resolve(assignment=parts[0], actor=self.officer_b, resolution="Đã xử lý")
        self.fire = self.open_incident(kind="fire", commune=OTHER_COMMUNE, severity=5)
        services.incident_dispatch(incident=self.fire, agencies=[self.agency_a], actor=self.operator)
        self.raise_alert(dedup_key="station-9:flood", point=point_in())
        self.start, self.end = timezone.now() - dt.timedelta(days=1), timezone.now() + dt.timedelta(days=1)

    def context(self, scope: ReportScope) -> FigureContext:
        return FigureContext(
            user=self.operator,
            period_code="",
            start=self.start,
            end=self.end,
            scope=scope,
            now=timezone.now() + dt.timedelta(hours=2),
        )

    def figures(self, scope: ReportScope) -> dict[str, Any]:
        ctx = self.context(scope)
        section = section_get("incidents")
        assert section is not None
        return {f.code: f.compute(ctx) for f in section.figures if f.covers(scope)}

    def assert_equal_selectors(self, values: dict[str, Any], **narrow: Any) -> None:
        period: dict[str, Any] = {"user": self.operator, "start": self.start, "end": self.end}
        counts = selectors.incidents_counts(**period, **narrow)
        times = selectors.incidents_times(**period, **narrow)
        for name in ("total", "open", "severe"):
            self.assertEqual(values[f"incidents.{name}"], counts[name], name)
        self.assertEqual(values["incidents.minutes_to_verify"], times["to_verify"])
        self.assertEqual(values["incidents.minutes_to_resolve"], times["to_resolve"])
        by_kind = values["incidents.by_kind"]
        self.assertEqual(by_kind.totals[1], counts["total"])
        self.assertEqual(sorted(row[1] for row in by_kind.rows), sorted(counts["by_kind"].values()))
        on_time = selectors.incidents_on_time(**period, now=timezone.now() + dt.timedelta(hours=2), **narrow)
        self.assertEqual(
            [[r.agency, r.total, r.on_time] for r in on_time],
            [[row[0], row[2], row[3]] for row in values["incidents.on_time"].rows],
        )

    def test_an_agencys_report_counts_the_incidents_it_holds_a_part_of(self) -> None:
        for agency, incident in ((self.agency_b, self.flood), (self.agency_a, self.fire)):
            values = self.figures(ReportScope(kind="agency", agency_id=agency.pk))
            self.assert_equal_selectors(values, agency_id=agency.pk)
            self.assertEqual(values["incidents.total"], 1)
            self.assertEqual(values["incidents.severe"], int(incident.severity >= 4))
            self.assertEqual([row[0] for row in values["incidents.on_time"].rows], [agency.name])
            # Alerts belong to no agency: the figures do not cover an agency's report.
            self.assertNotIn("incidents.alerts", values)
            self.assertNotIn("incidents.alerts_by_source", values)

    def test_a_communes_report_counts_its_incidents_and_alerts(self) -> None:
        values = self.figures(ReportScope(kind="commune", unit_id=unit().pk))
        self.assert_equal_selectors(values, unit_id=unit().pk)
        self.assertEqual((values["incidents.total"], values["incidents.severe"]), (1, 0))
        alerts = selectors.alerts_counts(user=self.operator, start=self.start, end=self.end, unit_id=unit().pk)
        self.assertEqual(values["incidents.alerts"], alerts["total"])
        self.assertEqual(values["incidents.alerts"], 2)  # the flood's alert and the one never verified
        self.assertEqual(sum(row[1] for row in values["incidents.alerts_by_source"].rows), 2)
        self.assertEqual([row[0] for row in values["incidents.on_time"].rows], [self.agency_b.name])
        other = self.figures(ReportScope(kind="commune", unit_id=unit(OTHER_COMMUNE).pk))
        self.assert_equal_selectors(other, unit_id=unit(OTHER_COMMUNE).pk)
        self.assertEqual((other["incidents.total"], other["incidents.severe"], other["incidents.alerts"]), (1, 1, 1))
        self.assertEqual([row[0] for row in other["incidents.on_time"].rows], [self.agency_a.name])  # late

    def test_the_territorys_figures_hold_both(self) -> None:
        values = self.figures(ReportScope())
        self.assert_equal_selectors(values)
        self.assertEqual((values["incidents.total"], values["incidents.alerts"]), (2, 3))

    def test_each_selector_runs_once_per_report(self) -> None:
        ctx = self.context(ReportScope(kind="commune", unit_id=unit().pk))
        section = section_get("incidents")
        assert section is not None
        figures = {f.code: f for f in section.figures}
        figures["incidents.total"].compute(ctx)
        figures["incidents.minutes_to_verify"].compute(ctx)
        figures["incidents.alerts"].compute(ctx)
        with self.assertNumQueries(0):
            for code in ("incidents.open", "incidents.severe", "incidents.by_kind", "incidents.minutes_to_resolve"):
                figures[code].compute(ctx)
            figures["incidents.alerts_by_source"].compute(ctx)
        fresh = self.context(ctx.scope)  # another report's context asks again
        with self.assertRaises(AssertionError), self.assertNumQueries(0):
            figures["incidents.total"].compute(fresh)
