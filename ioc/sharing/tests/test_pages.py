"""R1.6: the sharing pages — an officer asks through the form, the owner approves or refuses in writing from the
request page, grants are listed and revoked; bad input is a form error naming the field (400, nothing written);
another agency gets 404 for a request that is not its own."""

import datetime as dt

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from ioc.accounts.testing import Personas
from ioc.agencies.models import Agency
from ioc.datahub.choices import SharingMode
from ioc.sharing.choices import RequestStatus
from ioc.sharing.models import AccessRequest, Grant
from ioc.sharing.testing import facility_row, granted, pending, shared_dataset, two_communes

FIELDS = ["ma_co_so", "so_giuong"]


class PagesTest(Personas, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        unit = two_communes()[0]
        cls.dataset = shared_dataset(
            actor=cls.admin,
            owner=cls.agency_b,
            officer=cls.officer_b,
            mode=SharingMode.ON_REQUEST,
            rows=[facility_row("CS01", unit)],
        )

    def test_an_officer_asks_through_the_form(self):
        self.sign_in(self.client, self.officer_a)
        catalog = self.client.get(reverse("sharing:catalog"))
        self.assertContains(catalog, self.dataset.code)
        url = reverse("sharing:request_new", kwargs={"dataset": self.dataset.code})
        self.assertEqual(self.client.get(url).status_code, 200)
        response = self.client.post(
            url, {"columns": FIELDS, "purpose": "Điều hành y tế", "legal_basis": "Nghị định 47/2020/NĐ-CP"}
        )
        request = AccessRequest.objects.get()
        self.assertRedirects(response, reverse("sharing:request_detail", kwargs={"pk": request.pk}))
        self.assertEqual(request.fields, FIELDS)
        board = self.client.get(reverse("sharing:board"))
        self.assertContains(board, f"CS-{request.pk}")

    def test_bad_input_names_the_field_and_writes_nothing(self):
        self.sign_in(self.client, self.officer_a)
        url = reverse("sharing:request_new", kwargs={"dataset": self.dataset.code})
        response = self.client.post(url, {"columns": [], "purpose": "", "legal_basis": ""})
        self.assertEqual(response.status_code, 400)
        for name in ("columns", "purpose", "legal_basis"):
            self.assertContains(response, f'data-field="{name}"', status_code=400)
        response = self.client.post(url, {"columns": ["khong_co"], "purpose": "x", "legal_basis": "y"})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(AccessRequest.objects.exists())

    def test_the_owner_approves_from_the_request_page(self):
        request = pending(requester=self.officer_a, dataset=self.dataset, fields=FIELDS)
        self.sign_in(self.client, self.officer_b)
        inbox = self.client.get(reverse("sharing:inbox"))
        self.assertContains(inbox, f"CS-{request.pk}")
        detail = self.client.get(reverse("sharing:request_detail", kwargs={"pk": request.pk}))
        self.assertContains(detail, reverse("sharing:request_approve", kwargs={"pk": request.pk}))
        url = reverse("sharing:request_approve", kwargs={"pk": request.pk})
        past = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
        response = self.client.post(url, {"columns": FIELDS, "expires_on": past})
        self.assertContains(response, 'data-field="expires_on"', status_code=400)
        self.assertFalse(Grant.objects.exists())
        later = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
        response = self.client.post(url, {"columns": ["so_giuong"], "expires_on": later})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Grant.objects.get().fields, ["so_giuong"])

    def test_the_requester_cannot_decide(self):
        request = pending(requester=self.officer_a, dataset=self.dataset, fields=FIELDS)
        self.sign_in(self.client, self.officer_a)
        later = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
        response = self.client.post(
            reverse("sharing:request_approve", kwargs={"pk": request.pk}), {"columns": FIELDS, "expires_on": later}
        )
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Grant.objects.exists())

    def test_the_owner_refuses_in_writing(self):
        request = pending(requester=self.officer_a, dataset=self.dataset, fields=FIELDS)
        self.sign_in(self.client, self.officer_b)
        url = reverse("sharing:request_refuse", kwargs={"pk": request.pk})
        response = self.client.post(url, {"reasons": "", "legal_basis": ""})
        self.assertContains(response, 'data-field="reasons"', status_code=400)
        self.assertContains(response, 'data-field="legal_basis"', status_code=400)
        response = self.client.post(url, {"reasons": "Có dữ liệu cá nhân", "legal_basis": "Điều 15 NĐ 47/2020"})
        self.assertEqual(response.status_code, 302)
        request.refresh_from_db()
        self.assertEqual(request.status, RequestStatus.REFUSED)
        self.client.logout()
        self.sign_in(self.client, self.officer_a)
        detail = self.client.get(reverse("sharing:request_detail", kwargs={"pk": request.pk}))
        self.assertContains(detail, "Có dữ liệu cá nhân")
        self.assertContains(detail, "Điều 15 NĐ 47/2020")

    def test_another_agency_gets_404_for_a_request_not_its_own(self):
        agency_c = Agency.objects.create(code="agency-c", name="Sở C", short_name="Sở C")
        other = shared_dataset(actor=self.admin, owner=agency_c, officer=self.admin, code="cua-so-c")
        request = pending(requester=self.officer_a, dataset=other, fields=FIELDS)
        self.sign_in(self.client, self.officer_b)
        response = self.client.get(reverse("sharing:request_detail", kwargs={"pk": request.pk})).status_code
        self.assertEqual(response, 404)

    def test_grants_are_listed_and_revoked_by_the_owner(self):
        grant = granted(requester=self.officer_a, owner_officer=self.officer_b, dataset=self.dataset, fields=FIELDS)
        self.sign_in(self.client, self.officer_a)
        self.assertContains(self.client.get(reverse("sharing:grants")), f'data-grant="{grant.pk}"')
        self.client.logout()
        self.sign_in(self.client, self.officer_b)
        url = reverse("sharing:grant_revoke", kwargs={"pk": grant.pk})
        self.client.post(url, {"reason": ""})
        grant.refresh_from_db()
        self.assertIsNone(grant.revoked_at)
        response = self.client.post(url, {"reason": "Hết nhu cầu"})
        self.assertRedirects(response, reverse("sharing:grants"))
        grant.refresh_from_db()
        self.assertIsNotNone(grant.revoked_at)


class TermsPageTest(Personas, TestCase):
    def test_the_leader_sets_the_terms_and_bad_values_name_the_field(self):
        self.sign_in(self.client, self.leader)
        url = reverse("sharing:terms")
        self.assertEqual(self.client.get(url).status_code, 200)
        values = {"setup_working_days": 3, "response_working_days": 0, "max_grant_days": 90, "remind_before_hours": 4}
        response = self.client.post(url, values)
        self.assertContains(response, 'data-field="response_working_days"', status_code=400)
        response = self.client.post(url, {**values, "response_working_days": 7})
        self.assertRedirects(response, url)
        from ioc.sharing.selectors import sharing_terms

        self.assertEqual((sharing_terms().setup_working_days, sharing_terms().response_working_days), (3, 7))

    def test_an_officer_is_refused(self):
        self.sign_in(self.client, self.officer_a)
        self.assertEqual(self.client.get(reverse("sharing:terms")).status_code, 403)
