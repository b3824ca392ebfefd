"""Failed deliveries retry with exponential back-off and die after 10 attempts (R4.5; DESIGN "Durable work")."""

import datetime as dt

from django.test import TestCase, override_settings
from django.utils import timezone

from ioc.accounts.testing import system_actor
from ioc.audit.models import AuditEntry
from ioc.notifications.choices import Channel, OutboxState
from ioc.notifications.models import Outbox
from ioc.notifications.services import Address, backoff, notification_enqueue, outbox_deliver_due, outbox_requeue
from ioc.notifications.tests.receiver import Receiver

KEY = "webhook-signing-key-for-tests-" + "k" * 20


def time_passes(row: Outbox) -> None:
    """The back-off has elapsed: make the row due now (the clock is not mocked)."""
    Outbox.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())


@override_settings(OUTBOUND_ALLOWED_CIDRS=["127.0.0.0/8"], WEBHOOK_SIGNING_KEY=KEY)
class RetryTest(TestCase):
    def enqueue(self, url: str) -> Outbox:
        return notification_enqueue(
            event="alert.raised",
            recipients=[Address(Channel.WEBHOOK, url)],
            template="notifications.test",
            context={},
            dedup_key="alert:7",
        )[0]

    def test_it_computes_exponential_back_off_with_a_cap(self):
        minutes = [backoff(n).total_seconds() / 60 for n in range(1, 11)]
        self.assertEqual(minutes, [1, 2, 4, 8, 16, 32, 64, 128, 256, 360])
        self.assertEqual(backoff(30), dt.timedelta(hours=6))

    def test_it_retries_a_failing_receiver_with_back_off_then_gives_up(self):
        with Receiver(status=503, reply=b"busy") as receiver:
            row = self.enqueue(receiver.url + "/hook")
            for attempt in range(1, 10):
                before = timezone.now()
                self.assertEqual(outbox_deliver_due(), 1)
                after = timezone.now()
                row.refresh_from_db()
                self.assertEqual((row.state, row.attempts), (OutboxState.FAILED, attempt))
                self.assertIn("HTTP 503: busy", row.last_error)
                self.assertGreaterEqual(row.next_attempt_at, before + backoff(attempt))
                self.assertLessEqual(row.next_attempt_at, after + backoff(attempt))
                self.assertEqual(outbox_deliver_due(), 0, "nothing is due before the back-off ends")
                time_passes(row)
            self.assertEqual(outbox_deliver_due(), 1)
            row.refresh_from_db()
            self.assertEqual((row.state, row.attempts), (OutboxState.DEAD, 10))
            time_passes(row)
            self.assertEqual(outbox_deliver_due(), 0, "a dead row is never retried by itself")
        self.assertEqual(len(receiver.received), 10)
        self.assertEqual({r["headers"]["X-IOC-Delivery-Id"] for r in receiver.received}, {str(row.delivery_id)})
        dead = AuditEntry.objects.get(action="notification.dead")
        self.assertEqual((dead.object_id, dead.actor_label), (str(row.pk), "he-thong"))  # the sender's account

    def test_it_delivers_once_the_receiver_recovers(self):
        with Receiver(status=500) as receiver:
            row = self.enqueue(receiver.url + "/hook")
            outbox_deliver_due()
            receiver.set(status=204)
            time_passes(row)
            outbox_deliver_due()
        row.refresh_from_db()
        self.assertEqual((row.state, row.attempts, row.last_error), (OutboxState.SENT, 2, ""))

    def test_it_lets_an_administrator_resend_a_dead_row(self):
        with Receiver(status=200) as receiver:
            row = self.enqueue(receiver.url + "/hook")
            Outbox.objects.filter(pk=row.pk).update(state=OutboxState.DEAD, attempts=10)
            row.refresh_from_db()
            with self.captureOnCommitCallbacks(execute=True):
                outbox_requeue(actor=system_actor(), outbox=row)
        row.refresh_from_db()
        self.assertEqual((row.state, row.attempts), (OutboxState.SENT, 1))
        self.assertTrue(AuditEntry.objects.filter(action="notification.requeue").exists())

    def test_it_refuses_to_resend_a_row_that_is_not_failed(self):
        from django.core.exceptions import ValidationError

        row = self.enqueue("https://example.org/hook")
        with self.assertRaises(ValidationError) as caught:
            outbox_requeue(actor=system_actor(), outbox=row)
        self.assertIn("state", caught.exception.message_dict)
