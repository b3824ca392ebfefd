"""Messages are rendered when they are sent, from the template key and JSON context on the row (R4.5, issue 12)."""

import datetime as dt
import decimal
import json
from typing import Any

from django.core import mail
from django.test import SimpleTestCase, TestCase, override_settings
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy

from ioc.accounts.models import User
from ioc.notifications import registry
from ioc.notifications.choices import OutboxState
from ioc.notifications.context import NotStorable, decode, encode
from ioc.notifications.models import Outbox
from ioc.notifications.services import notification_enqueue, outbox_deliver_due, register_template
from ioc.notifications.tests.helpers import make_user

register_template(
    "tests.render_at_delivery",
    "Hạn {{ due|date:'H:i d/m/Y' }} — {{ recipient_name }}",
    "{{ amount }} / {{ day|date:'d/m/Y' }} / {% for x in items %}{{ x }};{% endfor %} / {{ label }}",
)
DUE = dt.datetime(2026, 3, 9, 10, 0, tzinfo=dt.UTC)  # 17:00 in Asia/Ho_Chi_Minh
CONTEXT = {
    "due": DUE,
    "amount": decimal.Decimal("1.50"),
    "day": dt.date(2026, 4, 30),
    "items": [1, "a"],
    "label": gettext_lazy("Khẩn"),
}
SUBJECT = "Hạn 17:00 09/03/2026 — Nguyễn Văn An"
# Numbers and dates are formatted in the recipient's language (vi): a decimal comma.
BODY = "1,50 / 30/04/2026 / 1;a; / Khẩn"
# A template that escapes (as an HTML part would): text marked safe is escaped no more, a plain string once.
register_template(
    "tests.escaping",
    "{{ link|escape }}",
    "{{ link|escape }} {{ name|escape }} {% autoescape on %}{{ link }}{% endautoescape %}",
)


@override_settings(NOTIFICATIONS_TRANSPORTS=["email"])
class RenderAtDeliveryTest(TestCase):
    officer: User

    @classmethod
    def setUpTestData(cls):
        cls.officer = make_user("canbo", full_name="Nguyễn Văn An")

    def enqueue(self, context: dict[str, Any], template: str = "tests.render_at_delivery") -> Outbox:
        return notification_enqueue(
            event="test.render", recipients=[self.officer], template=template, context=context, dedup_key="r:1"
        )[0]

    def stored(self, row: Outbox) -> tuple[Any, ...]:
        return Outbox.objects.filter(pk=row.pk).values_list("subject", "body", "recipient_name", "state").get()

    def test_the_row_keeps_the_context_and_the_sender_renders_and_keeps_the_text(self):
        row = self.enqueue(CONTEXT)
        self.assertEqual(self.stored(row), ("", "", "Nguyễn Văn An", OutboxState.PENDING))
        self.assertEqual(Outbox.objects.get(pk=row.pk).context["due"], {"$dt": DUE.isoformat()})
        self.assertEqual((row.subject, row.body), (SUBJECT, BODY))  # read before sending: rendered in memory
        self.assertEqual(outbox_deliver_due(), 1)
        self.assertEqual((mail.outbox[0].subject, mail.outbox[0].body), (SUBJECT, BODY))
        self.assertEqual(self.stored(row), (SUBJECT, BODY, "Nguyễn Văn An", OutboxState.SENT))

    def test_a_context_json_cannot_keep_is_rendered_at_enqueue_as_before(self):
        row = self.enqueue({**CONTEXT, "label": self.officer})  # a model instance
        self.assertEqual(self.stored(row)[0], SUBJECT)
        self.assertEqual(self.stored(row)[1], BODY.replace("Khẩn", str(self.officer)))
        self.assertIsNone(Outbox.objects.get(pk=row.pk).context)

    def test_text_marked_safe_is_escaped_once_at_delivery_and_a_plain_string_still_once(self):
        link = format_html('<a href="{}">{}</a>', "/x?a=1&b=2", "<Lũ & lụt>")  # its user values escaped here
        row = self.enqueue({"link": link, "name": "<b>Tâm & Tín</b>"}, template="tests.escaping")
        self.assertEqual(Outbox.objects.get(pk=row.pk).context["link"], {"$safe": str(link)})
        self.assertEqual(outbox_deliver_due(), 1)
        self.assertEqual(mail.outbox[0].subject, str(link))
        self.assertEqual(mail.outbox[0].body, f"{link} &lt;b&gt;Tâm &amp; Tín&lt;/b&gt; {link}")
        self.assertNotIn("&amp;amp;", mail.outbox[0].body)

    def test_a_context_forging_the_safe_tag_is_not_stored_and_its_text_is_escaped(self):
        forged = {"$safe": "<script>x()</script>"}
        row = self.enqueue({"link": "", "name": forged}, template="tests.escaping")
        self.assertIsNone(Outbox.objects.get(pk=row.pk).context)  # rendered at enqueue, as any unstorable context
        self.assertNotIn("<script>", self.stored(row)[1])
        self.assertIn("&lt;script&gt;", self.stored(row)[1])

    def test_a_template_unregistered_before_delivery_fails_the_attempt_without_crashing_the_sender(self):
        register_template("tests.soon_gone", "Chủ đề", "Nội dung")
        row = self.enqueue({}, template="tests.soon_gone")
        del registry._REGISTRY["tests.soon_gone"]
        self.assertEqual(outbox_deliver_due(), 1)
        failed = Outbox.objects.get(pk=row.pk)
        self.assertEqual((failed.state, failed.attempts), (OutboxState.FAILED, 1))
        self.assertIn("tests.soon_gone", failed.last_error)
        self.assertEqual(mail.outbox, [])


class ContextCodecTest(SimpleTestCase):
    def test_values_come_back_as_they_went_in(self):
        self.assertEqual(
            decode(encode({**CONTEXT, "label": "x", "n": None, "nested": {"t": dt.time(7, 30)}})),
            {**CONTEXT, "label": "x", "n": None, "nested": {"t": dt.time(7, 30)}},
        )

    def test_text_marked_safe_comes_back_marked_safe_and_plain_text_plain(self):
        context = {"safe": format_html("<i>{}</i>", "&"), "plain": "<i>&</i>", "lazy": gettext_lazy("Khẩn")}
        back = decode(json.loads(json.dumps(encode(context))))  # as the row's JSON field keeps it
        self.assertIsInstance(back["safe"], SafeString)
        self.assertEqual(back["safe"], "<i>&amp;</i>")
        self.assertNotIsInstance(back["plain"], SafeString)
        self.assertNotIsInstance(back["lazy"], SafeString)

    def test_values_json_would_change_are_refused(self):
        for bad in (
            {"x": (1, 2)},
            {"x": self},
            {"x": float("nan")},
            {1: "a"},
            {"$dt": "2026-01-01"},
            {"x": {"$d": 1}},
            {"x": {"$safe": "<b>"}},
        ):
            with self.subTest(bad=bad), self.assertRaises(NotStorable):
                encode(bad)
