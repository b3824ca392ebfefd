"""R3.1: an operator turns an intake e-mail into a report (channel e-mail, the sender as its contact, the photos
attached) that then goes through the whole flow, or discards it with a reason — required, and only once."""

import mailbox as std_mailbox
import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.test import TestCase, override_settings

from ioc.audit.models import AuditEntry
from ioc.citizen_reports.choices import Channel, IntakeStatus, ReportStatus
from ioc.citizen_reports.mailbox import MaildirSource
from ioc.citizen_reports.models import IntakeItem, Report
from ioc.citizen_reports.privacy import decrypt
from ioc.citizen_reports.services.intake import intake_fetch, intake_item_convert, intake_item_discard
from ioc.citizen_reports.tests.mail_samples import jpeg_bytes, mail
from ioc.citizen_reports.tests.test_core_support import CoreMixin, point_in


class IntakeHandlingTest(CoreMixin, TestCase):
    def setUp(self):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        media = override_settings(MEDIA_ROOT=tmp.name + "/media")
        media.enable()
        self.addCleanup(media.disable)
        path = Path(tmp.name) / "Maildir"
        box = std_mailbox.Maildir(str(path), create=True)
        box.add(
            mail(
                message_id="<conv@canary.invalid>",
                sender="Trần Thị Thư <tran.thu@canary.invalid>",
                subject="Ổ gà <nguy hiểm>",
                text="Ổ gà sâu trước cổng chợ, nhiều xe ngã.",
                attachments=(("o-ga.jpg", "image/jpeg", jpeg_bytes()),),
            )
        )
        with self.captureOnCommitCallbacks(execute=True):
            intake_fetch(source=MaildirSource(path))
        self.item = IntakeItem.objects.get()

    def convert(self, **overrides):
        lat, lon = point_in()
        fields = {"item": self.item, "actor": self.operator, "category": self.road, "lat": lat, "lon": lon}
        fields.update(overrides)
        return intake_item_convert(**fields)

    def test_it_files_an_email_report_with_the_sender_as_contact(self):
        report = self.convert()

        self.assertEqual((report.channel, report.status), (Channel.EMAIL, ReportStatus.RECEIVED))
        self.assertIn("Ổ gà sâu trước cổng chợ", report.description)
        self.assertNotIn("<", report.description)  # the subject's brackets are not taken for HTML
        self.assertEqual(decrypt(report.contact.email_encrypted), "tran.thu@canary.invalid")
        self.assertEqual(decrypt(report.contact.name_encrypted), "Trần Thị Thư")
        self.assertTrue(report.contact.consent_processing)
        self.assertEqual(report.photos.count(), 1)
        self.item.refresh_from_db()
        self.assertEqual((self.item.status, self.item.report_id), (IntakeStatus.CONVERTED, report.pk))
        self.assertEqual(self.item.handled_by, self.operator)
        self.assertTrue(AuditEntry.objects.filter(action="intake_item.convert", object_id=str(self.item.pk)).exists())

    def test_the_email_report_goes_through_the_whole_flow(self):
        report = self.convert(description="Ổ gà sâu trước cổng chợ")
        self.forward(report)
        report = self.resolve(report)
        self.assertEqual(report.status, ReportStatus.RESOLVED)
        report = self.publish(report)
        self.assertEqual(report.status, ReportStatus.PUBLISHED)
        self.assertEqual(report.agency, self.agency_a)
        received = self.outbox_for("tran.thu@canary.invalid", "citizen_reports.received")
        self.assertEqual(len(received), 1)  # the reporter got the tracking link by e-mail

    def test_it_converts_a_message_only_once(self):
        self.convert()
        with self.assertRaises(ValidationError) as refused:
            self.convert()
        self.assertIn("status", refused.exception.message_dict)
        self.assertEqual(Report.objects.count(), 1)

    def test_a_bad_location_writes_nothing(self):
        with self.assertRaises(ValidationError):
            self.convert(lat=10.0, lon=100.0)
        self.item.refresh_from_db()
        self.assertEqual(self.item.status, IntakeStatus.NEW)
        self.assertFalse(Report.objects.exists())

    def test_only_ioc_staff_handle_mail(self):
        with self.assertRaises(ValidationError):
            self.convert(actor=self.officer_a)
        with self.assertRaises(ValidationError):
            intake_item_discard(item=self.item, actor=self.officer_a, reason="không phải phản ánh")
        self.item.refresh_from_db()
        self.assertEqual(self.item.status, IntakeStatus.NEW)

    def test_discarding_needs_a_reason(self):
        before = AuditEntry.objects.count()
        for reason in ("", "   ", "x" * 1001):
            with self.assertRaises(ValidationError) as refused:
                intake_item_discard(item=self.item, actor=self.operator, reason=reason)
            self.assertIn("reason", refused.exception.message_dict)
        self.item.refresh_from_db()
        self.assertEqual((self.item.status, AuditEntry.objects.count()), (IntakeStatus.NEW, before))

    def test_it_discards_with_the_reason_and_then_refuses_to_convert(self):
        intake_item_discard(item=self.item, actor=self.operator, reason="Thư quảng cáo")
        self.item.refresh_from_db()
        self.assertEqual((self.item.status, self.item.discard_reason), (IntakeStatus.DISCARDED, "Thư quảng cáo"))
        self.assertTrue(AuditEntry.objects.filter(action="intake_item.discard", object_id=str(self.item.pk)).exists())
        with self.assertRaises(ValidationError):
            self.convert()
