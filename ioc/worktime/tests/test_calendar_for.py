"""The calendar of an agency: exceptions, default or own working hours, 24/7 (R3.3, R4.3)."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.test import TestCase

from ioc.accounts.models import User
from ioc.accounts.testing import system_actor
from ioc.agencies.models import Agency
from ioc.worktime import services
from ioc.worktime.choices import ExceptionKind
from ioc.worktime.selectors import DEFAULT_PERIODS, calendar_cached, calendar_for, deadline_add, is_working_day

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=VN)


class CalendarForTest(TestCase):
    admin: User
    department: Agency
    police: Agency

    @classmethod
    def setUpTestData(cls):
        cls.admin = system_actor()  # a system administrator (R7.1)
        cls.department = Agency.objects.create(code="so-xay-dung", name="Sở Xây dựng")
        cls.police = Agency.objects.create(code="cong-an", name="Công an tỉnh", works_24x7=True)

    def test_it_uses_the_built_in_hours_without_rows(self):
        calendar = calendar_for()
        self.assertEqual(calendar.periods, DEFAULT_PERIODS)
        self.assertFalse(calendar.around_the_clock)
        self.assertEqual(calendar.hours_per_day, 7.5)

    def test_it_applies_the_exceptions_table(self):
        services.calendar_exception_add(
            actor=self.admin,
            day=dt.date(2026, 2, 23),
            kind=ExceptionKind.DAY_OFF,
            name="Nghỉ thêm sau Tết",
            document_ref="Thông báo 12/TB-UBND ngày 10/02/2026",
        )
        services.calendar_exception_add(
            actor=self.admin,
            day=dt.date(2026, 3, 7),
            kind=ExceptionKind.WORKING_DAY,
            name="Làm bù",
            document_ref="Thông báo 13/TB-UBND ngày 10/02/2026",
        )
        calendar = calendar_for(agency=self.department)
        self.assertFalse(is_working_day(dt.date(2026, 2, 23), calendar))
        self.assertTrue(is_working_day(dt.date(2026, 3, 7), calendar))
        self.assertEqual(
            deadline_add(start=at("2026-02-13T13:30"), working_hours=8, calendar=calendar), at("2026-02-24T14:00")
        )

    def test_it_prefers_the_agencys_row_over_the_default_row(self):
        services.agency_working_hours_set(
            actor=self.admin,
            agency=None,
            morning_start=dt.time(7, 0),
            morning_end=dt.time(11, 0),
            afternoon_start=dt.time(13, 0),
            afternoon_end=dt.time(16, 30),
        )
        services.agency_working_hours_set(
            actor=self.admin,
            agency=self.department,
            morning_start=dt.time(8, 0),
            morning_end=dt.time(12, 0),
            afternoon_start=dt.time(13, 0),
            afternoon_end=dt.time(17, 0),
        )
        other = Agency.objects.create(code="so-y-te", name="Sở Y tế")
        self.assertEqual(calendar_for(agency=self.department).periods[0], (dt.time(8, 0), dt.time(12, 0)))
        self.assertEqual(calendar_for(agency=other).periods[0], (dt.time(7, 0), dt.time(11, 0)))
        self.assertEqual(calendar_for().periods[1], (dt.time(13, 0), dt.time(16, 30)))

    def test_it_counts_24_7_for_police_fire_and_health(self):
        self.assertTrue(calendar_for(agency=self.police).around_the_clock)
        services.agency_working_hours_set(
            actor=self.admin,
            agency=self.department,
            morning_start=dt.time(7, 30),
            morning_end=dt.time(11, 30),
            afternoon_start=dt.time(13, 30),
            afternoon_end=dt.time(17, 0),
            around_the_clock=True,
        )
        calendar = calendar_for(agency=self.department)
        self.assertEqual(
            deadline_add(start=at("2026-02-16T22:00"), working_hours=3, calendar=calendar), at("2026-02-17T01:00")
        )

    def test_it_costs_two_queries(self):
        with self.assertNumQueries(2):
            calendar_for(agency=self.department)

    def test_the_cached_calendar_reads_once_and_follows_the_services(self):
        """`calendar_cached` (issue 23 "Speed"): no query once loaded; a change through the services is seen at
        once in this process (the others: within RefCache's recheck)."""
        first = calendar_cached(agency=self.department)
        with self.assertNumQueries(0):
            self.assertIs(calendar_cached(agency=self.department), first)
        services.calendar_exception_add(
            actor=self.admin,
            day=dt.date(2026, 2, 23),
            kind=ExceptionKind.DAY_OFF,
            name="Nghỉ thêm sau Tết",
            document_ref="Thông báo 12/TB-UBND ngày 10/02/2026",
        )
        self.assertFalse(is_working_day(dt.date(2026, 2, 23), calendar_cached(agency=self.department)))
        services.agency_working_hours_set(
            actor=self.admin,
            agency=self.department,
            morning_start=dt.time(8, 0),
            morning_end=dt.time(12, 0),
            afternoon_start=dt.time(13, 0),
            afternoon_end=dt.time(17, 0),
        )
        self.assertEqual(calendar_cached(agency=self.department).periods[0], (dt.time(8, 0), dt.time(12, 0)))
        self.assertTrue(calendar_cached(agency=self.police).around_the_clock)
        self.assertEqual(calendar_cached().periods, DEFAULT_PERIODS)
