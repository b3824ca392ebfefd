"""notification_enqueue_many writes what notification_enqueue would for each message, set-wise (R4.5, issue 12)."""

from typing import Any

from django.test import TestCase

from ioc.accounts.choices import SYSTEM_USERNAME
from ioc.accounts.models import User
from ioc.audit.models import AuditEntry
from ioc.notifications.choices import Channel
from ioc.notifications.models import Outbox
from ioc.notifications.services import Address, Message, notification_enqueue, notification_enqueue_many
from ioc.notifications.tests.helpers import make_user
from ioc.notifications.tests.test_enqueue import CONTEXT

FIELDS = (
    "event",
    "recipient_user_id",
    "recipient_address",
    "recipient_key",
    "channel",
    "template",
    "language",
    "subject",
    "body",
    "dedup_key",
    "urgent",
    "state",
)


def message(dedup_key: str, recipients: list[Any], urgent: bool = False) -> Message:
    return Message(
        event="report.assigned",
        recipients=recipients,
        template="tests.report_assigned",
        context=CONTEXT,
        dedup_key=dedup_key,
        urgent=urgent,
    )


class EnqueueManyTest(TestCase):
    officer: User
    other: User

    @classmethod
    def setUpTestData(cls):
        cls.officer = make_user("canbo", full_name="Nguyễn Văn An", phone="0912000111")
        cls.other = make_user("canbo2", full_name="Trần Thị Bình")

    def rows(self) -> list[tuple[Any, ...]]:
        return list(Outbox.objects.order_by("pk").values_list(*FIELDS))

    def test_it_writes_the_same_rows_as_one_call_each_and_one_audit_entry(self):
        hook = Address(Channel.WEBHOOK, "https://example.invalid/hook")
        messages = [message("a", [self.officer, hook]), message("b", [self.other], urgent=True)]
        for m in messages:
            notification_enqueue(**m.__dict__)
        one_by_one = self.rows()
        Outbox.objects.all().delete()
        AuditEntry.objects.filter(action="notification.enqueue").delete()
        created = notification_enqueue_many(messages=messages)
        self.assertEqual(self.rows(), one_by_one)
        ids = list(Outbox.objects.order_by("pk").values_list("pk", flat=True))
        self.assertEqual([row.pk for row in created], ids)
        entry = AuditEntry.objects.get(action="notification.enqueue")
        self.assertEqual((entry.changes["ids"], entry.changes["messages"], entry.row_count), (ids, 2, 3))
        self.assertEqual(len(entry.digest), 64)
        self.assertEqual(entry.actor_label, SYSTEM_USERNAME)

    def test_a_repeat_is_skipped_not_an_error_and_not_audited(self):
        notification_enqueue_many(messages=[message("a", [self.officer])])
        created = notification_enqueue_many(
            messages=[message("a", [self.officer, self.other]), message("a", [self.other])]
        )
        self.assertEqual([row.recipient_user for row in created], [self.other])
        self.assertEqual(Outbox.objects.count(), 2)
        self.assertEqual(AuditEntry.objects.filter(action="notification.enqueue").count(), 2)
        notification_enqueue_many(messages=[message("a", [self.officer])])  # nothing new: nothing audited
        self.assertEqual(AuditEntry.objects.filter(action="notification.enqueue").count(), 2)

    def test_a_message_without_a_dedup_key_writes_nothing(self):
        with self.assertRaises(ValueError):
            notification_enqueue_many(messages=[message("a", [self.officer]), message("", [self.other])])
        self.assertFalse(Outbox.objects.exists())

    def test_an_unknown_template_writes_nothing(self):
        bad = Message(event="x", recipients=[self.other], template="tests.nope", context={}, dedup_key="b")
        with self.assertRaises(LookupError):
            notification_enqueue_many(messages=[message("a", [self.officer]), bad])
        self.assertFalse(Outbox.objects.exists())
