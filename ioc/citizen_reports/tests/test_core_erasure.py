"""R7.5: reporters' contacts are erased a configurable time after the report closed."""

import datetime as dt
import io

from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from ioc.audit.models import AuditEntry
from ioc.citizen_reports import services
from ioc.citizen_reports.models import Report, ReporterContact
from ioc.citizen_reports.selectors import report_contact_for
from ioc.citizen_reports.tests.test_core_support import CoreMixin


class ContactErasureTest(CoreMixin, TestCase):
    def closed(self, days_ago):
        report = self.receive().report
        services.report_reject(report=report, actor=self.operator, reason="Không thuộc phạm vi")
        Report.objects.filter(pk=report.pk).update(closed_at=timezone.now() - dt.timedelta(days=days_ago))
        return report

    def test_it_erases_contacts_of_reports_closed_longer_than_the_retention(self):
        old = self.closed(731)
        recent = self.closed(700)
        open_report = self.receive().report
        Report.objects.filter(pk=open_report.pk).update(received_at=timezone.now() - dt.timedelta(days=900))
        self.assertEqual(services.contact_erase_due(), 1)
        erased = ReporterContact.objects.get(report=old)
        self.assertIsNotNone(erased.erased_at)
        self.assertEqual(
            (erased.name_encrypted, erased.phone_encrypted, erased.email_encrypted, erased.phone_index),
            ("", "", "", ""),
        )
        self.assertIsNone(report_contact_for(user=self.operator, report=old))
        self.assertIsNotNone(report_contact_for(user=self.operator, report=recent))
        self.assertIsNone(ReporterContact.objects.get(report=open_report).erased_at)
        entry = AuditEntry.objects.get(action="reporter_contact.erase")
        self.assertEqual(entry.row_count, 1)

    def test_it_is_safe_to_run_twice(self):
        self.closed(800)
        self.assertEqual(services.contact_erase_due(), 1)
        self.assertEqual(services.contact_erase_due(), 0)

    def test_it_follows_the_retention_setting(self):
        report = self.closed(40)
        with self.settings(REPORT_CONTACT_RETENTION_DAYS=30):
            self.assertEqual(services.contact_erase_due(), 1)
        self.assertIsNotNone(ReporterContact.objects.get(report=report).erased_at)

    def test_it_erases_through_the_management_command(self):
        self.closed(1000)
        out = io.StringIO()
        call_command("reports_erase_contacts", stdout=out)
        self.assertIn("Erased 1 contacts", out.getvalue())
        self.assertEqual(ReporterContact.objects.filter(erased_at__isnull=False).count(), 1)

    def test_it_sends_nothing_to_an_erased_reporter(self):
        original = self.receive().report
        dup = self.closed(800)
        Report.objects.filter(pk=dup.pk).update(status="duplicate", duplicate_of=original)
        services.contact_erase_due()
        services.report_verify(report=original, actor=self.operator)
        services.report_forward(report=original, actor=self.operator)
        self.assertEqual(len(self.outbox_for("reporter-core@canary.invalid", "citizen_reports.forwarded")), 1)
