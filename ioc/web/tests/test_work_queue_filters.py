"""R7.1 (issue 20 "Speed"): the queue's agency and commune filters reach each source (`where`, a
`ioc.common.workitems.WorkFilter`) before the source's own LIMIT, so a filtered queue shows matches a source would
have cut off unfiltered; a source that does not take `where` is still filtered."""

from __future__ import annotations

from unittest.mock import patch

from django.db import connection
from django.test import SimpleTestCase
from django.test.utils import CaptureQueriesContext

from ioc.citizen_reports.selectors import citizen_reports_work_items
from ioc.common.workitems import WorkFilter, WorkItem, takes_where, work_item_providers
from ioc.incidents.selectors import maps as incident_maps
from ioc.web import selectors
from ioc.web.tests.test_work_queue import QueueCase


class QueueFilterPushdownTest(QueueCase):
    def test_a_commune_filter_reaches_past_a_sources_limit(self) -> None:
        self.assertNotEqual(self.mild.unit_id, self.severe.unit_id)
        with patch.object(incident_maps, "WORK_ITEMS_PER_KIND", 1):  # the severe alert fills the only place
            unfiltered = selectors.work_queue(user=self.operator, kind="incidents")
            filtered = selectors.work_queue(user=self.operator, commune_id=self.mild.unit_id)
        self.assertNotIn(self.mild.pk, [r.item.object_id for r in unfiltered.rows if r.item.kind == "verify"])
        self.assertEqual([r.item.object_id for r in filtered.rows if r.item.kind == "verify"], [self.mild.pk])

    def test_an_agency_filter_keeps_only_that_agencys_work(self) -> None:
        queue = selectors.work_queue(user=self.operator, agency_id=self.agency_b.pk)
        self.assertTrue(queue.rows)
        self.assertEqual({r.item.agency_id for r in queue.rows}, {self.agency_b.pk})
        self.assertEqual(selectors.work_queue(user=self.operator, agency_id=self.agency_a.pk).rows, [])

    def test_the_landed_sources_take_the_filter(self) -> None:
        providers = dict(work_item_providers())
        for label in ("citizen_reports", "assignments", "incidents"):
            self.assertTrue(takes_where(providers[label]), label)


class WorkFilterTest(SimpleTestCase):
    def test_an_item_without_the_field_does_not_match(self) -> None:
        item = WorkItem(source="x", kind="verify", title="t", url="/", agency_id=None, commune_id=7)
        self.assertTrue(WorkFilter(commune_id=7).admits(item))
        self.assertFalse(WorkFilter(agency_id=1).admits(item))
        self.assertIsNone(WorkFilter(agency_id=1).q(agency=None, commune="unit_id"))
        self.assertFalse(WorkFilter())


class QueuePlanTest(QueueCase):
    """The citizen reports' work items read each kind's oldest rows from an index, filtered or not (SQLite's plan;
    the 1,000,000-report figures are in docs/benchmarks.md)."""

    def plans(self, where: WorkFilter | None) -> list[str]:
        with CaptureQueriesContext(connection) as ctx:
            citizen_reports_work_items(user=self.operator, where=where)
        found = []
        with connection.cursor() as cursor:
            for query in ctx.captured_queries:
                if "citizen_reports_report" in query["sql"]:
                    cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
                    found.append(" ".join(str(row[3]) for row in cursor.fetchall()))
        return found

    def test_each_kind_seeks_an_index(self) -> None:
        if connection.vendor != "sqlite":
            self.skipTest("SQLite's planner")
        for where, indexes in (
            (None, ("reports_status_received_idx", "reports_locate_idx")),
            (WorkFilter(commune_id=self.mild.unit_id), ("reports_work_unit_idx", "reports_locate_unit_idx")),
        ):
            plans = self.plans(where)
            self.assertEqual(len(plans), 4)  # the operator's four kinds (approving is the leader's)
            for plan in plans:
                with self.subTest(where=where, plan=plan):
                    self.assertNotIn("SCAN citizen_reports_report", plan)
                    self.assertTrue(any(f"INDEX {name} " in plan for name in indexes), plan)
