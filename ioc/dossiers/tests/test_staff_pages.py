"""R4.2, R5.3: the IOC's pages — violations to verify (agency B never sees A's), confirm and dismiss from the
page (a dismissal without a reason is a form error that writes nothing), agencies ranked, a procedure's page."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from ioc.accounts.testing import Personas
from ioc.dossiers.models import Violation
from ioc.dossiers.services import dossier_event_receive, service_scores_compute
from ioc.dossiers.tests.helpers import PROCEDURE, event, procedure_create, receipt

LIST = reverse("dossiers:violation_list")


class StaffPagesTests(Personas, TestCase):
    violation: Violation

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        procedure_create(cls.admin)
        base = timezone.now() - dt.timedelta(days=3)
        rows = [
            receipt("P-1", base),
            event("P-1", "step_done", base + dt.timedelta(hours=1), "p1-1", step="tiep-nhan"),
            event("P-1", "step_done", base + dt.timedelta(hours=2), "p1-2", step="phe-duyet"),
            event("P-1", "step_done", base + dt.timedelta(hours=3), "p1-3", step="tham-dinh"),
        ]
        dossier_event_receive(agency=cls.agency_a, rows=rows, actor=cls.system_user)
        cls.violation = Violation.objects.get(dossier__code="P-1", rule="step_out_of_order")

    def test_the_operator_sees_and_agency_b_does_not(self):
        self.sign_in(self.client, self.operator)
        self.assertContains(self.client.get(LIST), f'data-violation="{self.violation.pk}"')
        self.sign_in(self.client, self.officer_b)
        response = self.client.get(LIST)
        self.assertNotContains(response, f'data-violation="{self.violation.pk}"')
        self.sign_in(self.client, self.officer_a)
        self.assertContains(self.client.get(LIST), f'data-violation="{self.violation.pk}"')

    def url(self, action: str) -> str:
        return reverse("dossiers:violation_action", kwargs={"pk": self.violation.pk, "action": action})

    def test_dismiss_without_reason_is_a_form_error_and_writes_nothing(self):
        self.sign_in(self.client, self.operator)
        response = self.client.post(self.url("dismiss"), {"reason": ""})
        self.assertContains(response, 'data-error-for="reason"', status_code=400)
        self.violation.refresh_from_db()
        self.assertEqual(self.violation.state, "open")
        response = self.client.post(self.url("dismiss"), {"reason": "Quy trình cho phép gộp bước"})
        self.assertEqual(response.status_code, 302)
        self.violation.refresh_from_db()
        self.assertEqual(self.violation.state, "dismissed")

    def test_confirm_from_the_page_and_officers_may_not(self):
        self.sign_in(self.client, self.officer_a)
        self.assertEqual(self.client.post(self.url("confirm")).status_code, 403)
        self.sign_in(self.client, self.operator)
        self.assertEqual(self.client.post(self.url("confirm")).status_code, 302)
        self.violation.refresh_from_db()
        self.assertEqual(self.violation.state, "confirmed")
        self.assertIsNotNone(self.violation.assignment_id)

    def test_ranking_and_procedure_pages(self):
        self.sign_in(self.client, self.leader)
        self.assertContains(self.client.get(reverse("dossiers:agency_ranking")), self.agency_a.name)
        page = self.client.get(reverse("dossiers:procedure_detail", kwargs={"code": PROCEDURE}))
        self.assertContains(page, 'id="procedure-bottlenecks"')
        self.assertContains(page, "Thẩm định")
        self.assertContains(self.client.get(reverse("dossiers:procedure_list")), PROCEDURE)
        self.assertEqual(self.client.get(reverse("dossiers:procedure_detail", kwargs={"code": "9.9"})).status_code, 404)

    def test_the_ranking_shows_766_scores_in_scope(self):
        service_scores_compute(
            month=timezone.localdate(timezone.now() - dt.timedelta(days=3)), actor=self.system_account
        )
        self.sign_in(self.client, self.leader)
        page = self.client.get(reverse("dossiers:agency_ranking"))
        self.assertContains(page, 'id="service-scores"')
        self.assertContains(page, "Tiến độ, kết quả giải quyết (20)")
        self.sign_in(self.client, self.officer_b)
        page = self.client.get(reverse("dossiers:agency_ranking"))
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, self.agency_a.name)
