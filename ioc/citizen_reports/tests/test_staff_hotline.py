"""Reports an operator takes (R3.1): the hotline form (emergency question first, then either the emergency
branch, an alert from people in the IOC's alert inbox — issue 12 — or a report) and the social-media form (the
post link kept)."""

from __future__ import annotations

from typing import Any

from django.test import TestCase
from django.urls import reverse

from ioc.audit.models import AuditEntry
from ioc.citizen_reports.models import Report, ReporterContact
from ioc.citizen_reports.tests.test_staff_support import COMMUNE, PHONE, StaffMixin, unit

HOTLINE = reverse("citizen_reports:staff_hotline")
SOCIAL = reverse("citizen_reports:staff_social")


class HotlineTest(StaffMixin, TestCase):
    def setUp(self) -> None:
        self.client = self.signed_in(self.operator)

    def data(self, **overrides: Any) -> dict[str, Any]:
        fields: dict[str, Any] = {
            "not_emergency": "on",
            "category": self.road.pk,
            "description": "Cống bị tắc, nước tràn ra đường",
            "unit": COMMUNE,
            "address": "Số 12 đường Trưng Trắc",
            "name": "Người gọi Canary",
            "phone": PHONE,
            "consent_processing": "on",
            "anonymous_to_public": "on",
        }
        fields.update(overrides)
        return {k: v for k, v in fields.items() if v is not None}

    def test_it_asks_about_an_emergency_first_with_the_emergency_branch_before_the_report(self) -> None:
        page = self.client.get(HOTLINE)
        self.assertEqual(page.status_code, 200)
        text = page.content.decode()
        question = "Có phải tình huống khẩn cấp (cháy, tai nạn, tội phạm, thiên tai)?"
        self.assertIn(question, text)
        for number in ("113", "114", "115"):
            self.assertIn(number, text)
        self.assertLess(text.index(question), text.index('id="emergency-form"'))
        self.assertLess(text.index('id="emergency-form"'), text.index('id="report-form"'))
        # Two forms: the emergency branch (an alert) and the report, whose first field confirms it is no emergency.
        self.assertEqual(next(iter(page.context["form"].fields)), "not_emergency")
        self.assertNotIn("emergency", [name for name in page.context["form"].fields if name != "not_emergency"])
        self.assertEqual(text.count('method="post" class="card"'), 1)  # the report form
        self.assertIn('name="branch" value="emergency"', text)
        self.assertIn('form="report-form"', text)  # the confirmation box is submitted with the report

    def test_it_files_a_hotline_report_with_the_operator_as_actor(self) -> None:
        response = self.client.post(HOTLINE, self.data())
        report = Report.objects.get()
        self.assertRedirects(
            response,
            reverse("citizen_reports:staff_report_detail", kwargs={"pk": report.pk}),
            fetch_redirect_response=False,
        )
        self.assertEqual(report.channel, "hotline")
        self.assertEqual(report.created_by, self.operator)
        self.assertEqual(report.unit_id, unit(COMMUNE).pk)
        stored = ReporterContact.objects.get(report=report)
        self.assertTrue(stored.consent_processing)
        self.assertFalse(stored.consent_share_with_agency)
        self.assertNotIn(PHONE, stored.phone_encrypted)
        entry = AuditEntry.objects.filter(action="report.receive").latest("pk")
        self.assertEqual(entry.actor_id, self.operator.pk)

    def test_it_refuses_without_the_emergency_answer(self) -> None:
        response = self.client.post(HOTLINE, self.data(not_emergency=None))
        self.assertEqual(response.status_code, 400)
        self.assertIn("not_emergency", response.context["form"].errors)
        self.assertFalse(Report.objects.exists())

    def test_it_refuses_a_contact_without_consent_and_bad_fields(self) -> None:
        no_consent = self.client.post(HOTLINE, self.data(consent_processing=None))
        self.assertEqual(no_consent.status_code, 400)
        self.assertIn("consent_processing", no_consent.context["form"].errors)
        bad = self.client.post(HOTLINE, self.data(phone="12ab", description="<b>x</b>", unit=None, address=""))
        self.assertEqual(bad.status_code, 400)
        errors = bad.context["form"].errors
        self.assertIn("phone", errors)  # the service names each bad field at once
        self.assertIn("description", errors)
        outside = self.client.post(HOTLINE, self.data(lat="21.0285", lon="105.8542"))
        self.assertEqual(outside.status_code, 400)
        self.assertIn("lat", outside.context["form"].errors)
        self.assertFalse(Report.objects.exists())

    def test_it_files_a_social_media_report_keeping_the_link(self) -> None:
        page = self.client.get(SOCIAL)
        self.assertEqual(page.status_code, 200)
        url = "https://www.facebook.com/groups/hungyen/posts/123"
        data = self.data(not_emergency=None, social_url=url, name=None, phone=None, consent_processing=None)
        response = self.client.post(SOCIAL, data)
        report = Report.objects.get()
        self.assertEqual(response.status_code, 302)
        self.assertEqual((report.channel, report.social_url), ("social", url))
        self.assertFalse(ReporterContact.objects.filter(report=report).exists())
        self.assertContains(self.client.get(response["Location"]), url)

    def test_it_refuses_a_social_report_without_a_valid_link(self) -> None:
        for value in ("", "javascript:alert(1)", "not a link"):
            response = self.client.post(SOCIAL, self.data(not_emergency=None, social_url=value))
            self.assertEqual(response.status_code, 400)
            self.assertIn("social_url", response.context["form"].errors)
        self.assertFalse(Report.objects.exists())
