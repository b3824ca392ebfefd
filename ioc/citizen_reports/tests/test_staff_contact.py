"""The reporter's contact on the operators' pages (R7.5) and the object scope of a report's page (R7.1)."""

from __future__ import annotations

from django.test import TestCase
from django.urls import reverse

from ioc.audit.models import AuditEntry
from ioc.citizen_reports.models import Report
from ioc.citizen_reports.tests.test_staff_support import EMAIL, PHONE, StaffMixin, contact


def urls(report: Report) -> tuple[str, str]:
    return (
        reverse("citizen_reports:staff_report_detail", kwargs={"pk": report.pk}),
        reverse("citizen_reports:staff_report_contact", kwargs={"pk": report.pk}),
    )


class ContactViewTest(StaffMixin, TestCase):
    def reads(self) -> int:
        return AuditEntry.objects.filter(action="personal_data.read").count()

    def test_it_hides_the_contact_until_asked_then_audits_the_view(self) -> None:
        report = self.receive()
        detail, contact_url = urls(report)
        client = self.signed_in(self.operator)
        page = client.get(detail)
        self.assertNotContains(page, PHONE)
        self.assertNotContains(page, EMAIL)
        self.assertContains(page, "Xem thông tin liên hệ")
        before = self.reads()
        self.assertRedirects(client.get(contact_url), detail, fetch_redirect_response=False)  # a GET shows nothing
        self.assertEqual(self.reads(), before)
        shown = client.post(contact_url)
        self.assertContains(shown, PHONE)
        self.assertContains(shown, EMAIL)
        self.assertContains(shown, "data-contact-shown")
        self.assertEqual(self.reads(), before + 1)
        entry = AuditEntry.objects.filter(action="personal_data.read").latest("pk")
        self.assertEqual(entry.actor_id, self.operator.pk)
        self.assertEqual(entry.object_id, str(report.pk))

    def test_it_shows_the_holding_agency_the_contact_only_with_consent(self) -> None:
        shared = self.forward(self.receive(contact=contact(consent_share_with_agency=True)))
        private = self.forward(self.receive())
        officer = self.signed_in(self.officer_a)
        self.assertContains(officer.post(urls(shared)[1]), PHONE)
        before = self.reads()
        refused = officer.post(urls(private)[1], follow=True)
        self.assertNotContains(refused, PHONE)
        self.assertContains(refused, "chưa đồng ý chia sẻ")
        self.assertEqual(self.reads(), before)

    def test_it_gives_another_agency_404(self) -> None:
        report = self.forward(self.receive(contact=contact(consent_share_with_agency=True)))
        detail, contact_url = urls(report)
        photo = report.photos.get()
        photo_url = reverse("citizen_reports:staff_report_photo", kwargs={"pk": report.pk, "photo_pk": photo.pk})
        officer_b = self.signed_in(self.officer_b)
        before = self.reads()
        self.assertEqual(officer_b.get(detail).status_code, 404)
        self.assertEqual(officer_b.post(contact_url).status_code, 404)
        self.assertEqual(officer_b.get(photo_url).status_code, 404)
        self.assertEqual(self.reads(), before)
        self.assertEqual(self.signed_in(self.officer_a).get(detail).status_code, 200)

    def test_it_gives_an_agency_404_before_forwarding(self) -> None:
        report = self.receive()
        self.assertEqual(self.signed_in(self.officer_a).get(urls(report)[0]).status_code, 404)
        self.assertEqual(self.signed_in(self.citizen).get(urls(report)[0]).status_code, 403)
