"""R5.3 (004:6.4): the citizens' lookup — code plus the phone or ID number given at receipt (a blind index only),
one identical answer for "no such code" and "wrong number", rate-limited; page and API."""

from __future__ import annotations

from django.test import TestCase, override_settings
from django.urls import reverse

from ioc.accounts.testing import Personas
from ioc.dossiers.models import Dossier
from ioc.dossiers.services import dossier_event_receive
from ioc.dossiers.tests.helpers import PHONE, event, local, procedure_create, receipt

API = reverse("dossiers_api:lookup")
PAGE = reverse("dossiers:public_lookup")
ID_NUMBER = "034090000123"


class LookupTests(Personas, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        procedure_create(cls.admin)
        rows = [
            receipt("L-1", local("2026-03-02", 8), id_number=ID_NUMBER),
            event("L-1", "step_done", local("2026-03-02", 9), "l1-1", step="tiep-nhan"),
        ]
        dossier_event_receive(agency=cls.agency_a, rows=rows, actor=cls.system_user)

    def test_the_phone_and_the_id_are_stored_only_as_blind_indexes(self):
        dossier = Dossier.objects.get(code="L-1")
        self.assertTrue(dossier.contact_index and dossier.id_index)
        stored = str(Dossier.objects.filter(code="L-1").values().get())
        self.assertNotIn(PHONE, stored)
        self.assertNotIn(ID_NUMBER, stored)

    def test_the_api_answers_the_steps_and_dates(self):
        for contact in (PHONE, "+84 900 000 123", ID_NUMBER):
            response = self.client.post(API, {"code": "L-1", "contact": contact}, content_type="application/json")
            self.assertEqual(response.status_code, 200, response.content)
        body = response.json()
        self.assertEqual(body["status"], "processing")
        self.assertEqual([s["done_at"] is not None for s in body["steps"]], [True, False, False])
        self.assertNotIn(PHONE, response.content.decode())

    def test_wrong_code_and_wrong_number_get_one_identical_answer(self):
        wrong_code = self.client.post(API, {"code": "L-9", "contact": PHONE}, content_type="application/json")
        wrong_phone = self.client.post(API, {"code": "L-1", "contact": "0911111111"}, content_type="application/json")
        self.assertEqual(wrong_code.status_code, 404)
        self.assertEqual(wrong_code.json()["error"]["message"], wrong_phone.json()["error"]["message"])
        self.assertEqual(wrong_code.status_code, wrong_phone.status_code)
        page_code = self.client.post(PAGE, {"code": "L-9", "contact": PHONE})
        page_phone = self.client.post(PAGE, {"code": "L-1", "contact": "0911111111"})
        self.assertEqual((page_code.status_code, page_phone.status_code), (404, 404))
        before_form = [r.content.decode().split("csrfmiddlewaretoken")[0] for r in (page_code, page_phone)]
        self.assertEqual(before_form[0], before_form[1])

    def test_the_page_shows_the_dossier(self):
        self.assertEqual(self.client.get(PAGE).status_code, 200)
        response = self.client.post(PAGE, {"code": "L-1", "contact": PHONE})
        self.assertContains(response, "Cấp giấy phép thử nghiệm")
        self.assertContains(response, 'id="lookup-result"')

    def test_bad_input_is_a_form_error(self):
        response = self.client.post(PAGE, {"code": "L-1", "contact": "abc"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, 'data-field-error="contact"', status_code=400)
        bad = self.client.post(API, {"code": "L-1"}, content_type="application/json")
        self.assertEqual(bad.status_code, 400)
        self.assertIn("contact", bad.json()["error"]["fields"])

    @override_settings(RATE_LIMITS={"dossiers.lookup.code": (3, 3600)})
    def test_guessing_the_number_of_one_code_is_rate_limited(self):
        for n in range(3):
            guess = {"code": "L-1", "contact": f"091111111{n}"}
            self.assertEqual(self.client.post(API, guess, content_type="application/json").status_code, 404)
        right = self.client.post(API, {"code": "L-1", "contact": PHONE}, content_type="application/json")
        self.assertEqual(right.status_code, 429)
        self.assertIn("Retry-After", right.headers)
        self.assertEqual(self.client.post(PAGE, {"code": "L-1", "contact": PHONE}).status_code, 429)
