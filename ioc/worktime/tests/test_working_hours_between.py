"""Working hours elapsed, for "80 % of the time used" at-risk checks (R3.3, R4.3)."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.test import SimpleTestCase

from ioc.worktime.selectors import WorkCalendar, deadline_add, working_hours_between

VN = ZoneInfo("Asia/Ho_Chi_Minh")
OFFICE = WorkCalendar()


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=VN)


class WorkingHoursBetweenTest(SimpleTestCase):
    def test_it_counts_only_working_periods(self):
        self.assertEqual(
            working_hours_between(start=at("2026-03-06T14:00"), end=at("2026-03-09T14:30"), calendar=OFFICE), 8.0
        )
        self.assertEqual(
            working_hours_between(start=at("2026-03-09T11:00"), end=at("2026-03-09T14:00"), calendar=OFFICE), 1.0
        )
        self.assertEqual(
            working_hours_between(start=at("2026-02-15T00:00"), end=at("2026-02-22T23:00"), calendar=OFFICE), 0.0
        )

    def test_it_answers_zero_when_end_is_not_after_start(self):
        self.assertEqual(
            working_hours_between(start=at("2026-03-09T14:00"), end=at("2026-03-09T09:00"), calendar=OFFICE), 0.0
        )

    def test_it_is_the_inverse_of_deadline_add(self):
        starts = [at("2026-02-12T09:15"), at("2026-04-29T16:00"), at("2026-08-21T12:10"), at("2026-12-31T17:30")]
        for start in starts:
            for hours in (0.25, 1, 3.5, 8, 16, 40, 120):
                with self.subTest(start=start, hours=hours):
                    due = deadline_add(start=start, working_hours=hours, calendar=OFFICE)
                    self.assertAlmostEqual(working_hours_between(start=start, end=due, calendar=OFFICE), hours)

    def test_it_counts_plain_hours_on_a_24_7_calendar(self):
        calendar = WorkCalendar(around_the_clock=True)
        self.assertEqual(
            working_hours_between(start=at("2026-02-16T00:00"), end=at("2026-02-17T06:00"), calendar=calendar), 30.0
        )

    def test_it_tells_when_80_percent_of_the_time_is_used(self):
        start = at("2026-03-06T14:00")
        due = deadline_add(start=start, working_hours=8, calendar=OFFICE)
        used = working_hours_between(start=start, end=at("2026-03-09T10:00"), calendar=OFFICE) / 8
        self.assertLess(used, 0.8)
        used = working_hours_between(start=start, end=at("2026-03-09T11:00"), calendar=OFFICE) / 8
        self.assertGreaterEqual(used, 0.8)
        self.assertGreater(due, at("2026-03-09T14:00"))
