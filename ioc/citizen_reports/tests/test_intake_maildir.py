"""R3.1: the IOC mailbox (a Maildir here) becomes intake items — deduplicated by Message-ID, sender encrypted,
attachments cleaned or dropped with a note, one audit entry per batch, mail marked handled only after commit."""

import mailbox as std_mailbox
import tempfile
from pathlib import Path

from django.db import transaction
from django.test import TestCase, override_settings

from ioc.audit.models import AuditEntry
from ioc.citizen_reports.mailbox import MaildirSource, html_to_text
from ioc.citizen_reports.models import IntakeAttachment, IntakeItem
from ioc.citizen_reports.services.intake import (
    fetch_mailbox_task,
    intake_body,
    intake_fetch,
    intake_notes,
    intake_sender,
)
from ioc.citizen_reports.tests.mail_samples import jpeg_bytes, mail


class MaildirIntakeTest(TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.media = override_settings(MEDIA_ROOT=self.tmp.name + "/media")
        self.media.enable()
        self.addCleanup(self.media.disable)
        self.path = Path(self.tmp.name) / "Maildir"
        self.box = std_mailbox.Maildir(str(self.path), create=True)

    def deliver(self, raw):
        return self.box.add(raw)

    def fetch(self, **kwargs):
        with self.captureOnCommitCallbacks(execute=True):
            return intake_fetch(source=MaildirSource(self.path), **kwargs)

    def pending(self):
        return [key for key in self.box.iterkeys() if "S" not in self.box.get_message(key).get_flags()]

    def test_it_stores_each_message_with_its_sender_encrypted(self):
        self.deliver(mail(message_id="<a1@canary.invalid>", attachments=(("o-ga.jpg", "image/jpeg", jpeg_bytes()),)))
        self.deliver(mail(message_id="<a2@canary.invalid>", sender="x2@canary.invalid", subject="Rác thải"))
        self.deliver(mail(message_id="<a3@canary.invalid>", sender="x3@canary.invalid", text="Đèn đường tắt."))

        self.assertEqual(self.fetch(), 3)

        item = IntakeItem.objects.get(message_id="<a1@canary.invalid>")
        self.assertEqual((item.subject, intake_body(item)), ("Ổ gà trên đường", "Đường có ổ gà lớn trước số 12."))
        self.assertNotIn("canary", item.sender_encrypted)
        self.assertEqual(intake_sender(item), ("Nguyễn Văn Dân", "dan.nguyen@canary.invalid"))
        attachment = IntakeAttachment.objects.get(item=item)
        self.assertEqual((attachment.width, attachment.height), (64, 48))
        self.assertNotIn("o-ga", attachment.file.name)  # stored under a random name
        self.assertEqual(IntakeItem.objects.count(), 3)

    def test_it_audits_a_batch_in_one_entry(self):
        for n in range(4):
            self.deliver(mail(message_id=f"<b{n}@canary.invalid>"))
        before = AuditEntry.objects.count()

        self.fetch()

        entries = AuditEntry.objects.order_by("-id")[: AuditEntry.objects.count() - before]
        self.assertEqual([e.action for e in entries], ["intake_item.fetch"])
        self.assertEqual(entries[0].row_count, 4)
        self.assertNotIn("canary.invalid>", str(entries[0].changes).replace("@canary.invalid>", ""))

    def test_it_keeps_one_item_per_message_id(self):
        self.deliver(mail(message_id="<dup@canary.invalid>", subject="Lần 1"))
        self.deliver(mail(message_id="<dup@canary.invalid>", subject="Lần 2"))

        self.assertEqual(self.fetch(), 1)
        self.deliver(mail(message_id="<dup@canary.invalid>", subject="Lần 3"))
        self.assertEqual(self.fetch(), 0)

        self.assertEqual(IntakeItem.objects.filter(message_id="<dup@canary.invalid>").count(), 1)
        self.assertEqual(self.pending(), [])

    def test_it_gives_mail_without_a_message_id_a_stable_one(self):
        raw = mail(message_id=None)
        self.deliver(raw)
        self.assertEqual(self.fetch(), 1)
        self.deliver(raw)  # the very same bytes again
        self.assertEqual(self.fetch(), 0)
        self.assertTrue(IntakeItem.objects.get().message_id.startswith("<sha256-"))

    def test_it_reads_the_text_of_an_html_only_mail(self):
        html = (
            "<html><head><style>p{color:red}</style><script>alert(1)</script></head><body>"
            "<p>Cây đổ chắn <b>đường</b> Nguyễn&nbsp;Văn Linh</p><div>Xin xử lý &amp; dọn dẹp.</div></body></html>"
        )
        self.deliver(mail(message_id="<html@canary.invalid>", text=None, html=html))

        self.fetch()

        body = intake_body(IntakeItem.objects.get())
        self.assertEqual(body, "Cây đổ chắn đường Nguyễn Văn Linh\n\nXin xử lý & dọn dẹp.")

    def test_it_prefers_the_plain_text_part(self):
        self.deliver(mail(message_id="<alt@canary.invalid>", text="Bản văn thường", html="<p>Bản HTML</p>"))
        self.fetch()
        self.assertEqual(intake_body(IntakeItem.objects.get()), "Bản văn thường")

    def test_it_drops_a_bad_attachment_with_a_note_and_keeps_the_rest(self):
        polyglot = jpeg_bytes() + b"PK\x03\x04" + b"\x00" * 64
        self.deliver(
            mail(
                message_id="<bad@canary.invalid>",
                attachments=(
                    ("virus.jpg", "image/jpeg", b"MZ\x90\x00 this is not an image"),
                    ("ghep.jpg", "image/jpeg", polyglot),
                    ("hop-dong.pdf", "application/pdf", b"%PDF-1.4 ..."),
                    ("that.jpg", "image/jpeg", jpeg_bytes()),
                ),
            )
        )

        self.assertEqual(self.fetch(), 1)

        item = IntakeItem.objects.get()
        self.assertEqual(item.attachments.count(), 1)
        notes = intake_notes(item)
        self.assertIn("virus.jpg", notes)
        self.assertIn("ghep.jpg", notes)
        self.assertIn("hop-dong.pdf", notes)
        self.assertNotIn("that.jpg", notes)
        self.assertEqual(intake_body(item), "Đường có ổ gà lớn trước số 12.")

    def test_it_marks_mail_handled_only_after_the_commit(self):
        self.deliver(mail(message_id="<c1@canary.invalid>"))
        with self.assertRaises(RuntimeError), transaction.atomic():
            intake_fetch(source=MaildirSource(self.path))
            raise RuntimeError("crash before commit")
        self.assertEqual(len(self.pending()), 1)
        self.assertFalse(IntakeItem.objects.exists())

        self.fetch()
        self.assertEqual(self.pending(), [])
        self.assertEqual(IntakeItem.objects.count(), 1)

    def test_it_reads_at_most_a_batch_per_run(self):
        for n in range(5):
            self.deliver(mail(message_id=f"<batch{n}@canary.invalid>"))
        self.assertEqual(self.fetch(limit=3), 3)
        self.assertEqual(self.fetch(limit=3), 2)
        self.assertEqual(self.fetch(limit=3), 0)

    def test_the_periodic_task_reads_the_configured_maildir(self):
        self.deliver(mail(message_id="<task@canary.invalid>"))
        with (
            override_settings(REPORTS_MAILDIR=str(self.path), REPORTS_IMAP_HOST=""),
            self.captureOnCommitCallbacks(execute=True),
        ):
            self.assertEqual(fetch_mailbox_task(), 1)
        with override_settings(REPORTS_MAILDIR="", REPORTS_IMAP_HOST=""):
            self.assertEqual(fetch_mailbox_task(), 0)  # no mailbox configured: nothing to do


class HtmlToTextTest(TestCase):
    def test_it_keeps_no_tag_or_script(self):
        text = html_to_text("<div onclick='x()'>A<script>evil()</script><br>B &lt;c&gt;</div>")
        self.assertEqual(text, "A\nB <c>")
