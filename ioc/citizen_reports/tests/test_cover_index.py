"""Issue 20 "Speed" on PostgreSQL: the map's counts in an area, the cells of a view and the selection's members read
`reports_cell_cover_idx` alone (Index Only Scan). A PostgreSQL index entry holds no primary key, so the index
includes `id` (migration 0007); without it each of these statements fetched every row it counted from the table
(1,000,000 reports: a 0.3–3 km radius selection cost PostgreSQL 15.5–16.5 ms of CPU, 7.5–8.0 ms with it)."""

from __future__ import annotations

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from ioc.citizen_reports.selectors.maps import (
    citizen_reports_cell_counts,
    citizen_reports_counts_in_area,
    citizen_reports_ids_in_cells,
)
from ioc.citizen_reports.tests.test_core_support import CoreMixin, point_in
from ioc.geo.selectors import area_from_circle, area_full_cells, bbox_cells


class CoverIndexTest(CoreMixin, TestCase):
    def setUp(self) -> None:
        for _i in range(3):
            self.receive()
        self.lat, self.lon = point_in()
        if connection.vendor != "postgresql":
            self.skipTest("PostgreSQL's index-only scans (SQLite's index entries hold the rowid: test_speed in maps)")

    def report_statements(self, call) -> list[str]:
        with CaptureQueriesContext(connection) as ctx:
            answer = call()
        self.assertTrue(answer)  # each call finds the reports: its statement is the one that counts them
        return [q["sql"] for q in ctx.captured_queries if 'FROM "citizen_reports_report"' in q["sql"]]

    def plans(self, sqls: list[str]) -> list[str]:
        """Each statement's plan with the covering index the only one left to read (three reports would otherwise
        be read by a sequential scan or another index; the drops are rolled back with the test's transaction).
        PostgreSQL plans an index that holds every column a statement needs as an Index Only Scan, else as an
        Index Scan that fetches the rows: the plan says whether the index alone can answer."""
        plans = []
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = 'citizen_reports_report'::regclass"
                " AND indexrelid::regclass::text <> 'reports_cell_cover_idx'"
                " AND indexrelid NOT IN (SELECT conindid FROM pg_constraint)"
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f'DROP INDEX "{name}"')
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            for sql in sqls:
                cursor.execute("EXPLAIN " + sql)
                plans.append("\n".join(row[0] for row in cursor.fetchall()))
        return plans

    def test_the_index_includes_the_primary_key(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'reports_cell_cover_idx'")
            (definition,) = cursor.fetchone()
        self.assertIn("INCLUDE (id)", definition)

    def test_counts_cells_and_members_are_index_only_scans(self) -> None:
        area = area_from_circle(self.lat, self.lon, 2500)
        box = area.bbox
        cells = bbox_cells(box) or []
        self.assertTrue(area_full_cells(area))
        sqls = [
            *self.report_statements(lambda: citizen_reports_counts_in_area(user=self.operator, area=area)["total"]),
            *self.report_statements(lambda: citizen_reports_cell_counts(user=self.operator, bbox=box, zoom=10)),
            *self.report_statements(lambda: citizen_reports_ids_in_cells(user=self.operator, cells=cells)),
        ]
        self.assertGreaterEqual(len(sqls), 3)
        for sql, plan in zip(sqls, self.plans(sqls), strict=True):
            with self.subTest(sql=sql[:120]):
                self.assertIn("Index Only Scan using reports_cell_cover_idx", plan)
