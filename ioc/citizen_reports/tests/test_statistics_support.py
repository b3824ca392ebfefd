"""A small known dataset for the statistics tests (test_statistics_*.py): reports driven through the real services,
then their timestamps set on the model fields so each figure is known. No tests here.

    ref  channel  category   received (Asia/Ho_Chi_Minh)  agency  outcome
    r1   web      road       2025-03-10 09:00             A       published after 10 h, on time, rated 4
    r2   hotline  road       2025-03-31 23:30             A       published after 30 h, late, rated 2
    r3   web      sensitive  2025-04-01 00:30             —       rejected (March in UTC, April locally)
    r4   email    road       2025-04-15 10:00             A       forwarded, open past its deadline
    r5   web      road       2025-04-20 08:00             —       received only
    r6   web      road       2024-12-31 10:00             A       published: outside the range
    r7   web      road       2025-04-25 14:00             B       forwarded, deadline ahead
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.utils import timezone

from ioc.citizen_reports import services
from ioc.citizen_reports.models import Report
from ioc.citizen_reports.statistics import StatisticsRow
from ioc.citizen_reports.tests.test_staff_support import StaffMixin

VN = ZoneInfo("Asia/Ho_Chi_Minh")
START, END = dt.date(2025, 3, 1), dt.date(2025, 4, 30)


def local(year: int, month: int, day: int, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=VN)


class StatisticsData(StaffMixin):
    refs: dict[str, Report]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cache.clear()  # figures cached by an earlier class of this process must not answer here
        cls.refs = {}
        cls._published("r1", local(2025, 3, 10, 9, 0), hours=10, on_time=True, rating=4)
        cls._published("r2", local(2025, 3, 31, 23, 30), hours=30, on_time=False, rating=2, channel="hotline")
        r3 = cls._received("r3", local(2025, 4, 1, 0, 30), category=cls.sensitive)
        services.report_reject(report=r3, actor=cls.operator, reason="Ngoài phạm vi")
        r4 = cls._forwarded("r4", local(2025, 4, 15, 10, 0), channel="email")
        Report.objects.filter(pk=r4.pk).update(deadline_at=timezone.now() - dt.timedelta(days=1))
        cls._received("r5", local(2025, 4, 20, 8, 0))
        cls._published("r6", local(2024, 12, 31, 10, 0), hours=5, on_time=True, rating=5)
        r7 = cls._forwarded("r7", local(2025, 4, 25, 14, 0), agency=cls.agency_b)
        Report.objects.filter(pk=r7.pk).update(deadline_at=timezone.now() + dt.timedelta(days=3))

    @classmethod
    def _received(cls, ref: str, at: dt.datetime, **kw: Any) -> Report:
        report = StaffMixin.receive(cls, **kw)  # type: ignore[arg-type]  # the helpers only read class attributes
        Report.objects.filter(pk=report.pk).update(received_at=at)
        report.refresh_from_db()
        cls.refs[ref] = report
        return report

    @classmethod
    def _forwarded(cls, ref: str, at: dt.datetime, agency: Any = None, **kw: Any) -> Report:
        report = cls._received(ref, at, **kw)
        StaffMixin.forward(cls, report, agency=agency)  # type: ignore[arg-type]
        report.refresh_from_db()
        return report

    @classmethod
    def _published(cls, ref: str, at: dt.datetime, *, hours: float, on_time: bool, rating: int, **kw: Any) -> Report:
        report = StaffMixin.resolve(cls, cls._forwarded(ref, at, **kw))  # type: ignore[arg-type]
        services.report_publish(report=report, actor=cls.operator, result="Đã xử lý xong.")
        Report.objects.filter(pk=report.pk).update(
            published_at=at + dt.timedelta(hours=hours), handled_on_time=on_time, rating=rating
        )
        report.refresh_from_db()
        return report


def figures(row: StatisticsRow) -> tuple[object, ...]:
    return (
        row.received,
        row.verified,
        row.rejected,
        row.handled,
        row.on_time,
        row.overdue,
        row.avg_handling_hours,
        row.rating_avg,
        row.rating_count,
    )
