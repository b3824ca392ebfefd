"""R8.3: a draft is edited (placeholders stay linked) and refreshed; issuing freezes it (number, date, document,
audit); an issued report is never changed in place, even when its source data change: a correction is a new
version."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.test import TestCase

from ioc.audit.models import AuditEntry
from ioc.reporting import services
from ioc.reporting.models import Report
from ioc.reporting.tests.support import MONTH, NOW, VN, ReportingData


def block_id(report: Report, marker: str) -> str:
    return str(next(b["id"] for s in report.content for b in s["blocks"] if marker in b.get("text", "")))


def editable_id(report: Report) -> str:
    return str(next(b["id"] for s in report.content for b in s["blocks"] if "editable" in b))


class EditIssueTest(ReportingData, TestCase):
    def setUp(self) -> None:
        self.report = services.report_generate(actor=self.operator, template=self.monthly, period=MONTH, now=NOW)

    def test_the_editor_changes_text_and_placeholders_stay_linked(self) -> None:
        target = block_id(self.report, "{{ citizen_reports.received }}")
        report = services.report_edit(
            actor=self.operator,
            report=self.report,
            texts={
                target: "Đã nhận {{ citizen_reports.received }} phản ánh; {{ assignments.late }} việc trễ.",
                editable_id(self.report): "Thiếu nhân lực trực ca đêm.",
            },
            signer_name="Nguyễn Văn A",
            now=NOW,
        )
        text = next(b["text"] for s in report.content for b in s["blocks"] if b["id"] == target)
        self.assertIn("{{ citizen_reports.received }}", text)
        self.assertEqual(report.signer_name, "Nguyễn Văn A")
        self.assertTrue(AuditEntry.objects.filter(action="report.edit", object_id=str(report.pk)).exists())

    def test_an_edit_naming_no_registered_figure_is_refused(self) -> None:
        target = block_id(self.report, "{{ citizen_reports.received }}")
        with self.assertRaises(ValidationError) as caught:
            services.report_edit(actor=self.operator, report=self.report, texts={target: "Có {{ so.bia }}."})
        self.assertIn("so.bia", caught.exception.message_dict["texts"][0])
        with self.assertRaises(ValidationError) as caught:
            services.report_edit(actor=self.operator, report=self.report, texts={"b999": "x"})
        self.assertIn("b999", caught.exception.message_dict["texts"][0])
        with self.assertRaises(ValidationError) as caught:
            services.report_edit(actor=self.operator, report=self.report, title="  ")
        self.assertIn("title", caught.exception.message_dict)
        self.report.refresh_from_db()
        self.assertFalse(AuditEntry.objects.filter(action="report.edit").exists())

    def test_refresh_follows_the_source_data(self) -> None:
        self._received(dt.datetime(2025, 7, 28, 8, 0, tzinfo=VN))
        report = services.report_refresh(actor=self.operator, report=self.report, now=NOW)
        self.assertEqual(report.figures["citizen_reports.received"]["value"], 6)

    def test_issuing_freezes_number_date_document_and_writes_an_audit_entry(self) -> None:
        issued = services.report_issue(actor=self.operator, report=self.report, now=NOW)
        self.assertEqual(
            (issued.state, issued.number, issued.issued_on), ("issued", "1/BC-TTGSĐH", dt.date(2025, 8, 5))
        )
        self.assertTrue(bytes(issued.document or b"").startswith(b"PK"))
        entry = AuditEntry.objects.get(action="report.issue", object_id=str(issued.pk))
        self.assertEqual(entry.changes["number"], "1/BC-TTGSĐH")
        second = services.report_generate(actor=self.operator, template=self.monthly, period="202506", now=NOW)
        self.assertEqual(services.report_issue(actor=self.operator, report=second, now=NOW).number, "2/BC-TTGSĐH")

    def test_an_issued_report_is_never_changed_in_place(self) -> None:
        issued = services.report_issue(actor=self.operator, report=self.report, now=NOW)
        frozen = (issued.figures, issued.content, bytes(issued.document or b""), issued.document_sha256)
        self._received(dt.datetime(2025, 7, 28, 8, 0, tzinfo=VN))  # the source data change
        for attempt in (
            lambda: services.report_edit(actor=self.operator, report=issued, title="Khác"),
            lambda: services.report_refresh(actor=self.operator, report=issued),
            lambda: services.report_issue(actor=self.operator, report=issued),
        ):
            with self.assertRaises(ValidationError) as caught:
                attempt()
            self.assertIn("đính chính", caught.exception.message_dict["state"][0])
        issued.refresh_from_db()
        self.assertEqual(
            (issued.figures, issued.content, bytes(issued.document or b""), issued.document_sha256), frozen
        )
        self.assertEqual(issued.figures["citizen_reports.received"]["value"], 5)

    def test_a_correction_is_a_new_version_with_fresh_figures(self) -> None:
        issued = services.report_issue(actor=self.operator, report=self.report, now=NOW)
        self._received(dt.datetime(2025, 7, 28, 8, 0, tzinfo=VN))
        fresh = services.report_correct(actor=self.operator, report=issued, now=NOW)
        self.assertEqual((fresh.version, fresh.corrects_id, fresh.state), (2, issued.pk, "draft"))
        self.assertEqual(fresh.figures["citizen_reports.received"]["value"], 6)
        with self.assertRaises(ValidationError):
            services.report_correct(actor=self.operator, report=issued)
        with self.assertRaises(ValidationError):
            services.report_correct(actor=self.operator, report=fresh)

    def test_a_number_already_used_is_refused(self) -> None:
        services.report_issue(actor=self.operator, report=self.report, number="7/BC-TTGSĐH", now=NOW)
        other = services.report_generate(actor=self.operator, template=self.monthly, period="202506", now=NOW)
        with self.assertRaises(ValidationError) as caught:
            services.report_issue(actor=self.operator, report=other, number="7/BC-TTGSĐH", now=NOW)
        self.assertIn("7/BC-TTGSĐH", caught.exception.message_dict["number"][0])
        other.refresh_from_db()
        self.assertEqual(other.state, "draft")
