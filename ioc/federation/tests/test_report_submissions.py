"""R8.2, R9.1: an issued report goes to the parent through the outbox (one signed message with its .docx), the
obligation records the submission, the parent keeps it in the archive of subordinate reports; a correction
supersedes the earlier version and a late earlier version never overwrites it; bad input is refused, naming the
field, and writes nothing."""

from __future__ import annotations

import base64
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from ioc.federation import services
from ioc.federation.choices import UP_FLOWS, Flow, OutState
from ioc.federation.models import OutboxMessage, ReportSubmission, SubordinateReport
from ioc.federation.services.submissions import report_payload
from ioc.federation.tests.base import FederationTestCase, body_of, client_transport, message, signed_meta
from ioc.reporting import services as reporting_services
from ioc.reporting.models import Report, ReportObligation, ReportTemplate

PERIOD = "202511"


class SubmissionsCase(FederationTestCase):
    def issued(self, period: str = PERIOD) -> Report:
        template = ReportTemplate.objects.get(code="operations-monthly")
        draft = reporting_services.report_generate(actor=self.operator, template=template, period=period)
        return reporting_services.report_issue(actor=self.operator, report=draft)

    def deliver(self) -> None:
        services.deliver_due(transport=client_transport(self.client))


class ReportSubmitTest(SubmissionsCase):
    def test_an_issued_report_reaches_the_parents_archive_and_the_obligation_records_it(self) -> None:
        obligation, _new = reporting_services.report_obligation_ensure(
            calendar_code="thang", frequency="monthly", period=PERIOD, name="Báo cáo tháng", due_day=25
        )
        report = self.issued()
        submission = services.report_submit(actor=self.operator, report=report)
        row = OutboxMessage.objects.get(pk=submission.message_id)
        self.assertEqual(
            (row.flow, row.solo, row.object_key), (Flow.REPORT_SUBMITTED, True, "report:operations-monthly:202511")
        )
        obligation.refresh_from_db()
        self.assertEqual((obligation.sent_to, obligation.sent_at), (self.link.name, submission.submitted_at))
        self.deliver()
        row.refresh_from_db()
        self.assertEqual((row.state, row.result), (OutState.DELIVERED, "applied"))
        received = SubordinateReport.objects.get()
        self.assertEqual(bytes(received.document), bytes(report.document or b""))
        self.assertEqual((received.number, received.period, received.is_current), (report.number, PERIOD, True))

    def test_a_correction_supersedes_and_a_late_earlier_version_does_not(self) -> None:
        first = self.issued()
        services.report_submit(actor=self.operator, report=first)
        correction = reporting_services.report_correct(actor=self.operator, report=first)
        second = reporting_services.report_issue(actor=self.operator, report=correction)
        services.report_submit(actor=self.operator, report=second)
        self.deliver()
        current = SubordinateReport.objects.get(is_current=True)
        self.assertEqual((current.version, current.number), (2, second.number))
        self.assertEqual(SubordinateReport.objects.count(), 2)
        late = message(Flow.REPORT_SUBMITTED, "report:operations-monthly:202511", 1, report_payload(first))
        response = self.post(body_of(late), **signed_meta(body_of(late)))
        self.assertEqual(response.json()["results"][0]["status"], "superseded")
        self.assertEqual(SubordinateReport.objects.get(is_current=True).pk, current.pk)

    def test_refusals_name_the_field_and_write_nothing(self) -> None:
        template = ReportTemplate.objects.get(code="operations-monthly")
        draft = reporting_services.report_generate(actor=self.operator, template=template, period="202510")
        with self.assertRaises(ValidationError) as ctx:
            services.report_submit(actor=self.operator, report=draft)
        self.assertIn("report", ctx.exception.message_dict)
        report = self.issued()
        with self.assertRaises(PermissionDenied):
            services.report_submit(actor=self.officer_a, report=report)
        services.link_update(
            actor=self.admin,
            link=self.link,
            name=self.link.name,
            base_url=self.link.base_url,
            flows=sorted(UP_FLOWS - {Flow.REPORT_SUBMITTED}),
            indicator_codes=self.link.indicator_codes,
            is_active=True,
        )
        with self.assertRaises(ValidationError) as ctx:
            services.report_submit(actor=self.operator, report=report)
        self.assertIn("link", ctx.exception.message_dict)
        self.assertFalse(ReportSubmission.objects.exists())
        self.assertFalse(OutboxMessage.objects.exists())
        self.assertEqual(ReportObligation.objects.exclude(sent_to="").count(), 0)

    def test_the_same_version_is_not_sent_twice(self) -> None:
        report = self.issued()
        services.report_submit(actor=self.operator, report=report)
        with self.assertRaises(ValidationError) as ctx:
            services.report_submit(actor=self.operator, report=report)
        self.assertIn("report", ctx.exception.message_dict)
        self.assertEqual(OutboxMessage.objects.count(), 1)

    def test_the_receiver_refuses_a_document_that_does_not_match_its_digest(self) -> None:
        payload = report_payload(self.issued())
        for change, field in (
            ({"sha256": "0" * 64}, "sha256"),
            ({"docx": "***"}, "docx"),
            ({"docx": base64.b64encode(b"MZ not a docx").decode()}, "docx"),
            ({"period": "2025-11"}, "period"),
            ({"title": ""}, "title"),
            ({"version": "1"}, "version"),
        ):
            item = message(Flow.REPORT_SUBMITTED, "report:x", 1, {**payload, **change}, message_id=str(uuid.uuid4()))
            response = self.post(body_of(item), **signed_meta(body_of(item)))
            self.assertEqual(response.status_code, 422, response.content)
            self.assertIn(f"messages[0].payload.{field}", response.json()["error"]["fields"])
        self.assertFalse(SubordinateReport.objects.exists())


class SubmissionPagesTest(SubmissionsCase):
    def test_submit_from_the_page_then_read_and_download_in_the_archive(self) -> None:
        report = self.issued()
        self.sign_in(self.client, self.operator)
        url = reverse("federation:report_submit", args=[report.pk])
        self.assertContains(self.client.get(url), 'id="report-submit"')
        self.assertRedirects(self.client.post(url, {"link": self.link.pk}), url)
        response = self.client.post(url, {"link": self.link.pk})
        self.assertContains(response, "This version was already sent", status_code=400)
        self.deliver()
        received = SubordinateReport.objects.get()
        archive = self.client.get(reverse("federation:subordinate_reports"), {"q": "hoat dong thang 11"})
        self.assertContains(archive, f'data-subordinate-report="{received.pk}"')
        download = self.client.get(reverse("federation:subordinate_report_download", args=[received.pk]))
        self.assertEqual(download.content, bytes(report.document or b""))

    def test_an_officer_is_refused(self) -> None:
        report = self.issued()
        self.sign_in(self.client, self.officer_a)
        self.assertEqual(self.client.get(reverse("federation:subordinate_reports")).status_code, 403)
        self.assertEqual(self.client.post(reverse("federation:report_submit", args=[report.pk])).status_code, 403)
        self.assertFalse(OutboxMessage.objects.exists())
