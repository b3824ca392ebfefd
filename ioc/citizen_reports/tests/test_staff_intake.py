"""The e-mail intake queue (R3.1): new messages listed, each turned into a report or discarded with a reason."""

from __future__ import annotations

import mailbox as std_mailbox
import tempfile
from pathlib import Path

from django.test import TestCase
from django.urls import reverse

from ioc.citizen_reports.mailbox import MaildirSource
from ioc.citizen_reports.models import IntakeItem, Report
from ioc.citizen_reports.services.intake import intake_fetch
from ioc.citizen_reports.tests.mail_samples import jpeg_bytes, mail
from ioc.citizen_reports.tests.test_staff_support import COMMUNE, StaffMixin, unit

LIST = reverse("citizen_reports:staff_intake")


class IntakeQueueTest(StaffMixin, TestCase):
    def setUp(self) -> None:
        self.client = self.signed_in(self.operator)
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        path = Path(tmp.name) / "Maildir"
        box = std_mailbox.Maildir(str(path), create=True)
        box.add(mail(message_id="<s1@canary.invalid>", attachments=(("a.jpg", "image/jpeg", jpeg_bytes()),)))
        box.add(mail(message_id="<s2@canary.invalid>", subject="Quảng cáo", text="Mua ngay!"))
        with self.captureOnCommitCallbacks(execute=True):
            intake_fetch(source=MaildirSource(path))
        self.item = IntakeItem.objects.get(message_id="<s1@canary.invalid>")
        self.junk = IntakeItem.objects.get(message_id="<s2@canary.invalid>")

    def item_url(self, item: IntakeItem) -> str:
        return reverse("citizen_reports:staff_intake_item", kwargs={"pk": item.pk})

    def test_it_lists_new_messages_without_the_sender(self) -> None:
        response = self.client.get(LIST)
        self.assertContains(response, "Ổ gà trên đường")
        self.assertContains(response, "Quảng cáo")
        self.assertNotContains(response, "dan.nguyen@canary.invalid")
        with self.assertNumQueries(7):
            self.client.get(LIST)

    def test_it_prefills_the_description_and_converts_to_a_report(self) -> None:
        page = self.client.get(self.item_url(self.item))
        self.assertEqual(
            page.context["convert"].initial["description"], "Ổ gà trên đường\n\nĐường có ổ gà lớn trước số 12."
        )
        self.assertNotContains(page, "dan.nguyen@canary.invalid")
        data = {"do": "convert", "category": self.road.pk, "unit": COMMUNE, "description": "Ổ gà trước số 12"}
        response = self.client.post(self.item_url(self.item), data)
        report = Report.objects.get()
        self.assertRedirects(
            response,
            reverse("citizen_reports:staff_report_detail", kwargs={"pk": report.pk}),
            fetch_redirect_response=False,
        )
        self.assertEqual((report.channel, report.description), ("email", "Ổ gà trước số 12"))
        self.assertEqual(report.unit_id, unit(COMMUNE).pk)
        self.assertEqual(report.photos.count(), 1)
        self.item.refresh_from_db()
        self.assertEqual((self.item.status, self.item.report_id), ("converted", report.pk))
        self.assertNotContains(self.client.get(LIST), "Ổ gà trên đường")
        self.assertEqual(self.client.get(self.item_url(self.item)).status_code, 404)  # handled: gone from the queue

    def test_it_refuses_a_conversion_without_category_or_place(self) -> None:
        response = self.client.post(self.item_url(self.item), {"do": "convert", "description": "x"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("category", response.context["convert"].errors)
        nowhere = self.client.post(
            self.item_url(self.item), {"do": "convert", "category": self.road.pk, "description": "x"}
        )
        self.assertEqual(nowhere.status_code, 400)
        self.assertIn("address", nowhere.context["convert"].errors)
        self.assertFalse(Report.objects.exists())
        self.item.refresh_from_db()
        self.assertEqual(self.item.status, "new")

    def test_it_discards_with_a_reason_only(self) -> None:
        refused = self.client.post(self.item_url(self.junk), {"do": "discard", "reason": ""})
        self.assertEqual(refused.status_code, 400)
        self.assertIn("reason", refused.context["discard"].errors)
        self.junk.refresh_from_db()
        self.assertEqual(self.junk.status, "new")
        done = self.client.post(self.item_url(self.junk), {"do": "discard", "reason": "Thư quảng cáo"})
        self.assertRedirects(done, LIST, fetch_redirect_response=False)
        self.junk.refresh_from_db()
        self.assertEqual((self.junk.status, self.junk.discard_reason), ("discarded", "Thư quảng cáo"))

    def test_it_is_for_the_ioc_only(self) -> None:
        self.assertEqual(self.signed_in(self.officer_a).get(LIST).status_code, 403)
        self.assertEqual(
            self.signed_in(self.officer_a).post(self.item_url(self.junk), {"do": "discard"}).status_code, 403
        )
