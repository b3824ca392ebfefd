"""notification_enqueue writes rows in the caller's transaction, once per dedup key (R4.5)."""

from typing import Any

from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import TestCase, TransactionTestCase
from huey.contrib.djhuey import HUEY

from ioc.accounts.models import User
from ioc.audit.models import AuditEntry
from ioc.notifications.choices import Channel, OutboxState
from ioc.notifications.models import Outbox
from ioc.notifications.services import (
    WAKE_PENDING_KEY,
    WAKE_PENDING_SECONDS,
    Address,
    notification_enqueue,
    notification_preference_set,
    register_template,
)
from ioc.notifications.tests.helpers import make_user

register_template(
    "tests.report_assigned",
    "Phản ánh {{ code }} được giao cho {{ recipient_name }}",
    "Phản ánh {{ code }}: {{ title }}. Hạn xử lý {{ due }}.",
    "Report {{ code }} assigned to {{ recipient_name }}",
    "Report {{ code }}: {{ title }}. Due {{ due }}.",
)
CONTEXT = {"code": "PA-001", "title": "Đèn đường <hỏng>", "due": "17:00 09/03/2026"}


def enqueue(recipients: list[Any], dedup_key: str = "report:1:assigned", **kwargs: Any) -> list[Outbox]:
    return notification_enqueue(
        event="report.assigned",
        recipients=recipients,
        template="tests.report_assigned",
        context=CONTEXT,
        dedup_key=dedup_key,
        **kwargs,
    )


class EnqueueTest(TestCase):
    officer: User

    @classmethod
    def setUpTestData(cls):
        cls.officer = make_user("canbo", full_name="Nguyễn Văn An", phone="0912000111")

    def test_it_renders_one_row_per_enabled_channel_in_vietnamese(self):
        rows = enqueue([self.officer])
        self.assertEqual([r.channel for r in rows], [Channel.EMAIL])
        row = rows[0]
        self.assertEqual(row.subject, "Phản ánh PA-001 được giao cho Nguyễn Văn An")
        self.assertEqual(row.body, "Phản ánh PA-001: Đèn đường <hỏng>. Hạn xử lý 17:00 09/03/2026.")
        self.assertEqual(
            (row.state, row.attempts, row.recipient_address), (OutboxState.PENDING, 0, "canbo@canary.invalid")
        )

    def test_it_follows_the_users_channels_and_language(self):
        notification_preference_set(
            actor=self.officer, user=self.officer, email_enabled=False, sms_enabled=True, language="en"
        )
        rows = enqueue([self.officer])
        self.assertEqual([(r.channel, r.recipient_address) for r in rows], [(Channel.SMS, "0912000111")])
        self.assertEqual(rows[0].subject, "Report PA-001 assigned to Nguyễn Văn An")

    def test_it_skips_inactive_users_and_users_without_an_address(self):
        gone = make_user("daxoa", is_active=False)
        silent = make_user("khongthu", email="")
        self.assertEqual(enqueue([gone, silent]), [])

    def test_it_skips_duplicates_by_dedup_key_without_error(self):
        hook = Address(Channel.WEBHOOK, "https://he-thong.canary.invalid/hook")
        first = enqueue([self.officer, hook])
        again = enqueue([self.officer, hook])
        self.assertEqual(len(first), 2)
        self.assertEqual(again, [])
        self.assertEqual(Outbox.objects.count(), 2)
        other = enqueue([self.officer], dedup_key="report:1:reminder")
        self.assertEqual(len(other), 1)
        entries = AuditEntry.objects.filter(action="notification.enqueue")
        self.assertEqual([e.row_count for e in entries.order_by("id")], [2, 1])

    def test_a_repeat_inside_the_callers_transaction_needs_no_savepoint_and_keeps_it_usable(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        first = enqueue([self.officer])
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            self.assertEqual(enqueue([self.officer]), [])  # refused by the unique constraint, in the database
            self.assertEqual(len(enqueue([self.officer], dedup_key="report:1:later")), 1)  # the transaction goes on
        self.assertFalse([q for q in queries.captured_queries if "SAVEPOINT" in q["sql"].upper()])
        self.assertEqual(Outbox.objects.count(), 2)
        self.assertEqual(Outbox.objects.get(pk=first[0].pk).dedup_key, "report:1:assigned")

    def test_it_refuses_an_unknown_template_or_a_bad_address(self):
        with self.assertRaises(LookupError):
            notification_enqueue(event="x", recipients=[self.officer], template="no.such", context={}, dedup_key="k")
        with self.assertRaises(ValueError):
            enqueue([Address("fax", "123")])
        with self.assertRaises(ValueError):
            enqueue([Address(Channel.WEBHOOK, "ftp://example.org/")])
        with self.assertRaises(ValidationError):
            enqueue([Address(Channel.EMAIL, "not-an-address")])
        with self.assertRaises(ValueError):
            enqueue([self.officer], dedup_key="")
        self.assertFalse(Outbox.objects.exists())

    def test_it_wakes_the_sender_when_the_caller_commits(self):
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            enqueue([self.officer])
        self.assertEqual(len(callbacks), 1)
        self.assertEqual(Outbox.objects.get().state, OutboxState.SENT)
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["canbo@canary.invalid"])


class WakeCoalescingTest(TestCase):
    """A burst of messages queues one wake-up task in Huey's storage, not one each."""

    def setUp(self):
        self.officer = make_user("canbo")
        HUEY.immediate = False  # real storage (this test process's var directory), tasks only queued
        self.addCleanup(setattr, HUEY, "immediate", True)
        HUEY.flush()
        self.addCleanup(HUEY.flush)

    def test_a_burst_queues_one_wake_up_until_it_starts(self):
        for number in range(3):
            with self.captureOnCommitCallbacks(execute=True):
                enqueue([self.officer], dedup_key=f"report:{number}:assigned")
        self.assertEqual(HUEY.pending_count(), 1)
        self.assertEqual(Outbox.objects.filter(state=OutboxState.PENDING).count(), 3)

        task = HUEY.dequeue()
        HUEY.immediate = True  # run it in this test's transaction (djhuey closes connections outside immediate mode)
        HUEY.execute(task)  # the wake-up runs: all three leave, and the next message needs a new one
        HUEY.immediate = False
        self.assertEqual(Outbox.objects.filter(state=OutboxState.SENT).count(), 3)
        with self.captureOnCommitCallbacks(execute=True):
            enqueue([self.officer], dedup_key="report:9:assigned")
        self.assertEqual(HUEY.pending_count(), 1)

    def test_a_lost_wake_up_stops_holding_others_back_when_it_expires(self):
        cache.set(WAKE_PENDING_KEY, 1, timeout=WAKE_PENDING_SECONDS)
        with self.captureOnCommitCallbacks(execute=True):
            enqueue([self.officer])
        self.assertEqual(HUEY.pending_count(), 0)
        cache.delete(WAKE_PENDING_KEY)  # what its expiry does
        with self.captureOnCommitCallbacks(execute=True):
            enqueue([self.officer], dedup_key="report:2:assigned")
        self.assertEqual(HUEY.pending_count(), 1)


class EnqueueRollbackTest(TransactionTestCase):
    def test_it_leaves_nothing_when_the_callers_transaction_rolls_back(self):
        officer = make_user("canbo")

        class Boom(Exception):
            pass

        with self.assertRaises(Boom), transaction.atomic():
            rows = enqueue([officer, Address(Channel.EMAIL, "ban@canary.invalid")])
            self.assertEqual(len(rows), 2)
            raise Boom
        self.assertFalse(Outbox.objects.exists())
        self.assertFalse(AuditEntry.objects.filter(action="notification.enqueue").exists())
        self.assertEqual(mail.outbox, [])
