"""Non-urgent messages wait for the end of a user's quiet hours; urgent ones do not (R4.5)."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.core import mail
from django.test import SimpleTestCase, TestCase
from django.utils import timezone

from ioc.accounts.models import User
from ioc.notifications.choices import OutboxState
from ioc.notifications.models import Outbox
from ioc.notifications.selectors import outbox_oldest_undelivered_age
from ioc.notifications.services import (
    notification_enqueue,
    notification_preference_set,
    outbox_deliver_due,
    quiet_until,
)
from ioc.notifications.tests.helpers import make_user

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=VN)


class QuietUntilTest(SimpleTestCase):
    def test_it_finds_the_end_of_a_quiet_period_within_the_day(self):
        kw = {"quiet_start": dt.time(12, 0), "quiet_end": dt.time(13, 30)}
        self.assertEqual(quiet_until(now=at("2026-03-09T12:10"), **kw), at("2026-03-09T13:30"))
        self.assertIsNone(quiet_until(now=at("2026-03-09T13:30"), **kw))
        self.assertIsNone(quiet_until(now=at("2026-03-09T11:59"), **kw))

    def test_it_handles_a_quiet_period_across_midnight(self):
        kw = {"quiet_start": dt.time(22, 0), "quiet_end": dt.time(6, 0)}
        self.assertEqual(quiet_until(now=at("2026-03-09T23:00"), **kw), at("2026-03-10T06:00"))
        self.assertEqual(quiet_until(now=at("2026-03-10T05:59"), **kw), at("2026-03-10T06:00"))
        self.assertIsNone(quiet_until(now=at("2026-03-10T06:00"), **kw))
        self.assertIsNone(quiet_until(now=at("2026-03-09T21:59"), **kw))

    def test_it_reads_local_time_from_a_utc_instant(self):
        now = dt.datetime(2026, 3, 9, 16, 0, tzinfo=dt.UTC)  # 23:00 in Hà Nội
        self.assertEqual(
            quiet_until(quiet_start=dt.time(22, 0), quiet_end=dt.time(6, 0), now=now), at("2026-03-10T06:00")
        )

    def test_it_ignores_missing_or_empty_quiet_hours(self):
        self.assertIsNone(quiet_until(quiet_start=None, quiet_end=None, now=at("2026-03-09T23:00")))
        self.assertIsNone(quiet_until(quiet_start=dt.time(1), quiet_end=dt.time(1), now=at("2026-03-09T01:00")))


class QuietHoursEnqueueTest(TestCase):
    leader: User

    @classmethod
    def setUpTestData(cls):
        cls.leader = make_user("lanhdao")

    def quiet_now(self) -> dt.datetime:
        """Quiet hours from an hour ago to an hour ahead of the real clock (wrapping midnight if needed)."""
        local = timezone.now().astimezone(VN).replace(second=0, microsecond=0)
        start, end = (local - dt.timedelta(hours=1)).time(), (local + dt.timedelta(hours=1)).time()
        notification_preference_set(actor=self.leader, user=self.leader, quiet_start=start, quiet_end=end)
        return local + dt.timedelta(hours=1)

    def enqueue(self, *, urgent: bool) -> list[Outbox]:
        return notification_enqueue(
            event="incident.opened",
            recipients=[self.leader],
            template="notifications.test",
            context={},
            dedup_key=f"incident:1:{urgent}",
            urgent=urgent,
        )

    def test_it_holds_a_non_urgent_message_until_quiet_hours_end(self):
        quiet_end = self.quiet_now()
        row = self.enqueue(urgent=False)[0]
        self.assertEqual(row.next_attempt_at, quiet_end)
        self.assertEqual(row.due_at, quiet_end)
        self.assertEqual(outbox_deliver_due(), 0)
        self.assertEqual(mail.outbox, [])
        self.assertIsNone(outbox_oldest_undelivered_age())

    def test_it_sends_an_urgent_message_during_quiet_hours(self):
        self.quiet_now()
        row = self.enqueue(urgent=True)[0]
        self.assertLessEqual(row.next_attempt_at, timezone.now())
        self.assertEqual(outbox_deliver_due(), 1)
        self.assertEqual(Outbox.objects.get(pk=row.pk).state, OutboxState.SENT)
        self.assertEqual(len(mail.outbox), 1)
