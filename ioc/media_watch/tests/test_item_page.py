"""An item's page (R5.7, 002:6.5): the operator makes a complaint found online a citizen report (it then follows
its own flow) or forwards the item to an agency for an answer; each bad input is named (400) and writes nothing;
an agency's officer may not open it."""

from django.test import TestCase
from django.urls import reverse

from ioc.accounts.testing import Personas
from ioc.assignments.models import Assignment
from ioc.citizen_reports.models import Category, Report
from ioc.media_watch import services
from ioc.media_watch.choices import SourceKind
from ioc.media_watch.models import Handling
from ioc.media_watch.parsers import ItemDraft
from ioc.media_watch.services.config import SourceSettings


class ItemPageTest(Personas, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.category = Category.objects.create(code="mw-page", name="Môi trường", default_agency=cls.agency_a)
        source = services.source_set(actor=cls.admin, values=SourceSettings(name="MXH", kind=SourceKind.EXPORT))
        draft = ItemDraft(
            title="Rác ùn ứ ở chợ, bà con bức xúc", body="Ba ngày chưa thu gom.", url="https://s.invalid/1"
        )
        (cls.item,) = services.items_ingest(actor=cls.admin, source=source, drafts=[draft]).new
        cls.page = reverse("media_watch:item", kwargs={"pk": cls.item.pk})
        cls.to_report = reverse("media_watch:item_to_report", kwargs={"pk": cls.item.pk})
        cls.forward = reverse("media_watch:item_forward", kwargs={"pk": cls.item.pk})

    def test_the_operator_makes_it_a_citizen_report_once(self):
        self.sign_in(self.client, self.operator)
        self.assertContains(self.client.get(self.page), "Rác ùn ứ ở chợ")
        response = self.client.post(self.to_report, {"category": self.category.pk})
        self.assertRedirects(response, self.page, fetch_redirect_response=False)
        report = Report.objects.get()
        self.assertEqual((report.channel, report.social_url), ("social", self.item.url))
        self.assertContains(self.client.get(self.page), 'data-handling="report"')
        again = self.client.post(self.to_report, {"category": self.category.pk})
        self.assertContains(again, "đã được chuyển thành phản ánh", status_code=400)
        self.assertEqual(Report.objects.count(), 1)

    def test_the_leader_forwards_it_to_an_agency(self):
        self.sign_in(self.client, self.leader)
        data = {"agency": self.agency_a.pk, "working_hours": "8", "instructions": "Trả lời người dân"}
        self.assertEqual(self.client.post(self.forward, data).status_code, 302)
        assignment = Assignment.objects.get(process="media_watch")
        self.assertEqual((assignment.agency, assignment.subject_id), (self.agency_a, str(self.item.pk)))

    def test_each_bad_input_is_named_and_writes_nothing(self):
        self.sign_in(self.client, self.operator)
        response = self.client.post(self.to_report, {"category": ""})
        self.assertContains(response, 'data-field="category"', status_code=400)
        for data, field in (
            ({"agency": self.agency_a.pk, "working_hours": "0"}, "working_hours"),
            ({"agency": "999999", "working_hours": "8"}, "agency"),
        ):
            with self.subTest(field=field):
                self.assertContains(self.client.post(self.forward, data), f'data-field="{field}"', status_code=400)
        self.assertFalse(Handling.objects.exists())
        self.assertEqual(self.client.get(reverse("media_watch:item", kwargs={"pk": 999999})).status_code, 404)

    def test_an_officer_may_not_open_or_hand_it_on(self):
        self.sign_in(self.client, self.officer_a)
        self.assertEqual(self.client.get(self.page).status_code, 403)
        self.assertEqual(self.client.post(self.to_report, {"category": self.category.pk}).status_code, 403)
        self.sign_in(self.client, self.admin)
        self.assertEqual(
            self.client.post(self.forward, {"agency": self.agency_a.pk, "working_hours": "8"}).status_code, 403
        )
        self.assertFalse(Handling.objects.exists())
