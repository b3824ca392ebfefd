"""DESIGN "Domain overview", "Map hooks", R8.1: the tile's counters, the operator's work items (violations to
verify; none for an agency officer) and the report section's figures against a hand count."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase
from django.utils import timezone

from ioc.accounts.testing import Personas
from ioc.common.report_sections import FigureContext, ReportScope, section_get
from ioc.common.workitems import WorkFilter
from ioc.dossiers import selectors
from ioc.dossiers.models import Dossier
from ioc.dossiers.services import dossier_event_receive, service_scores_compute
from ioc.dossiers.tests.helpers import event, procedure_create, receipt
from ioc.worktime.selectors import LOCAL_TZ


class OverviewTests(Personas, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        procedure_create(cls.admin)
        start = timezone.now() - dt.timedelta(days=10)
        rows = [receipt("O-1", start), receipt("O-2", start), receipt("O-3", timezone.now() - dt.timedelta(hours=1))]
        rows += [
            event("O-2", "step_done", start + dt.timedelta(hours=n), f"o2-{n}", step=s)
            for n, s in enumerate(("tiep-nhan", "tham-dinh", "phe-duyet"), start=1)
        ]
        dossier_event_receive(agency=cls.agency_a, rows=rows, actor=cls.system_user)

    def test_the_tile_counts(self):
        figures = selectors.dossiers_overview(user=self.operator)
        self.assertEqual((figures["open"], figures["overdue"]), (2, 1))  # O-1 is 10 days old, unfinished
        self.assertEqual(figures["finished"], 1)
        self.assertEqual(figures["on_time_rate"], 100.0)
        self.assertEqual(figures["status"], "alert")
        self.assertEqual(selectors.dossiers_overview(user=self.officer_b)["open"], 0)

    def test_work_items_for_the_ioc_only(self):
        items = selectors.dossiers_work_items(user=self.operator)
        self.assertTrue(items)
        self.assertTrue(all(i.source == "dossiers" and i.kind == "verify" for i in items))
        self.assertEqual({i.code for i in items}, {"O-1"})  # O-1: the sweep-free check already found it late
        self.assertEqual(selectors.dossiers_work_items(user=self.officer_a), [])
        other = WorkFilter(agency_id=self.agency_b.pk)
        self.assertEqual(selectors.dossiers_work_items(user=self.operator, where=other), [])

    def test_report_figures_equal_a_hand_count(self):
        now = timezone.now()
        ctx = FigureContext(
            user=self.leader,
            period_code="x",
            start=now - dt.timedelta(days=30),
            end=now + dt.timedelta(minutes=1),
            scope=ReportScope(),
            now=now,
        )
        section = section_get("dossiers")
        assert section is not None
        values = {f.code: f.compute(ctx) for f in section.figures if f.kind == "value"}
        self.assertEqual(values["dossiers.received"], Dossier.objects.count())
        self.assertEqual(values["dossiers.finished"], 1)
        self.assertEqual(values["dossiers.on_time_rate"], 100.0)

    def test_the_report_table_of_766_points_has_each_agency_month(self):
        now = timezone.now()
        month = timezone.localdate(now - dt.timedelta(days=10))
        service_scores_compute(month=month, actor=self.system_account)
        start = dt.datetime.combine(month.replace(day=1), dt.time(), LOCAL_TZ)
        ctx = FigureContext(user=self.leader, period_code="x", start=start, end=start + dt.timedelta(days=28),
                            scope=ReportScope(), now=now)  # fmt: skip
        section = section_get("dossiers")
        assert section is not None
        table = next(f for f in section.figures if f.code == "dossiers.scores_766").compute(ctx)
        self.assertEqual([row[0] for row in table.rows], [self.agency_a.name])
        self.assertEqual(table.rows[0][1], f"{month:%m/%Y}")
