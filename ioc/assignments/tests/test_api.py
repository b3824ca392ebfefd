"""The agency-work API /api/v1/assignments/: list, detail, actions, multipart evidence, shared errors (R3.3)."""

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ioc.assignments.choices import AssignmentStatus
from ioc.assignments.models import Evidence
from ioc.assignments.tests.support import WorkCase, frozen, jpeg_bytes, local

LIST = reverse("assignments_api:list")


class ApiTest(WorkCase):
    def setUp(self) -> None:
        super().setUp()
        self.work = self.forward()
        self.sign_in(self.client, self.officer_a)

    def url(self, name: str = "detail", pk: int | None = None) -> str:
        return reverse(f"assignments_api:{name}", args=[pk or self.work.pk])

    def assertError(self, response: Any, status: int, code: str, field: str | None = None) -> dict[str, Any]:
        self.assertEqual(response.status_code, status, response.content)
        body = response.json()
        self.assertEqual(body["error"]["code"], code)
        self.assertIn("request_id", body)
        if field is not None:
            self.assertIn(field, body["error"]["fields"])
        result: dict[str, Any] = body
        return result

    def test_it_lists_the_users_work(self):
        self.forward(subject_id="b", agency=self.agency_b)
        body = self.client.get(LIST).json()
        self.assertEqual([row["id"] for row in body["results"]], [self.work.pk])
        row = body["results"][0]
        self.assertEqual(
            (row["agency"], row["status"], row["deadline_state"]), ("persona-agency-a", "forwarded", "on_track")
        )
        self.sign_in(self.client, self.operator)
        self.assertEqual(self.client.get(LIST).json()["count"], 2)

    def test_it_filters_and_refuses_unknown_filters(self):
        self.assertEqual(self.client.get(LIST, {"status": "returned"}).json()["count"], 0)
        self.assertEqual(self.client.get(LIST, {"status": "open", "deadline": "on_track"}).json()["count"], 1)
        self.assertError(self.client.get(LIST, {"status": "bogus"}), 400, "invalid", "status")
        self.assertError(self.client.get(LIST, {"deadline": "soon"}), 400, "invalid", "deadline")

    def test_it_keeps_the_list_query_count_flat(self):
        self.client.get(LIST)
        with CaptureQueriesContext(connection) as small:
            self.client.get(LIST)
        for n in range(15):
            self.forward(subject_id=f"n{n}")
        with self.assertNumQueries(len(small)):
            self.assertEqual(self.client.get(LIST).json()["count"], 16)

    def test_it_gives_agency_b_the_shared_404_body(self):
        self.sign_in(self.client, self.officer_b)
        self.assertError(self.client.get(self.url()), 404, "not_found")
        self.assertError(self.client.post(self.url("accept")), 404, "not_found")
        self.work.refresh_from_db()
        self.assertEqual(self.work.status, AssignmentStatus.FORWARDED)

    def test_it_refuses_anonymous_and_ioc_actions(self):
        self.client.logout()
        self.assertError(self.client.get(LIST), 401, "not_authenticated")
        self.sign_in(self.client, self.operator)
        self.assertEqual(self.client.get(self.url()).status_code, 200)
        self.assertError(self.client.post(self.url("accept")), 403, "permission_denied")

    def test_it_runs_the_agency_flow(self):
        response = self.client.post(self.url("accept"))
        self.assertEqual((response.status_code, response.json()["status"]), (200, "accepted"))
        response = self.client.post(self.url("progress"), {"text": "Đang xử lý", "is_public": True}, "application/json")
        self.assertEqual(response.json()["status"], "in_progress")
        self.assertTrue(response.json()["updates"][-1]["is_public"])
        photo = SimpleUploadedFile("p.jpg", jpeg_bytes(), "image/jpeg")
        response = self.client.post(self.url("resolve"), {"resolution": "Đã vá", "evidence": [photo]})
        body = response.json()
        self.assertEqual((response.status_code, body["status"]), (200, "resolved"), body)
        self.assertEqual(len(body["evidence"]), 1)
        self.assertTrue(body["evidence"][0]["url"].startswith(f"/xu-ly/{self.work.pk}/minh-chung/"))

    def test_it_returns_with_a_reason_only(self):
        self.assertError(self.client.post(self.url("return"), {}, "application/json"), 400, "invalid", "reason")
        body = self.assertError(
            self.client.post(self.url("return"), {"reason": "<b>sai</b>"}, "application/json"), 400, "invalid", "reason"
        )
        self.assertIn("HTML", body["error"]["fields"]["reason"][0])
        response = self.client.post(self.url("return"), {"reason": "Sai thẩm quyền"}, "application/json")
        self.assertEqual(response.json()["status"], "returned")

    def test_it_refuses_a_transition_not_allowed_in_the_shared_body(self):
        body = self.assertError(self.client.post(self.url("progress"), {"text": "x"}), 400, "invalid", "status")
        self.assertIn("Không thể chuyển", body["error"]["fields"]["status"][0])

    def test_it_refuses_bad_evidence_naming_the_field(self):
        self.handler.photo_required = True
        self.client.post(self.url("accept"))
        self.assertError(self.client.post(self.url("resolve"), {"resolution": "Xong"}), 400, "invalid", "evidence")
        fake = SimpleUploadedFile("x.png", b"MZ\x90\x00not an image", "image/png")
        body = self.assertError(
            self.client.post(self.url("resolve"), {"resolution": "Xong", "evidence": [fake]}),
            400,
            "invalid",
            "evidence",
        )
        self.assertIn("x.png", body["error"]["fields"]["evidence"][0])
        self.assertFalse(Evidence.objects.exists())

    def test_it_reports_the_deadline_state_in_the_detail(self):
        with frozen(local(2026, 4, 24, 15, 0)):
            late = self.forward(subject_id="late", working_hours=1)
        body = self.client.get(self.url(pk=late.pk)).json()
        self.assertEqual(body["deadline_state"], "overdue")
        self.assertEqual(body["updates"][0]["kind"], "forward")
