"""Two senders never both take one row; an expired lease is reclaimed (DESIGN "Durable work")."""

import datetime as dt
import threading
from unittest import skipIf

from django.core import mail
from django.db import connection, connections
from django.test import TestCase, TransactionTestCase
from django.utils import timezone

from ioc.notifications.choices import Channel, OutboxState
from ioc.notifications.models import Outbox
from ioc.notifications.services import (
    Address,
    notification_enqueue,
    outbox_claim,
    outbox_deliver_due,
    outbox_deliver_one,
    outbox_due_ids,
)


def enqueue_many(count: int) -> None:
    for i in range(count):
        notification_enqueue(
            event="test",
            recipients=[Address(Channel.EMAIL, f"u{i}@canary.invalid")],
            template="notifications.test",
            context={},
            dedup_key=f"claim:{i}",
        )


class ClaimTest(TestCase):
    def test_it_lets_only_the_first_of_two_claimers_take_a_row(self):
        enqueue_many(3)
        now = timezone.now()
        seen_by_a = outbox_due_ids(now=now, limit=10)
        seen_by_b = outbox_due_ids(now=now, limit=10)
        self.assertEqual(seen_by_a, seen_by_b)  # both saw the same candidates
        taken_by_a = [pk for pk in seen_by_a if outbox_claim(pk=pk)]
        taken_by_b = [pk for pk in seen_by_b if outbox_claim(pk=pk)]
        self.assertEqual(len(taken_by_a), 3)
        self.assertEqual(taken_by_b, [])

    def test_it_reclaims_a_row_whose_lease_expired(self):
        enqueue_many(1)
        row = Outbox.objects.get()
        self.assertIsNotNone(outbox_claim(pk=row.pk))
        self.assertEqual(outbox_deliver_due(), 0, "a leased row is not taken again")
        Outbox.objects.filter(pk=row.pk).update(lease_until=timezone.now() - dt.timedelta(seconds=1))
        self.assertEqual(outbox_deliver_due(), 1)
        row.refresh_from_db()
        self.assertEqual((row.state, row.attempts), (OutboxState.SENT, 2))
        self.assertEqual(len(mail.outbox), 1)

    def test_it_does_not_let_a_stale_sender_overwrite_a_reclaimed_row(self):
        from ioc.notifications.services import _finish

        enqueue_many(1)
        row = Outbox.objects.get()
        stale_lease = outbox_claim(pk=row.pk)
        assert stale_lease is not None
        Outbox.objects.filter(pk=row.pk).update(lease_until=timezone.now() - dt.timedelta(seconds=1))
        fresh_lease = outbox_claim(pk=row.pk)
        assert fresh_lease is not None
        row.refresh_from_db()
        _finish(row, stale_lease, "late failure of the first sender")
        row.refresh_from_db()
        self.assertEqual((row.state, row.last_error), (OutboxState.SENDING, ""))
        _finish(row, fresh_lease, None)
        row.refresh_from_db()
        self.assertEqual(row.state, OutboxState.SENT)


def pending_rows(count: int) -> None:
    """Rows written directly: enqueueing here would wake (and run) the sender on commit before the threads."""
    Outbox.objects.bulk_create(
        Outbox(
            event="test",
            recipient_address=f"u{i}@canary.invalid",
            recipient_key=f"addr:u{i}@canary.invalid",
            channel=Channel.EMAIL,
            template="notifications.test",
            subject="s",
            body="b",
            dedup_key=f"claim:{i}",
        )
        for i in range(count)
    )


@skipIf(
    connection.vendor == "sqlite",
    "the in-memory shared-cache SQLite test database answers 'table is locked' "
    "to concurrent threads; ClaimTest interleaves two claimers deterministically on SQLite",
)
class ConcurrentSendersTest(TransactionTestCase):
    """Runs in the PostgreSQL suite (scripts/pg-suite)."""

    def test_it_delivers_each_row_once_with_two_threads(self):
        pending_rows(40)
        seen = []
        barrier = threading.Barrier(2)
        errors = []

        def sender():
            try:
                candidates = outbox_due_ids(now=timezone.now(), limit=100)
                seen.append(len(candidates))
                barrier.wait()  # both senders saw every row before either claims one
                for pk in candidates:
                    outbox_deliver_one(pk=pk)
            except Exception as exc:
                errors.append(exc)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=sender) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(errors, [])
        self.assertEqual(seen, [40, 40])
        recipients = sorted(m.to[0] for m in mail.outbox)
        self.assertEqual(recipients, sorted(f"u{i}@canary.invalid" for i in range(40)))
        self.assertEqual(set(Outbox.objects.values_list("state", flat=True)), {OutboxState.SENT})
        self.assertEqual(set(Outbox.objects.values_list("attempts", flat=True)), {1})
