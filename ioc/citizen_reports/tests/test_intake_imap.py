"""R3.1: the periodic task reads the IOC mailbox from a real IMAP server (dovecot on loopback), stores each message
once and flags it \\Seen only after the commit."""

import tempfile

import pytest
from django.test import TestCase, override_settings

from ioc.citizen_reports.mailbox import ImapSource
from ioc.citizen_reports.models import IntakeItem
from ioc.citizen_reports.services.intake import fetch_mailbox_task, intake_body, intake_sender
from ioc.citizen_reports.tests.imap_server import dovecot_server
from ioc.citizen_reports.tests.mail_samples import jpeg_bytes, mail


@pytest.mark.broker
class ImapIntakeTest(TestCase):
    def test_it_fetches_over_imap_and_flags_mail_seen_after_commit(self):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        with dovecot_server() as server:
            server.append(
                mail(message_id="<imap1@canary.invalid>", attachments=(("a.jpg", "image/jpeg", jpeg_bytes()),))
            )
            server.append(mail(message_id="<imap2@canary.invalid>", text=None, html="<p>Ngập <b>sâu</b> 30 cm</p>"))
            server.append(mail(message_id="<imap1@canary.invalid>", subject="gửi lại"))  # a duplicate
            settings = {
                "REPORTS_IMAP_HOST": server.host,
                "REPORTS_IMAP_PORT": server.port,
                "REPORTS_IMAP_USER": server.user,
                "REPORTS_IMAP_PASSWORD": server.password,
                "REPORTS_IMAP_SSL": False,
                "MEDIA_ROOT": tmp.name,
            }
            with override_settings(**settings):
                with self.captureOnCommitCallbacks(execute=False) as callbacks:
                    self.assertEqual(fetch_mailbox_task(), 2)
                self.assertEqual(len(server.unseen()), 3)  # not flagged before the commit
                for callback in callbacks:
                    callback()
                self.assertEqual(server.unseen(), [])
                with self.captureOnCommitCallbacks(execute=True):
                    self.assertEqual(fetch_mailbox_task(), 0)

        first = IntakeItem.objects.get(message_id="<imap1@canary.invalid>")
        self.assertEqual(first.attachments.count(), 1)
        self.assertEqual(intake_sender(first)[1], "dan.nguyen@canary.invalid")
        second = IntakeItem.objects.get(message_id="<imap2@canary.invalid>")
        self.assertEqual(intake_body(second), "Ngập sâu 30 cm")

    def test_it_refuses_plain_imap_to_a_remote_host(self):
        from django.core.exceptions import ImproperlyConfigured

        with self.assertRaises(ImproperlyConfigured):
            ImapSource(host="mail.example.vn", port=143, user="u", password="p", use_ssl=False)
