"""The national calendar comes from holidays.VN, Tết by the lunar calendar (R3.3, R4.3)."""

import datetime as dt

from django.test import SimpleTestCase

from ioc.worktime.choices import ExceptionKind
from ioc.worktime.selectors import WorkCalendar, is_working_day, next_working_day, statutory_year

OFFICE = WorkCalendar()


class HolidaysTest(SimpleTestCase):
    def test_it_knows_the_2026_statutory_days_off(self):
        days_off, workdays = statutory_year(2026)
        expected = {dt.date(2026, 2, d) for d in range(16, 21)} | {
            dt.date(2026, 1, 1),
            dt.date(2026, 4, 27),  # Hùng Kings (26/04 is a Sunday)
            dt.date(2026, 4, 30),
            dt.date(2026, 5, 1),
            dt.date(2026, 8, 31),
            dt.date(2026, 9, 1),
            dt.date(2026, 9, 2),
        }
        self.assertLessEqual(expected, days_off)
        self.assertEqual(workdays, {dt.date(2026, 8, 22)})

    def test_it_follows_the_lunar_calendar_for_tet(self):
        self.assertFalse(is_working_day(dt.date(2025, 1, 29), OFFICE))  # mùng 1 Tết Ất Tỵ
        self.assertFalse(is_working_day(dt.date(2026, 2, 17), OFFICE))  # mùng 1 Tết Bính Ngọ
        self.assertTrue(is_working_day(dt.date(2026, 1, 29), OFFICE))

    def test_it_treats_weekends_as_days_off_and_compensatory_saturdays_as_working(self):
        self.assertFalse(is_working_day(dt.date(2026, 3, 7), OFFICE))
        self.assertFalse(is_working_day(dt.date(2026, 3, 8), OFFICE))
        self.assertTrue(is_working_day(dt.date(2026, 8, 22), OFFICE))

    def test_it_lets_an_exception_override_the_national_calendar(self):
        calendar = WorkCalendar(
            exceptions={dt.date(2026, 3, 7): ExceptionKind.WORKING_DAY, dt.date(2026, 3, 9): ExceptionKind.DAY_OFF}
        )
        self.assertTrue(is_working_day(dt.date(2026, 3, 7), calendar))
        self.assertFalse(is_working_day(dt.date(2026, 3, 9), calendar))
        self.assertEqual(next_working_day(dt.date(2026, 3, 6), calendar), dt.date(2026, 3, 7))
        self.assertEqual(next_working_day(dt.date(2026, 3, 7), calendar), dt.date(2026, 3, 10))

    def test_it_counts_every_day_on_a_24_7_calendar(self):
        calendar = WorkCalendar(around_the_clock=True)
        self.assertTrue(is_working_day(dt.date(2026, 2, 17), calendar))
        self.assertTrue(is_working_day(dt.date(2026, 3, 8), calendar))
