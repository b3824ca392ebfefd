"""R3.5: the figures of `citizen_reports_statistics` on a small known dataset (see test_statistics_support)."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ioc.citizen_reports import services
from ioc.citizen_reports.statistics import citizen_reports_statistics
from ioc.citizen_reports.tests.test_statistics_support import END, START, StatisticsData, figures


class StatisticsFiguresTest(StatisticsData, TestCase):
    def stats(self, group_by: str, user: object = None, start: dt.date = START, end: dt.date = END):
        return citizen_reports_statistics(user=user or self.operator, start=start, end=end, group_by=group_by)

    def test_it_counts_by_month_in_local_time(self) -> None:
        stats = self.stats("month")
        rows = {row.key: figures(row) for row in stats.rows}
        self.assertEqual(
            rows,
            {
                "202503": (2, 2, 0, 2, 1, 1, 20.0, 3.0, 2),  # r1, r2 (r2 late)
                "202504": (4, 2, 1, 0, 0, 1, None, None, 0),  # r3 rejected, r4 overdue, r5, r7
            },
        )
        self.assertEqual(figures(stats.totals), (6, 4, 1, 2, 1, 2, 20.0, 3.0, 2))
        self.assertEqual([row.label for row in stats.rows], ["03/2025", "04/2025"])

    def test_it_counts_by_week_and_day_with_empty_periods(self) -> None:
        weeks = self.stats("week")
        self.assertEqual(weeks.rows[0].key, "2025W9")  # the week of 1 March 2025 (a Saturday)
        by_week = {row.key: row.received for row in weeks.rows if row.received}
        self.assertEqual(by_week, {"2025W11": 1, "2025W14": 2, "2025W16": 2, "2025W17": 1})
        days = self.stats("day")
        self.assertEqual(len(days.rows), 61)
        by_day = {row.key: row.received for row in days.rows if row.received}
        self.assertEqual(
            by_day, {"20250310": 1, "20250331": 1, "20250401": 1, "20250415": 1, "20250420": 1, "20250425": 1}
        )

    def test_it_counts_by_agency_category_channel_and_commune(self) -> None:
        agency = {row.label: row.received for row in self.stats("agency").rows}
        self.assertEqual(
            agency, {self.agency_a.name: 3, self.agency_b.name: 1, "Chưa chuyển cơ quan / Not forwarded": 2}
        )
        category = {row.key: row.received for row in self.stats("category").rows}
        self.assertEqual(category, {str(self.road.pk): 5, str(self.sensitive.pk): 1})
        channel = {row.key: (row.label, row.received) for row in self.stats("channel").rows}
        self.assertEqual(
            channel,
            {"web": ("Cổng thông tin (web)", 4), "hotline": ("Đường dây nóng", 1), "email": ("Thư điện tử", 1)},
        )
        commune = self.stats("commune").rows
        self.assertEqual([(row.key, row.received) for row in commune], [(str(self.refs["r1"].unit_id), 6)])
        self.assertTrue(commune[0].label.startswith(("Phường", "Xã")))

    def test_it_limits_agency_roles_to_their_agency(self) -> None:
        officer_a = self.stats("month", user=self.officer_a)
        self.assertEqual(officer_a.totals.received, 3)  # r1, r2, r4
        officer_b = self.stats("agency", user=self.officer_b)
        self.assertEqual([(row.label, row.received) for row in officer_b.rows], [(self.agency_b.name, 1)])
        self.assertEqual(self.stats("month", user=self.citizen).totals.received, 0)

    def test_it_includes_both_ends_of_the_range(self) -> None:
        one_day = self.stats("day", start=dt.date(2025, 3, 31), end=dt.date(2025, 3, 31))
        self.assertEqual([row.received for row in one_day.rows], [1])  # r2 at 23:30, not r3 at 00:30 next day
        december = self.stats("month", start=dt.date(2024, 12, 1), end=dt.date(2024, 12, 31))
        self.assertEqual(figures(december.totals), (1, 1, 0, 1, 1, 0, 5.0, 5.0, 1))

    def test_it_answers_in_a_fixed_number_of_queries(self) -> None:
        now = timezone.now()
        for group_by, expected in (("month", 3), ("channel", 3), ("agency", 4), ("commune", 4), ("category", 4)):
            with CaptureQueriesContext(connection) as queries:
                citizen_reports_statistics(user=self.operator, start=START, end=END, group_by=group_by, now=now)
            # scope + the month cells' sums + open reports past their deadline (+ labels)
            self.assertEqual(len(queries.captured_queries), expected, group_by)
            cells = [q["sql"] for q in queries.captured_queries if 'FROM "citizen_reports_statisticscell"' in q["sql"]]
            self.assertEqual(len(cells), 1, group_by)  # March and April are whole months: month cells only
            self.assertIn("\"grain\" = 'm'", cells[0])
            live = [q["sql"] for q in queries.captured_queries if 'FROM "citizen_reports_report"' in q["sql"]]
            self.assertEqual(len(live), 1, group_by)
            self.assertIn('"closed_at" IS NULL', live[0])

    def test_it_serves_repeated_questions_from_the_cache_until_data_changes(self) -> None:
        first = self.stats("agency")
        with CaptureQueriesContext(connection) as queries:
            again = self.stats("agency")
        self.assertEqual(again, first)
        self.assertFalse([q for q in queries.captured_queries if "GROUP BY" in q["sql"]])  # scope + data version
        self.receive(category=self.road)  # a new report, received now (outside the range)
        services.report_reject(report=self.refs["r5"], actor=self.operator, reason="Không đúng sự thật")
        self.assertEqual(self.stats("agency").totals.rejected, first.totals.rejected + 1)
        self.assertEqual(self.stats("agency", user=self.officer_a).totals.received, 3)  # the scope is in the key

    def test_it_counts_open_reports_past_their_deadline_from_an_index_only(self) -> None:
        if connection.vendor != "sqlite":
            self.skipTest("PostgreSQL's planner decides from its statistics")
        with CaptureQueriesContext(connection) as queries:
            citizen_reports_statistics(user=self.operator, start=START, end=END, group_by="agency", now=timezone.now())
        live = next(q["sql"] for q in queries.captured_queries if 'FROM "citizen_reports_report"' in q["sql"])
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + live)
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
        self.assertIn("COVERING INDEX reports_open_deadline_idx", plan)
