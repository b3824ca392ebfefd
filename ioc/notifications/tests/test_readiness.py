"""/readyz reads the age of the oldest due, undelivered outbox row (R4.5)."""

import datetime as dt

from django.test import TestCase
from django.utils import timezone

from ioc.notifications.choices import Channel, OutboxState
from ioc.notifications.models import Outbox
from ioc.notifications.selectors import outbox_oldest_undelivered_age
from ioc.notifications.services import Address, notification_enqueue


class OldestUndeliveredTest(TestCase):
    def enqueue(self, key: str) -> Outbox:
        return notification_enqueue(
            event="test",
            recipients=[Address(Channel.EMAIL, "a@canary.invalid")],
            template="notifications.test",
            context={},
            dedup_key=key,
        )[0]

    def test_it_answers_none_when_nothing_waits(self):
        self.assertIsNone(outbox_oldest_undelivered_age())
        row = self.enqueue("sent")
        Outbox.objects.filter(pk=row.pk).update(state=OutboxState.SENT)
        self.assertIsNone(outbox_oldest_undelivered_age())

    def test_it_measures_the_oldest_pending_failed_or_sending_row(self):
        now = timezone.now()
        for key, state, minutes in (
            ("a", OutboxState.PENDING, 3),
            ("b", OutboxState.FAILED, 20),
            ("c", OutboxState.DEAD, 90),
            ("d", OutboxState.SENDING, 7),
        ):
            row = self.enqueue(key)
            Outbox.objects.filter(pk=row.pk).update(state=state, due_at=now - dt.timedelta(minutes=minutes))
        age = outbox_oldest_undelivered_age()
        assert age is not None
        self.assertGreaterEqual(age, dt.timedelta(minutes=20))
        self.assertLess(age, dt.timedelta(minutes=21))
