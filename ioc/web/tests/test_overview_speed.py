"""Issue 20 "Speed": the overview's figures kept per user and language — fresh for IOC_OVERVIEW_CACHE_SECONDS, then
recomputed by the one request that claims it while the others answer the previous figures (no stampede) — and
today's reports counted from an index seek, not a scan (SQLite's plan)."""

from __future__ import annotations

import datetime as dt
from unittest import mock

from django.core.cache import cache
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ioc.citizen_reports.tests.test_core_support import CoreMixin
from ioc.web import overview


@override_settings(IOC_OVERVIEW_CACHE_SECONDS=2, CITIZEN_REPORTS_STATISTICS_CACHE_SECONDS=0)
class OverviewCacheTest(CoreMixin, TestCase):
    def setUp(self):
        super().setUp()
        cache.clear()
        self.clock = 1_000_000.0
        patcher = mock.patch.object(overview.time, "time", side_effect=lambda: self.clock)
        patcher.start()
        self.addCleanup(patcher.stop)

    def today(self, figures):
        return figures["reports"]["today"]

    def test_fresh_figures_are_answered_without_recomputing(self):
        first, version = overview.overview_cached(user=self.operator)
        self.receive()
        self.clock += 1.9
        again, same = overview.overview_cached(user=self.operator)
        self.assertEqual((self.today(again), same), (self.today(first), version))

    def test_stale_figures_are_recomputed_by_the_first_request(self):
        first, version = overview.overview_cached(user=self.operator)
        self.receive()
        self.clock += 2.1
        fresh, moved = overview.overview_cached(user=self.operator)
        self.assertEqual(self.today(fresh), self.today(first) + 1)
        self.assertNotEqual(moved, version)

    def test_while_another_request_recomputes_the_previous_figures_are_answered(self):
        first, version = overview.overview_cached(user=self.operator)
        self.receive()
        self.clock += 2.1
        key = overview.cache_key(user=self.operator)
        self.assertTrue(cache.add(f"{key}:recompute", 1, 10))  # a request in another worker holds the claim
        stale, same = overview.overview_cached(user=self.operator)
        self.assertEqual((self.today(stale), same), (self.today(first), version))
        cache.delete(f"{key}:recompute")  # it finished without storing (its worker died): the next one recomputes
        fresh, moved = overview.overview_cached(user=self.operator)
        self.assertEqual(self.today(fresh), self.today(first) + 1)
        self.assertNotEqual(moved, version)
        self.assertIsNone(cache.get(f"{key}:recompute"), "the claim is released")

    def test_each_user_has_figures_of_their_own_scope(self):
        self.receive()  # routed to agency A
        self.assertEqual(self.today(overview.overview_cached(user=self.operator)[0]), 1)
        self.assertEqual(self.today(overview.overview_cached(user=self.officer_b)[0]), 0)

    @override_settings(IOC_OVERVIEW_CACHE_SECONDS=0)
    def test_no_cache_recomputes_every_time(self):
        first, _version = overview.overview_cached(user=self.operator)
        self.receive()
        self.assertEqual(self.today(overview.overview_cached(user=self.operator)[0]), self.today(first) + 1)


class TodayPlanTest(CoreMixin, TestCase):
    def test_todays_reports_by_status_seek_the_status_index(self):
        if connection.vendor != "sqlite":
            self.skipTest("SQLite's planner")
        self.receive()
        with CaptureQueriesContext(connection) as ctx:
            figures = overview.reports_figures(user=self.operator, now=timezone.now())
        self.assertEqual(figures["today"], 1)
        today = [q["sql"] for q in ctx.captured_queries if 'COUNT("citizen_reports_report"."id")' in q["sql"]]
        self.assertEqual(len(today), 1, [q["sql"] for q in ctx.captured_queries])
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + today[0])
            plan = " ".join(str(row[3]) for row in cursor.fetchall())
        self.assertNotIn("SCAN citizen_reports_report", plan)
        self.assertIn("INDEX reports_status_received_idx (status=? AND received_at>?)", plan)


@override_settings(CITIZEN_REPORTS_STATISTICS_CACHE_SECONDS=0)
class RangesTest(CoreMixin, TestCase):
    def test_seven_and_thirty_days_equal_the_statistics_of_each_range(self):
        from ioc.citizen_reports.models import Report
        from ioc.citizen_reports.statistics import citizen_reports_statistics

        old = self.receive().report
        self.receive()
        Report.objects.filter(pk=old.pk).update(received_at=timezone.now() - dt.timedelta(days=10))
        now = timezone.now()
        figures = overview.reports_figures(user=self.operator, now=now)
        today = timezone.localtime(now).date()
        for days in (7, 30):
            totals = citizen_reports_statistics(
                user=self.operator, start=today - dt.timedelta(days=days - 1), end=today, group_by="channel"
            ).totals
            expected = {"received": totals.received, "handled": totals.handled, "overdue": totals.overdue}
            self.assertEqual(figures[f"d{days}"], expected)
        self.assertEqual((figures["d7"]["received"], figures["d30"]["received"]), (1, 2))
