"""R8: the pages under /bao-cao/ — the archive's search without diacritics, generating with a form error naming
the field, editing, issuing, downloading by the roles allowed; agency B's officer never reads agency A's report."""

from __future__ import annotations

from django.test import TestCase
from django.urls import reverse

from ioc.reporting import services
from ioc.reporting.models import Report
from ioc.reporting.tests.support import MONTH, NOW, ReportingData


class ReportPagesTest(ReportingData, TestCase):
    def setUp(self) -> None:
        self.report = services.report_generate(actor=self.operator, template=self.monthly, period=MONTH, now=NOW)

    def test_the_archive_finds_reports_without_diacritics(self) -> None:
        self.sign_in(self.client, self.operator)
        found = self.client.get(reverse("reporting:index"), {"q": "ket qua hoat dong thang 7"})
        self.assertContains(found, f'data-report="{self.report.pk}"')
        missing = self.client.get(reverse("reporting:index"), {"q": "thang 9"})
        self.assertNotContains(missing, f'data-report="{self.report.pk}"')

    def test_generate_names_the_field_of_a_bad_period(self) -> None:
        self.sign_in(self.client, self.operator)
        data = {"template": "operations-monthly", "period": "2025Q3", "scope_kind": "territory"}
        response = self.client.post(reverse("reporting:generate"), data)
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "2025Q3", status_code=400)
        self.assertEqual(Report.objects.count(), 1)
        data["period"] = "202506"
        response = self.client.post(reverse("reporting:generate"), data)
        created = Report.objects.latest("pk")
        self.assertRedirects(response, reverse("reporting:detail", args=[created.pk]))

    def test_edit_issue_and_download(self) -> None:
        self.sign_in(self.client, self.operator)
        edit = self.client.get(reverse("reporting:edit", args=[self.report.pk]))
        self.assertContains(edit, "citizen_reports.received")
        form = edit.context["form"]
        data = {name: form[name].value() or "" for name in form.fields}
        data["signer_name"] = "Lê Văn C"
        response = self.client.post(reverse("reporting:edit", args=[self.report.pk]), data)
        self.assertRedirects(response, reverse("reporting:detail", args=[self.report.pk]))
        self.client.post(reverse("reporting:issue", args=[self.report.pk]), {"number": ""})
        self.report.refresh_from_db()
        self.assertEqual((self.report.state, self.report.signer_name), ("issued", "Lê Văn C"))
        docx = self.client.get(reverse("reporting:download", args=[self.report.pk, "docx"]))
        self.assertEqual(docx.content, bytes(self.report.document or b""))
        xlsx = self.client.get(reverse("reporting:download", args=[self.report.pk, "xlsx"]))
        self.assertTrue(xlsx.content.startswith(b"PK"))
        self.assertEqual(self.client.get(reverse("reporting:download", args=[self.report.pk, "exe"])).status_code, 404)
        again = self.client.get(reverse("reporting:edit", args=[self.report.pk]))
        self.assertRedirects(again, reverse("reporting:detail", args=[self.report.pk]))

    def test_agency_b_never_reads_agency_as_report(self) -> None:
        own = services.report_generate(
            actor=self.officer_a,
            template=self.monthly,
            period=MONTH,
            scope_kind="agency",
            agency=self.agency_a,
            now=NOW,
        )
        self.sign_in(self.client, self.officer_b)
        self.assertEqual(self.client.get(reverse("reporting:detail", args=[own.pk])).status_code, 404)
        self.assertEqual(self.client.get(reverse("reporting:download", args=[own.pk, "docx"])).status_code, 404)
        self.assertEqual(self.client.get(reverse("reporting:detail", args=[self.report.pk])).status_code, 404)
        self.sign_in(self.client, self.officer_a)
        self.assertEqual(self.client.get(reverse("reporting:detail", args=[own.pk])).status_code, 200)

    def test_a_citizen_is_refused(self) -> None:
        self.sign_in(self.client, self.citizen)
        self.assertEqual(self.client.get(reverse("reporting:index")).status_code, 403)
        self.assertEqual(self.client.post(reverse("reporting:issue", args=[self.report.pk])).status_code, 403)
        self.report.refresh_from_db()
        self.assertEqual(self.report.state, "draft")

    def test_the_calendar_page_states_the_moved_day_rule(self) -> None:
        # R8.2: October 2025's monthly report is due before Saturday the 25th; the page says why it moved.
        services.report_obligation_ensure(
            calendar_code="bao-cao-thang",
            frequency="monthly",
            period="202510",
            name="Báo cáo tháng",
            due_day=25,
            due_rule="Trước ngày 25 hằng tháng",
        )
        self.sign_in(self.client, self.operator)
        page = self.client.get(reverse("reporting:calendar"))
        self.assertContains(page, "27/10/2025")
        self.assertContains(
            page,
            "Trước ngày 25 hằng tháng; thứ Bảy 25/10/2025 là ngày nghỉ nên hạn chuyển sang ngày làm việc kế tiếp, "
            "thứ Hai 27/10/2025",
        )
