"""Deadlines count working hours in Asia/Ho_Chi_Minh (R3.3, R4.3; DESIGN "Contracts": Working time)."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.test import SimpleTestCase

from ioc.worktime.choices import ExceptionKind
from ioc.worktime.selectors import WorkCalendar, deadline_add

VN = ZoneInfo("Asia/Ho_Chi_Minh")
OFFICE = WorkCalendar()


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=VN)


class DeadlineAddTest(SimpleTestCase):
    def test_it_lands_a_friday_afternoon_plus_8_hours_on_monday(self):
        # Fri 14:00–17:00 = 3 h, Mon 07:30–11:30 = 4 h, then 1 h after lunch.
        self.assertEqual(
            deadline_add(start=at("2026-03-06T14:00"), working_hours=8, calendar=OFFICE), at("2026-03-09T14:30")
        )

    def test_it_keeps_a_due_time_at_the_end_of_a_period_on_that_day(self):
        self.assertEqual(
            deadline_add(start=at("2026-03-09T07:30"), working_hours=7.5, calendar=OFFICE), at("2026-03-09T17:00")
        )
        self.assertEqual(
            deadline_add(start=at("2026-03-09T07:30"), working_hours=4, calendar=OFFICE), at("2026-03-09T11:30")
        )

    def test_it_starts_work_received_outside_hours_at_the_next_period(self):
        cases = [
            ("2026-03-09T06:00", 1, "2026-03-09T08:30"),  # before opening
            ("2026-03-09T12:00", 1, "2026-03-09T14:30"),  # at lunch
            ("2026-03-06T17:00", 0.5, "2026-03-09T08:00"),  # Friday closing time
            ("2026-03-07T10:00", 1, "2026-03-09T08:30"),  # Saturday
            ("2026-03-06T22:00", 4, "2026-03-09T11:30"),  # Friday night, a full morning
        ]
        for start, hours, due in cases:
            with self.subTest(start=start, hours=hours):
                self.assertEqual(deadline_add(start=at(start), working_hours=hours, calendar=OFFICE), at(due))

    def test_it_skips_tet_2026(self):
        # holidays.VN: 16–20/02/2026 off; with the weekends, Friday 13/02 continues on Monday 23/02.
        self.assertEqual(
            deadline_add(start=at("2026-02-13T13:30"), working_hours=8, calendar=OFFICE), at("2026-02-23T14:00")
        )

    def test_it_skips_an_administrators_extra_day_off(self):
        calendar = WorkCalendar(exceptions={dt.date(2026, 2, 23): ExceptionKind.DAY_OFF})
        self.assertEqual(
            deadline_add(start=at("2026-02-13T13:30"), working_hours=8, calendar=calendar), at("2026-02-24T14:00")
        )

    def test_it_skips_30_april_and_1_may(self):
        self.assertEqual(
            deadline_add(start=at("2026-04-29T16:00"), working_hours=2, calendar=OFFICE), at("2026-05-04T08:30")
        )

    def test_it_skips_national_day_and_its_bridge_day(self):
        # 31/08/2026 is the day off swapped with Saturday 22/08; 01–02/09 are National Day.
        self.assertEqual(
            deadline_add(start=at("2026-08-28T17:00"), working_hours=1, calendar=OFFICE), at("2026-09-03T08:30")
        )

    def test_it_counts_a_compensatory_saturday(self):
        # Saturday 22/08/2026 is a working day in holidays.VN (swapped with 31/08).
        self.assertEqual(
            deadline_add(start=at("2026-08-21T16:00"), working_hours=4, calendar=OFFICE), at("2026-08-22T10:30")
        )
        calendar = WorkCalendar(exceptions={dt.date(2026, 3, 7): ExceptionKind.WORKING_DAY})
        self.assertEqual(
            deadline_add(start=at("2026-03-06T16:00"), working_hours=2, calendar=calendar), at("2026-03-07T08:30")
        )

    def test_it_adds_plain_hours_on_a_24_7_calendar(self):
        calendar = WorkCalendar(around_the_clock=True)
        self.assertEqual(
            deadline_add(start=at("2026-02-13T20:00"), working_hours=48, calendar=calendar), at("2026-02-15T20:00")
        )

    def test_it_uses_local_day_boundaries_for_a_utc_start(self):
        # 07:00 UTC is 14:00 in Hà Nội (UTC+7 all year, no daylight saving).
        start = dt.datetime(2026, 3, 6, 7, 0, tzinfo=dt.UTC)
        due = deadline_add(start=start, working_hours=8, calendar=OFFICE)
        self.assertEqual(due, dt.datetime(2026, 3, 9, 7, 30, tzinfo=dt.UTC))
        self.assertEqual(due.utcoffset(), dt.timedelta(hours=7))
        july = deadline_add(start=dt.datetime(2026, 7, 1, 0, 30, tzinfo=dt.UTC), working_hours=1, calendar=OFFICE)
        self.assertEqual(july, at("2026-07-01T08:30"))
        self.assertEqual(july.utcoffset(), dt.timedelta(hours=7))

    def test_it_uses_an_agencys_own_periods(self):
        calendar = WorkCalendar(periods=((dt.time(8, 0), dt.time(12, 0)), (dt.time(13, 0), dt.time(17, 0))))
        self.assertEqual(
            deadline_add(start=at("2026-03-09T08:00"), working_hours=5, calendar=calendar), at("2026-03-09T14:00")
        )

    def test_it_refuses_negative_hours_and_naive_datetimes(self):
        with self.assertRaises(ValueError):
            deadline_add(start=at("2026-03-09T08:00"), working_hours=-1, calendar=OFFICE)
        with self.assertRaises(ValueError):
            deadline_add(start=dt.datetime(2026, 3, 9, 8, 0), working_hours=1, calendar=OFFICE)

    def test_it_refuses_overlapping_periods(self):
        with self.assertRaises(ValueError):
            WorkCalendar(periods=((dt.time(8, 0), dt.time(12, 0)), (dt.time(11, 0), dt.time(17, 0))))
