"""R3.5: the statistics cells (rollup.py) follow every write to the reports, and the figures read from them equal a
plain count over the reports, whatever the range (whole months, days at the edges, a single day)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal
from django.db import IntegrityError, connection, transaction
from django.test import TestCase
from django.utils import timezone

from ioc.citizen_reports import services
from ioc.citizen_reports.choices import OPEN_STATUSES
from ioc.citizen_reports.models import Report, StatisticsCell
from ioc.citizen_reports.rollup import MEASURES, cells_ensure, cells_rebuild, triggers_current, triggers_drop
from ioc.citizen_reports.statistics import GROUP_BY_CHOICES, cell_parts, citizen_reports_statistics, period_id
from ioc.citizen_reports.tests.test_statistics_support import VN, StatisticsData, figures

RANGES = (
    (dt.date(2025, 3, 1), dt.date(2025, 4, 30)),  # whole months
    (dt.date(2025, 3, 10), dt.date(2025, 4, 15)),  # days only: no whole month inside
    (dt.date(2024, 12, 15), dt.date(2025, 4, 21)),  # days, three whole months, days
    (dt.date(2025, 3, 31), dt.date(2025, 3, 31)),  # one day
)


def cells() -> list[tuple[Any, ...]]:
    """Every non-empty cell (a cell a report moved out of stays, with zeros)."""
    key = ("grain", "day", "agency_id", "category_id", "unit_id", "channel")
    rows = StatisticsCell.objects.order_by(*key).values_list(*key, *MEASURES)
    return [row for row in rows if any(row[len(key) :])]


def group_of(report: Report, group_by: str) -> str:
    day = timezone.localtime(report.received_at, VN).date()
    if group_by in ("month", "week", "day"):
        start = {"month": day.replace(day=1), "week": day - dt.timedelta(days=day.weekday()), "day": day}[group_by]
        return period_id(group_by, start)
    value = {"agency": report.agency_id, "category": report.category_id, "commune": report.unit_id}.get(
        group_by, report.channel
    )
    return "" if value is None else str(value)


def oracle(start: dt.date, end: dt.date, group_by: str, now: dt.datetime) -> dict[str, tuple[Any, ...]]:
    """The figures counted one report at a time in Python, as statistics.py's docstring defines them."""
    groups: dict[str, list[Report]] = {}
    for report in Report.objects.all():
        if start <= timezone.localtime(report.received_at, VN).date() <= end:
            groups.setdefault(group_of(report, group_by), []).append(report)
    found = {}
    for key, reports in groups.items():
        handled = [r for r in reports if r.published_at is not None]
        rated = [r.rating for r in reports if r.rating is not None]
        open_late = [r for r in reports if r.status in OPEN_STATUSES and r.deadline_at and r.deadline_at < now]
        # whole seconds, as the cells keep them
        hours = [round((r.published_at - r.received_at).total_seconds()) / 3600 for r in handled if r.published_at]
        found[key] = (
            len(reports),
            sum(r.verified_at is not None for r in reports),
            sum(r.status == "rejected" for r in reports),
            len(handled),
            sum(r.handled_on_time is True for r in handled),
            len(open_late) + sum(r.handled_on_time is False for r in handled),
            round(sum(hours) / len(hours), 2) if hours else None,
            round(sum(rated) / len(rated), 2) if rated else None,
            len(rated),
        )
    return found


class StatisticsCellsTest(StatisticsData, TestCase):
    def today(self) -> Any:
        day = timezone.localdate()
        stats = citizen_reports_statistics(user=self.operator, start=day, end=day, group_by="day", now=timezone.now())
        return stats.totals

    def assert_figures_match_the_reports(self) -> None:
        now = timezone.now()
        for start, end in RANGES:
            for group_by in GROUP_BY_CHOICES:
                stats = citizen_reports_statistics(user=self.operator, start=start, end=end, group_by=group_by, now=now)
                shown = {row.key: figures(row) for row in stats.rows if row.received}
                self.assertEqual(shown, oracle(start, end, group_by, now), (start, end, group_by))

    def test_the_figures_equal_a_count_over_the_reports_for_every_range_and_grouping(self) -> None:
        self.assert_figures_match_the_reports()

    def test_the_cells_equal_a_rebuild_after_services_and_direct_updates(self) -> None:
        # setUpTestData moved timestamps with .update(): the triggers followed. Now more writes of each kind.
        r1 = self.refs["r1"]
        received = self.receive(category=self.road)
        services.report_verify(report=received, actor=self.operator)
        services.report_reject(report=self.refs["r5"], actor=self.operator, reason="Không đúng sự thật")
        Report.objects.filter(pk=r1.pk).update(rating=None)
        Report.objects.filter(pk=self.refs["r2"].pk).update(unit=None)  # each watched column on its own
        Report.objects.filter(pk=self.refs["r6"].pk).update(channel="email")
        Report.objects.filter(pk=self.refs["r7"].pk).update(agency=self.agency_a)
        Report.objects.filter(pk=self.refs["r4"].pk).update(category=self.sensitive)
        kept = cells()
        self.assertEqual(cells_rebuild(), StatisticsCell.objects.count())
        self.assertEqual(cells(), kept)
        self.assert_figures_match_the_reports()

    def test_rating_and_reopening_move_the_figures(self) -> None:
        report = self.resolve(self.forward(self.receive(category=self.road)))
        services.report_publish(report=report, actor=self.operator, result="Đã thay bóng đèn.")
        before = self.today()
        self.assertEqual((before.handled, before.rating_count), (1, 0))
        Report.objects.filter(pk=report.pk).update(rating=5)
        self.assertEqual((self.today().rating_count, self.today().rating_avg), (1, 5.0))
        Report.objects.filter(pk=report.pk).update(status="in_progress", published_at=None, closed_at=None)
        self.assertEqual((self.today().handled, self.today().avg_handling_hours), (0, None))
        self.assert_figures_match_the_reports()

    def test_whole_months_come_from_month_cells_and_the_edges_from_day_cells(self) -> None:
        d = dt.date
        self.assertEqual(
            cell_parts(d(2024, 12, 15), d(2025, 4, 21), "agency"),
            [
                ("d", d(2024, 12, 15), d(2024, 12, 31)),
                ("m", d(2025, 1, 1), d(2025, 3, 31)),
                ("d", d(2025, 4, 1), d(2025, 4, 21)),
            ],
        )
        self.assertEqual(cell_parts(d(2025, 3, 1), d(2025, 4, 30), "month"), [("m", d(2025, 3, 1), d(2025, 4, 30))])
        self.assertEqual(cell_parts(d(2025, 3, 2), d(2025, 3, 30), "month"), [("d", d(2025, 3, 2), d(2025, 3, 30))])
        self.assertEqual(cell_parts(d(2025, 1, 1), d(2025, 12, 31), "week"), [("d", d(2025, 1, 1), d(2025, 12, 31))])

    def test_an_open_report_cannot_have_a_closing_time(self) -> None:
        with self.assertRaises(IntegrityError), transaction.atomic():
            Report.objects.filter(pk=self.refs["r4"].pk).update(closed_at=timezone.now())

    def test_migrate_puts_back_missing_triggers_and_rebuilds_the_cells(self) -> None:
        kept = cells()
        triggers_drop()
        self.assertFalse(triggers_current())
        Report.objects.filter(pk=self.refs["r1"].pk).update(rating=1)  # not followed while the triggers are gone
        emit_post_migrate_signal(verbosity=0, interactive=False, db="default")  # what every `migrate` ends with
        self.assertTrue(triggers_current())
        self.assertNotEqual(cells(), kept)
        self.assert_figures_match_the_reports()
        self.assertFalse(cells_ensure())  # nothing to do the second time

    def test_the_cells_are_one_btree_on_sqlite(self) -> None:
        if connection.vendor != "sqlite":
            self.skipTest("SQLite's table layout")
        with connection.cursor() as cursor:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [StatisticsCell._meta.db_table])
            self.assertTrue(cursor.fetchone()[0].endswith("WITHOUT ROWID"))  # a migration that rebuilt it lost it

    def test_the_rebuild_command_reports_the_cells(self) -> None:
        from io import StringIO

        out = StringIO()
        call_command("reports_rebuild_statistics", stdout=out)
        self.assertIn(str(StatisticsCell.objects.count()), out.getvalue())
