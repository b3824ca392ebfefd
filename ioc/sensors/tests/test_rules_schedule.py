"""R4.1 on a frozen clock: recurring maintenance windows (a daily or weekly slot in Asia/Ho_Chi_Minh wall time, no
DST) mute the rules and sources they match only inside their slots — across a whole week, and across midnight,
where the local day is not the UTC day; a state fired in a slot reaches the inbox at the first sweep after it;
a bad schedule is refused naming the field, nothing written; the API takes the schedule."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase, TestCase

from ioc.common.testing import frozen
from ioc.sensors.models import Silence
from ioc.sensors.rules_index import in_schedule
from ioc.sensors.services import rules_sweep, silence_create
from ioc.sensors.tests.rules_support import T0, RuleWorld, minutes

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MON, TUE, SUN = 0, 1, 6


def local(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """Local wall time in the week of Monday 14 July 2025 (day 0 Monday … 6 Sunday, 7 the next Monday)."""
    return dt.datetime(2025, 7, 14, hour, minute, tzinfo=VN) + dt.timedelta(days=day)


class ScheduleTest(SimpleTestCase):
    def test_a_weekday_slot_holds_on_those_days_only_across_a_week(self) -> None:
        office_nights = ([MON, TUE, 2, 3, 4], dt.time(1), dt.time(3))  # Monday–Friday, 01:00–03:00
        muted = [
            (day, hour)
            for day in range(7)
            for hour in range(24)
            if in_schedule(local(day, hour, 30).astimezone(dt.UTC), *office_nights)
        ]
        self.assertEqual(muted, [(day, hour) for day in range(5) for hour in (1, 2)])

    def test_a_slot_past_midnight_runs_into_the_next_local_day(self) -> None:
        sunday_night = ([SUN], dt.time(22), dt.time(2))
        self.assertTrue(in_schedule(local(6, 22, 0), *sunday_night))
        self.assertTrue(in_schedule(local(6, 23, 30), *sunday_night))
        self.assertTrue(in_schedule(local(7, 1, 59), *sunday_night))  # Monday morning: the Sunday slot goes on
        self.assertFalse(in_schedule(local(7, 2, 0), *sunday_night))  # the end is excluded
        self.assertFalse(in_schedule(local(6, 21, 59), *sunday_night))
        self.assertTrue(in_schedule(local(0, 1, 0), *sunday_night))  # Monday 14 July 01:00: Sunday 13 July's slot
        self.assertFalse(in_schedule(local(1, 1, 0), *sunday_night))  # Tuesday 01:00: Monday is not listed
        self.assertFalse(in_schedule(local(5, 23, 30), *sunday_night))  # Saturday night

    def test_days_are_judged_in_vietnam_time_not_utc(self) -> None:
        monday_morning = ([MON], dt.time(0), dt.time(8))
        utc_sunday_evening = dt.datetime(2025, 7, 20, 18, 30, tzinfo=dt.UTC)  # Monday 21 July 01:30 in Vietnam
        self.assertTrue(in_schedule(utc_sunday_evening, *monday_morning))
        utc_monday_morning = dt.datetime(2025, 7, 21, 2, 0, tzinfo=dt.UTC)  # Monday 09:00 in Vietnam: after the slot
        self.assertFalse(in_schedule(utc_monday_morning, *monday_morning))
        every_night: tuple[list[int], dt.time, dt.time] = ([], dt.time(23), dt.time(1))
        self.assertTrue(in_schedule(dt.datetime(2025, 7, 16, 16, 30, tzinfo=dt.UTC), *every_night))  # 23:30 local
        self.assertFalse(in_schedule(dt.datetime(2025, 7, 16, 23, 30, tzinfo=dt.UTC), *every_night))  # 06:30 local

    def test_without_daily_times_the_whole_window_holds(self) -> None:
        self.assertTrue(in_schedule(local(3, 12), [], None, None))


class RecurringWindowTest(RuleWorld, TestCase):
    def window(self, **fields: Any) -> Silence:
        data: dict[str, Any] = {
            "kind": "maintenance",
            "matchers": {"thing": str(self.stream.thing_id)},
            "starts_at": T0 - dt.timedelta(days=1),
            "ends_at": T0 + dt.timedelta(days=30),
            "reason": "Bảo trì định kỳ trạm đo",
            "weekdays": [MON],
            "daily_start": dt.time(14),
            "daily_end": dt.time(16),
            **fields,
        }
        with frozen(T0 - dt.timedelta(days=1)):
            return silence_create(actor=self.operator, **data)

    def test_a_weekly_window_of_a_source_mutes_it_in_the_slot_and_hands_over_after_it(self) -> None:
        self.rule()
        self.window()  # Mondays 14:00–16:00 Vietnam time; T0 is Monday 15:00 there
        self.read(minutes(0), 80)
        self.assertEqual(self.states(), [("firing", "threshold")])
        self.assertEqual(self.alerts(), [])
        with frozen(minutes(30)):
            self.assertEqual(rules_sweep(now=minutes(30))["unsilenced"], 0)  # 15:30: still in the slot
        with frozen(minutes(61)):
            self.assertEqual(rules_sweep(now=minutes(61))["unsilenced"], 1)  # 16:01: the slot has ended
        self.assertEqual([a[1] for a in self.alerts()], ["new"])

    def test_outside_the_listed_days_the_source_alerts_at_once(self) -> None:
        self.rule()
        self.window()
        tuesday = minutes(24 * 60)  # Tuesday 15:00 Vietnam time
        self.read(tuesday, 80)
        self.assertEqual(len(self.alerts()), 1)

    def test_a_nightly_window_of_a_rule_mutes_past_local_midnight(self) -> None:
        self.rule()
        self.window(matchers={"rule": "pm25-test"}, weekdays=[], daily_start=dt.time(23), daily_end=dt.time(1))
        half_past_midnight = dt.datetime(2025, 7, 14, 17, 30, tzinfo=dt.UTC)  # Tuesday 00:30 in Vietnam
        self.read(half_past_midnight, 80)
        self.assertEqual(self.alerts(), [])
        with frozen(half_past_midnight + dt.timedelta(minutes=31)):  # 01:01 local
            rules_sweep(now=half_past_midnight + dt.timedelta(minutes=31))
        self.assertEqual(len(self.alerts()), 1)

    def test_a_bad_schedule_is_refused_naming_the_field(self) -> None:
        for fields, name in (
            ({"weekdays": [7]}, "weekdays"),
            ({"weekdays": ["mon"]}, "weekdays"),
            ({"daily_end": None}, "daily_end"),
            ({"daily_start": None}, "daily_start"),
            ({"daily_end": dt.time(14)}, "daily_end"),
            ({"daily_start": None, "daily_end": None}, "daily_start"),  # weekdays without a daily slot
        ):
            with self.subTest(fields=fields), self.assertRaises(ValidationError) as caught:
                self.window(**fields)
            self.assertIn(name, caught.exception.message_dict)
        self.assertFalse(Silence.objects.exists())

    def test_the_api_takes_a_recurring_window(self) -> None:
        from ioc.accounts.testing import sign_in

        sign_in(self.client, self.operator)
        body = {
            "kind": "maintenance",
            "matchers": {"thing": str(self.stream.thing_id)},
            "starts_at": "2025-07-14T00:00:00+07:00",
            "ends_at": "2025-12-31T00:00:00+07:00",
            "reason": "Bảo trì đêm Chủ nhật",
            "weekdays": [SUN],
            "daily_start": "22:00",
            "daily_end": "02:00",
        }
        response = self.client.post("/api/v1/sensors/silences/", body, content_type="application/json")
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual((response.json()["weekdays"], response.json()["daily_end"]), ([SUN], "02:00:00"))
        silence = Silence.objects.get()
        self.assertEqual((silence.daily_start, silence.daily_end), (dt.time(22), dt.time(2)))
        bad = self.client.post(
            "/api/v1/sensors/silences/", {**body, "daily_end": "22:00"}, content_type="application/json"
        )
        self.assertEqual(bad.status_code, 400)
        self.assertIn("daily_end", bad.json()["error"]["fields"])
        self.assertEqual(Silence.objects.count(), 1)
