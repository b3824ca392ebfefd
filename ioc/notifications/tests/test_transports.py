"""The sender delivers through e-mail, signed webhooks, an HTTP SMS gateway and the console (R4.5)."""

import json
import tempfile
from pathlib import Path
from typing import Any

from django.core import mail
from django.test import TestCase, override_settings

from ioc.audit.models import AuditEntry
from ioc.notifications.choices import Channel, OutboxState
from ioc.notifications.models import Outbox
from ioc.notifications.selectors import outbox_oldest_undelivered_age
from ioc.notifications.services import Address, notification_enqueue, outbox_deliver_due, outbox_requeue
from ioc.notifications.tests.helpers import make_user
from ioc.notifications.tests.receiver import Receiver, verify_signature
from ioc.notifications.transports import DeliveryError, deliver

KEY = "webhook-signing-key-for-tests-" + "k" * 20
LOCAL = {"OUTBOUND_ALLOWED_CIDRS": ["127.0.0.0/8"], "WEBHOOK_SIGNING_KEY": KEY}


def send(recipient: Any, dedup_key: str = "k1", urgent: bool = False) -> Outbox:
    rows = notification_enqueue(
        event="incident.opened",
        recipients=[recipient],
        template="notifications.test",
        context={},
        dedup_key=dedup_key,
        urgent=urgent,
    )
    outbox_deliver_due()
    return Outbox.objects.get(pk=rows[0].pk)


class EmailTransportTest(TestCase):
    def test_it_sends_an_email_with_the_delivery_id(self):
        row = send(make_user("vanhanh", full_name="Trần Thị Bình"))
        self.assertEqual(row.state, OutboxState.SENT)
        self.assertIsNotNone(row.sent_at)
        self.assertEqual(row.attempts, 1)
        message = mail.outbox[0]
        self.assertEqual(message.subject, "[IOC] Thông báo thử")
        self.assertIn("Xin chào Trần Thị Bình", message.body)
        self.assertEqual(message.extra_headers["X-IOC-Delivery-Id"], str(row.delivery_id))


@override_settings(**LOCAL)
class WebhookTransportTest(TestCase):
    def test_it_posts_json_the_receiver_can_verify(self):
        with Receiver() as receiver:
            row = send(Address(Channel.WEBHOOK, receiver.url + "/ioc-hook"))
        self.assertEqual(row.state, OutboxState.SENT)
        request = receiver.received[0]
        self.assertEqual(request["method"], "POST")
        self.assertEqual(request["path"], "/ioc-hook")
        self.assertEqual(request["headers"]["X-IOC-Delivery-Id"], str(row.delivery_id))
        self.assertTrue(verify_signature(request["body"], request["headers"]["X-IOC-Signature"], KEY))
        self.assertFalse(verify_signature(request["body"] + b" ", request["headers"]["X-IOC-Signature"], KEY))
        payload = json.loads(request["body"])
        self.assertEqual(payload["delivery_id"], str(row.delivery_id))
        self.assertEqual(payload["event"], "incident.opened")
        self.assertEqual(payload["subject"], "[IOC] Thông báo thử")

    def test_it_refuses_an_address_outside_the_allow_list(self):
        with Receiver() as receiver, override_settings(OUTBOUND_ALLOWED_CIDRS=[]):
            row = send(Address(Channel.WEBHOOK, receiver.url + "/hook"))
        self.assertEqual(row.state, OutboxState.FAILED)
        self.assertIn("OutboundBlocked", row.last_error)
        self.assertEqual(receiver.received, [])

    def test_it_does_not_send_unsigned_webhooks(self):
        with Receiver() as receiver, override_settings(WEBHOOK_SIGNING_KEY=""):
            row = send(Address(Channel.WEBHOOK, receiver.url + "/hook"))
        self.assertEqual(row.state, OutboxState.FAILED)
        self.assertIn("WEBHOOK_SIGNING_KEY", row.last_error)
        self.assertEqual(receiver.received, [])


@override_settings(**LOCAL, SMS_GATEWAY_AUTH="Bearer sms-token", SMS_GATEWAY_SUCCESS_PATTERN=r'"status":\s*"ok"')
class SmsTransportTest(TestCase):
    def test_it_calls_the_gateway_url_template(self):
        with (
            Receiver(reply=b'{"status": "ok"}') as receiver,
            override_settings(SMS_GATEWAY_URL=receiver.url + "/send?to={to}&text={text}"),
        ):
            row = send(Address(Channel.SMS, "+84912000111", name="An"))
        self.assertEqual(row.state, OutboxState.SENT)
        request = receiver.received[0]
        self.assertEqual(request["query"]["to"], "+84912000111")
        self.assertIn("Xin chào An", request["query"]["text"])
        self.assertEqual(request["headers"]["Authorization"], "Bearer sms-token")

    def test_it_fails_when_the_reply_does_not_match_the_success_pattern(self):
        with (
            Receiver(reply=b'{"status": "error", "reason": "balance"}') as receiver,
            override_settings(SMS_GATEWAY_URL=receiver.url + "/send?to={to}&text={text}"),
        ):
            row = send(Address(Channel.SMS, "+84912000111"))
        self.assertEqual(row.state, OutboxState.FAILED)
        self.assertIn("balance", row.last_error)

    def test_it_fails_when_no_gateway_is_configured(self):
        with override_settings(SMS_GATEWAY_URL=""):
            row = send(Address(Channel.SMS, "+84912000111"))
        self.assertEqual(row.state, OutboxState.FAILED)
        self.assertIn("SMS_GATEWAY_URL", row.last_error)


class ConsoleTransportTest(TestCase):
    @override_settings(NOTIFICATIONS_TRANSPORTS=["console"])
    def test_it_logs_a_console_message_and_marks_it_sent(self):
        with self.assertLogs("ioc.notifications", "INFO") as logs:
            row = send(Address(Channel.CONSOLE, "operations-room"))
        self.assertEqual(row.state, OutboxState.SENT)
        self.assertIn(str(row.delivery_id), logs.output[0])
        self.assertIn("operations-room", logs.output[0])

    def test_it_writes_to_the_console_file_when_one_is_set(self):
        with tempfile.TemporaryDirectory() as var:
            path = Path(var) / "notifications.log"
            with override_settings(NOTIFICATIONS_TRANSPORTS=["console"], NOTIFICATIONS_CONSOLE_FILE=str(path)):
                first = send(Address(Channel.CONSOLE, "operations-room"), dedup_key="k1")
                second = send(Address(Channel.CONSOLE, "operations-room"), dedup_key="k2")
            text = path.read_text(encoding="utf-8")
        self.assertEqual((first.state, second.state), (OutboxState.SENT, OutboxState.SENT))
        self.assertIn(f"notification {first.delivery_id} [incident.opened] to operations-room", text)
        self.assertIn(str(second.delivery_id), text)
        self.assertIn("Xin chào", text)


class SwitchedOffChannelTest(TestCase):
    """Issue 8, part 5: a message whose channel is switched off is recorded as not sent with the reason; the
    console standing in for it (the demo) never makes it "sent"."""

    @override_settings(NOTIFICATIONS_TRANSPORTS=["console"])
    def test_the_console_shows_it_but_it_is_recorded_as_not_sent(self):
        with tempfile.TemporaryDirectory() as var:
            path = Path(var) / "notifications.log"
            with override_settings(NOTIFICATIONS_CONSOLE_FILE=str(path)):
                row = send(make_user("demo"))
            text = path.read_text(encoding="utf-8")
        self.assertEqual(row.state, OutboxState.SKIPPED)
        self.assertIsNone(row.sent_at)
        self.assertIsNone(row.lease_until)
        self.assertIn("Kênh email đang tắt", row.last_error)
        self.assertEqual(mail.outbox, [])
        self.assertIn(f"KHÔNG GỬI / NOT SENT ({row.last_error}) notification {row.delivery_id}", text)
        self.assertIn("demo@canary.invalid", text)
        entry = AuditEntry.objects.get(action="notification.skipped")
        self.assertEqual(entry.object_id, str(row.pk))
        self.assertEqual(entry.changes["channel"], "email")
        self.assertEqual(entry.changes["reason"], row.last_error)
        self.assertEqual((entry.object_type, entry.object_repr), ("notifications.outbox", "incident.opened"))
        self.assertNotIn("canary", str(entry.changes) + entry.object_repr)

    @override_settings(NOTIFICATIONS_TRANSPORTS=["console"], NOTIFICATIONS_CONSOLE_FILE="/nonexistent-dir/n.log")
    def test_a_console_that_cannot_be_written_does_not_stop_the_record(self):
        with self.assertLogs("ioc.notifications", "ERROR"):
            row = send(make_user("demo"))
        self.assertEqual(row.state, OutboxState.SKIPPED)

    @override_settings(NOTIFICATIONS_TRANSPORTS=["email"])
    def test_without_the_console_it_is_not_sent_and_not_retried(self):
        row = send(Address(Channel.SMS, "+84912000111"))
        self.assertEqual(row.state, OutboxState.SKIPPED)
        self.assertEqual(row.attempts, 1)
        self.assertIn("sms", row.last_error)
        self.assertEqual(outbox_deliver_due(), 0)
        self.assertEqual(Outbox.objects.get(pk=row.pk).state, OutboxState.SKIPPED)

    @override_settings(NOTIFICATIONS_TRANSPORTS=["email"])
    def test_the_readiness_age_does_not_count_it(self):
        send(Address(Channel.SMS, "+84912000111"))
        self.assertIsNone(outbox_oldest_undelivered_age())

    def test_it_is_sent_once_requeued_after_the_channel_is_switched_on(self):
        with override_settings(NOTIFICATIONS_TRANSPORTS=["webhook"]):
            row = send(make_user("vanhanh"))
        self.assertEqual(row.state, OutboxState.SKIPPED)
        admin = make_user("quantri")
        with self.captureOnCommitCallbacks(execute=True):
            outbox_requeue(actor=admin, outbox=row)
        self.assertEqual(Outbox.objects.get(pk=row.pk).state, OutboxState.SENT)
        self.assertEqual(len(mail.outbox), 1)

    def test_a_switched_off_channel_is_refused_by_deliver_itself(self):
        row = send(Address(Channel.CONSOLE, "operations-room"))
        self.assertEqual(row.state, OutboxState.SKIPPED)
        with self.assertRaisesMessage(DeliveryError, "console"):
            deliver(row)
