"""R5.3: POST /api/v1/dossiers/events/ — one event or a batch, idempotent, the import summary naming row, field
and reason for each kind of bad input; nothing half-stored; agency B's system refused for A's dossiers."""

from __future__ import annotations

import json
from typing import Any

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from ioc.accounts.testing import Personas
from ioc.dossiers.models import Dossier, DossierEvent, HeldEvent, Violation
from ioc.dossiers.services import held_events_expire
from ioc.dossiers.tests.helpers import event, local, procedure_create, receipt, system_token_for

URL = reverse("dossiers_api:events")


class IntakeApiTests(Personas, TestCase):
    token_b: str

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        procedure_create(cls.admin)
        cls.token_b = system_token_for(cls.admin, cls.agency_b, "mot-cua-b")

    def post(self, body: Any, token: str | None = None) -> Any:
        auth = f"Bearer {token or self.system_token}"
        return self.client.post(URL, json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=auth)

    def test_a_nul_in_an_event_is_a_400_naming_the_place(self):
        # issue 16: the event's payload is jsonb, which refuses a NUL on PostgreSQL (a 500 there before)
        bad = {**receipt("HS-9", local("2026-03-02", 8)), "ghi_chu": "a\u0000"}
        response = self.post({"events": [receipt("HS-8", local("2026-03-02", 8)), bad]})
        self.assertEqual(response.status_code, 400, response.content)
        self.assertIn("events.1.ghi_chu", response.json()["error"]["fields"])
        self.assertFalse(Dossier.objects.exists())

    def test_a_batch_stores_a_dossier_and_its_checks(self):
        rows = [
            receipt("HS-1", local("2026-03-02", 8)),
            event("HS-1", "step_done", local("2026-03-02", 9), "e2", step="tiep-nhan"),
            event("HS-1", "step_done", local("2026-03-02", 10), "e3", step="phe-duyet"),
        ]
        response = self.post({"events": rows})
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["imported"], 3)
        dossier = Dossier.objects.get(code="HS-1")
        self.assertEqual(dossier.agency, self.agency_a)
        self.assertEqual(dossier.events.count(), 3)
        self.assertTrue(Violation.objects.filter(dossier=dossier, rule="step_skipped", step_code="tham-dinh").exists())

    def test_one_event_alone_and_a_repeat_ignored_and_counted(self):
        self.assertEqual(self.post(receipt("HS-2", local("2026-03-02", 8))).json()["imported"], 1)
        again = self.post([receipt("HS-2", local("2026-03-02", 8))]).json()
        self.assertEqual((again["imported"], again["ignored"], again["status"]), (0, 1, "accepted"))
        self.assertEqual(DossierEvent.objects.filter(dossier__code="HS-2").count(), 1)

    def assert_refused(self, row: dict[str, Any], field: str, token: str | None = None) -> dict[str, Any]:
        events_before, dossiers_before = DossierEvent.objects.count(), Dossier.objects.count()
        body: dict[str, Any] = self.post([row], token).json()
        self.assertEqual(body["status"], "rejected", body)
        self.assertEqual(body["conflicts"][0]["row"], 1)
        self.assertEqual(body["conflicts"][0]["field"], field, body)
        self.assertTrue(body["conflicts"][0]["reason"])
        self.assertEqual((DossierEvent.objects.count(), Dossier.objects.count()), (events_before, dossiers_before))
        return body

    def test_unknown_procedure(self):
        self.assert_refused(receipt("HS-3", local("2026-03-02", 8), procedure="9.999999"), "procedure")

    def test_unknown_step(self):
        self.post(receipt("HS-4", local("2026-03-02", 8)))
        self.assert_refused(event("HS-4", "step_done", local("2026-03-02", 9), "x1", step="khong-co"), "step")

    def test_future_time(self):
        future = timezone.now() + timezone.timedelta(hours=2)
        self.assert_refused(receipt("HS-5", future), "occurred_at")

    def test_malformed_rows(self):
        self.assert_refused({"event_id": "m1", "dossier": "HS-6", "kind": "teleport", "occurred_at": "x"}, "kind")
        row = receipt("HS-6", local("2026-03-02", 8))
        self.assert_refused({**row, "occurred_at": "hôm qua"}, "occurred_at")
        self.assert_refused({**row, "channel": "fax"}, "channel")
        self.assert_refused({**row, "surprise": 1}, "surprise")
        self.assert_refused({k: v for k, v in row.items() if k != "event_id"}, "event_id")
        self.assert_refused({**row, "documents": "x" * 300}, "documents")

    def test_a_malformed_body_is_a_400_in_the_shared_shape(self):
        self.assertEqual(self.post(None).status_code, 400)
        response = self.client.post(
            URL, "{not json", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {self.system_token}"
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("error", response.json())
        self.assertEqual(self.post({"events": "nope"}).status_code, 400)
        self.assertEqual(self.post(["a string row"]).json()["conflicts"][0]["field"], "row")

    def test_agency_b_system_refused_for_agency_a_dossier(self):
        self.post(receipt("HS-7", local("2026-03-02", 8)))
        body = self.assert_refused(
            event("HS-7", "step_done", local("2026-03-02", 9), "b1", step="tiep-nhan"), "dossier", self.token_b
        )
        self.assertIn("khác", body["conflicts"][0]["reason"])
        self.assert_refused(receipt("HS-7", local("2026-03-02", 8), event_id="b2"), "dossier", self.token_b)

    def test_a_token_without_the_scope_is_refused(self):
        response = self.client.post(URL, "{}", content_type="application/json")
        self.assertIn(response.status_code, (401, 403))

    def test_partial_batch_keeps_the_good_rows_only(self):
        rows = [receipt("HS-8", local("2026-03-02", 8)), receipt("HS-9", local("2026-03-02", 8), procedure="0.0")]
        body = self.post(rows).json()
        self.assertEqual((body["status"], body["imported"], body["rejected"]), ("partial", 1, 1))
        self.assertEqual(body["conflicts"][0]["row"], 2)
        self.assertFalse(Dossier.objects.filter(code="HS-9").exists())

    def test_an_event_before_the_receipt_is_held_then_placed(self):
        early = event("HS-10", "step_done", local("2026-03-02", 9), "h1", step="tiep-nhan")
        body = self.post([early]).json()
        self.assertEqual(body["conflicts"][0]["field"], "dossier")
        self.assertEqual(HeldEvent.objects.get(source_event_id="h1").state, "held")
        self.assertEqual(self.post([receipt("HS-10", local("2026-03-02", 8))]).json()["imported"], 1)
        self.assertEqual(HeldEvent.objects.get(source_event_id="h1").state, "placed")
        self.assertTrue(DossierEvent.objects.filter(source_event_id="h1", dossier__code="HS-10").exists())

    def test_a_held_event_keeps_no_phone_or_id_number(self):
        early = event("HS-14", "step_done", local("2026-03-02", 9), "h4", step="tiep-nhan")
        early.update(phone="0900000123", id_number="001099000123")
        self.post([early])
        payload = HeldEvent.objects.get(source_event_id="h4").payload
        self.assertEqual(payload["dossier"], "HS-14")
        self.assertNotIn("phone", payload)
        self.assertNotIn("id_number", payload)
        self.assertNotIn("0900000123", json.dumps(payload))

    def test_a_held_event_timed_before_the_receipt_is_refused_with_its_reason(self):
        self.post([event("HS-11", "step_done", local("2026-03-02", 7), "h2", step="tiep-nhan")])
        self.post([receipt("HS-11", local("2026-03-02", 8))])
        held = HeldEvent.objects.get(source_event_id="h2")
        self.assertEqual(held.state, "refused")
        self.assertIn("occurred_at", held.reason)
        self.assertFalse(DossierEvent.objects.filter(source_event_id="h2").exists())

    def test_a_held_event_never_received_is_refused_by_the_sweep(self):
        self.post([event("HS-12", "step_done", local("2026-03-02", 9), "h3", step="tiep-nhan")])
        self.assertEqual(held_events_expire(now=timezone.now() + timezone.timedelta(hours=25)), 1)
        self.assertEqual(HeldEvent.objects.get(source_event_id="h3").state, "refused")

    def test_a_refused_held_event_sent_again_after_the_receipt_is_stored(self):
        self.post([event("HS-15", "step_done", local("2026-03-02", 9), "h5", step="tiep-nhan")])
        held_events_expire(now=timezone.now() + timezone.timedelta(hours=25))
        self.post([receipt("HS-15", local("2026-03-02", 8))])
        body = self.post([event("HS-15", "step_done", local("2026-03-02", 9), "h5", step="tiep-nhan")]).json()
        self.assertEqual((body["imported"], body["ignored"], body["rejected"]), (1, 0, 0), body)
        self.assertTrue(DossierEvent.objects.filter(source_event_id="h5", dossier__code="HS-15").exists())
        self.assertEqual(HeldEvent.objects.get(source_event_id="h5").state, "placed")
        again = self.post([event("HS-15", "step_done", local("2026-03-02", 9), "h5", step="tiep-nhan")]).json()
        self.assertEqual((again["imported"], again["ignored"]), (0, 1))

    def test_a_refused_held_event_sent_again_before_the_receipt_waits_again(self):
        self.post([event("HS-16", "step_done", local("2026-03-02", 7), "h6", step="tiep-nhan")])
        self.post([receipt("HS-16", local("2026-03-02", 8))])  # h6 timed before the receipt: refused
        self.assertEqual(HeldEvent.objects.get(source_event_id="h6").state, "refused")
        self.post([event("HS-17", "step_done", local("2026-03-02", 9), "h7", step="tiep-nhan")])
        held_events_expire(now=timezone.now() + timezone.timedelta(hours=25))
        body = self.post([event("HS-17", "step_done", local("2026-03-02", 9), "h7", step="tiep-nhan")]).json()
        self.assertEqual(body["conflicts"][0]["field"], "dossier")
        held = HeldEvent.objects.get(source_event_id="h7")
        self.assertEqual((held.state, held.reason), ("held", ""))
        self.post([receipt("HS-17", local("2026-03-02", 8))])
        self.assertEqual(HeldEvent.objects.get(source_event_id="h7").state, "placed")
        corrected = self.post([event("HS-16", "step_done", local("2026-03-02", 9), "h6", step="tiep-nhan")]).json()
        self.assertEqual(corrected["imported"], 1, corrected)

    def test_a_late_event_is_placed_by_its_time_and_the_dossier_rechecked(self):
        self.post([receipt("HS-13", local("2026-03-02", 8))])
        self.post([event("HS-13", "step_done", local("2026-03-02", 11), "l2", step="tham-dinh")])
        self.assertTrue(Violation.objects.filter(dossier__code="HS-13", rule="step_skipped", state="open").exists())
        self.post([event("HS-13", "step_done", local("2026-03-02", 9), "l1", step="tiep-nhan")])  # sent late
        self.assertEqual(Violation.objects.get(dossier__code="HS-13", rule="step_skipped").state, "withdrawn")
