"""Notification templates of agency work are registered, Vietnamese first with English (R4.5)."""

from django.test import TestCase

from ioc.assignments import notices
from ioc.notifications.models import Outbox
from ioc.notifications.services import Address, notification_enqueue

CONTEXT = {
    "subject_label": "Ổ gà",
    "agency_name": "Sở Xây dựng",
    "deadline": "16:00 29/04/2026",
    "url": "/xu-ly/1/",
    "text": "Lý do",
    # the digest's (decision 0011): how many, their lines, how many more
    "count": 12,
    "titles": ["Ổ gà (Sở Xây dựng): quá hạn"],
    "more": 11,
}


class NoticesTest(TestCase):
    def test_it_renders_every_template_in_vietnamese_and_english(self):
        for code in notices.TEMPLATES:
            with self.subTest(code=code):
                notification_enqueue(
                    event="test",
                    recipients=[
                        Address("email", "vi@canary.invalid", language="vi"),
                        Address("email", "en@canary.invalid", language="en"),
                    ],
                    template=code,
                    context=CONTEXT,
                    dedup_key=f"notices:{code}",
                )
                vi = Outbox.objects.get(template=code, recipient_address="vi@canary.invalid")
                en = Outbox.objects.get(template=code, recipient_address="en@canary.invalid")
                digest = code == notices.ESCALATED_DIGEST  # its subject counts, its body names the items
                self.assertIn("12" if digest else "Ổ gà", vi.subject)
                self.assertIn("Ổ gà", vi.body)
                self.assertIn("/xu-ly/1/", vi.body)
                self.assertIn("/xu-ly/1/", en.body)
                self.assertNotEqual(vi.body, en.body)
