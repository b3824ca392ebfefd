"""R8.3 (002:3.3): the share of meeting reports produced from the IOC's data, per period: issued meeting reports
with figures, with text only, and reports recorded as made outside the IOC; corrections count once, withdrawn
entries not at all; bad input names the field and writes nothing; the page and the operations report's figure."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.urls import reverse

from ioc.audit.models import AuditEntry
from ioc.common.periods import period_parse
from ioc.reporting import services
from ioc.reporting.choices import TemplateKind
from ioc.reporting.models import OutsideReport, ReportTemplate
from ioc.reporting.selectors import meeting_report_share
from ioc.reporting.tests.support import MONTH, NOW, ReportingData

JULY = period_parse(MONTH)


def july_share() -> tuple[int, int, int, float | None]:
    share = meeting_report_share(period=MONTH, start=JULY.start, end=JULY.end)
    return share.from_ioc, share.text_only, share.outside, share.share


class ShareCase(ReportingData, TestCase):
    def issue(self, code: str, period: str, day: int) -> object:
        template = ReportTemplate.objects.get(code=code)
        draft = services.report_generate(actor=self.operator, template=template, period=period, now=NOW)
        return services.report_issue(actor=self.operator, report=draft, issued_on=dt.date(2025, 7, day), now=NOW)

    def outside(self, **fields: object) -> OutsideReport:
        values: dict[str, object] = {
            "kind": TemplateKind.BRIEFING,
            "title": "Báo cáo giao ban tháng 7 do Văn phòng tự tổng hợp",
            "issued_on": dt.date(2025, 7, 25),
            "meeting": "Giao ban kinh tế - xã hội tháng 7",
            "reason": "Số liệu ngành nông nghiệp chưa có trên hệ thống",
        }
        values.update(fields)
        return services.outside_report_record(actor=self.operator, **values)  # type: ignore[arg-type]


class ShareCountTest(ShareCase):
    def test_each_kind_of_meeting_report_is_counted_once_and_operations_reports_not_at_all(self) -> None:
        self.assertEqual(july_share(), (0, 0, 0, None))
        self.issue("socio-economic-briefing", MONTH, 20)  # figures from the selectors
        self.issue("ad-hoc", "20250721", 21)  # text only: no placeholder, no table
        self.issue("operations-monthly", MONTH, 22)  # not a meeting report
        self.issue("socio-economic-briefing", "202506", 2)  # June's briefing, issued in July: counted in July
        self.outside()
        self.assertEqual(july_share(), (2, 1, 1, 50.0))

    def test_a_correction_counts_once_and_a_withdrawn_entry_not_at_all(self) -> None:
        issued = self.issue("socio-economic-briefing", MONTH, 20)
        correction = services.report_correct(actor=self.operator, report=issued, now=NOW)  # type: ignore[arg-type]
        services.report_issue(actor=self.operator, report=correction, issued_on=dt.date(2025, 7, 23), now=NOW)
        entry = self.outside()
        self.assertEqual(july_share(), (1, 0, 1, 50.0))
        services.outside_report_withdraw(actor=self.operator, report=entry, reason="Ghi nhầm")
        self.assertEqual(july_share(), (1, 0, 0, 100.0))
        audited = AuditEntry.objects.filter(action__startswith="reporting.outside", object_id=str(entry.pk))
        self.assertEqual(
            set(audited.values_list("action", flat=True)), {"reporting.outside_record", "reporting.outside_withdraw"}
        )

    def test_the_operations_report_carries_the_share_as_a_figure(self) -> None:
        self.issue("socio-economic-briefing", MONTH, 20)
        self.outside()
        report = services.report_generate(actor=self.operator, template=self.monthly, period=MONTH, now=NOW)
        self.assertEqual(report.figures["reporting.meeting_share"]["value"], "1/2 (50,0 %)")


class ShareRefusalTest(ShareCase):
    def assert_refused(self, field: str, **fields: object) -> None:
        with self.assertRaises(ValidationError) as caught:
            self.outside(**fields)
        self.assertIn(field, caught.exception.message_dict)
        self.assertFalse(OutsideReport.objects.exists())

    def test_bad_fields_are_named_and_nothing_is_written(self) -> None:
        self.assert_refused("kind", kind=TemplateKind.OPERATIONS)
        self.assert_refused("issued_on", issued_on=dt.date.today() + dt.timedelta(days=2))
        self.assert_refused("reason", reason="   ")
        self.assert_refused("title", title="<b>Báo cáo</b>")
        self.assert_refused("meeting", meeting="x" * 301)

    def test_an_agency_officer_may_not_record_and_a_withdrawal_happens_once(self) -> None:
        with self.assertRaises(PermissionDenied):
            services.outside_report_record(
                actor=self.officer_a,
                kind=TemplateKind.BRIEFING,
                title="T",
                issued_on=dt.date(2025, 7, 1),
                meeting="M",
                reason="R",
            )
        entry = self.outside()
        services.outside_report_withdraw(actor=self.operator, report=entry, reason="Ghi nhầm")
        with self.assertRaises(ValidationError) as caught:
            services.outside_report_withdraw(actor=self.operator, report=entry, reason="Lần nữa")
        self.assertIn("reason", caught.exception.message_dict)
        entry.refresh_from_db()
        self.assertEqual(entry.withdrawn_reason, "Ghi nhầm")


class SharePageTest(ShareCase):
    url = reverse("reporting:share")

    def test_the_year_table_and_recording_from_the_page(self) -> None:
        self.issue("socio-economic-briefing", MONTH, 20)
        self.sign_in(self.client, self.operator)
        page = self.client.get(self.url, {"nam": "2025"})
        self.assertContains(
            page, 'data-share="202507"><span class="badge bg-success-lt">100,0 %'
        )  # Vietnamese decimal comma
        form = {
            "kind": TemplateKind.THEMATIC,
            "title": "Chuyên đề ngập lụt",
            "issued_on": "2025-07-28",
            "meeting": "Họp chuyên đề phòng chống lụt",
            "reason": "Lập trước khi có số liệu trạm đo",
        }
        response = self.client.post(self.url, form)
        self.assertRedirects(response, f"{self.url}?nam=2025")
        self.assertContains(self.client.get(self.url, {"nam": "2025"}), "Chuyên đề ngập lụt")
        self.assertEqual(july_share(), (1, 0, 1, 50.0))

    def test_bad_input_on_the_page_is_a_form_error_and_writes_nothing(self) -> None:
        self.sign_in(self.client, self.operator)
        self.assertEqual(self.client.get(self.url, {"nam": "20x5"}).status_code, 400)
        response = self.client.post(self.url, {"kind": TemplateKind.BRIEFING, "title": "T", "issued_on": "2025-07-28"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, 'data-field="reason"', status_code=400)
        self.assertFalse(OutsideReport.objects.exists())

    def test_an_agency_officer_sees_neither_the_page_nor_the_withdrawal(self) -> None:
        entry = self.outside()
        self.sign_in(self.client, self.officer_a)
        self.assertEqual(self.client.get(self.url).status_code, 403)
        withdraw = reverse("reporting:share_withdraw", kwargs={"pk": entry.pk})
        self.assertEqual(self.client.post(withdraw, {"reason": "x"}).status_code, 403)
        entry.refresh_from_db()
        self.assertIsNone(entry.withdrawn_at)
