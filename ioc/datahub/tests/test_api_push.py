"""R1.2a: the push API — scopes checked by the view, JSON/CSV/.xlsx bodies, dry runs, the shared error body,
413 past the size limit, a token of another agency or without the dataset's scope refused."""

from __future__ import annotations

import datetime as dt
import json

from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from ioc.accounts import services as account_services
from ioc.accounts.choices import RequestKind
from ioc.accounts.testing import DOCUMENT, Personas
from ioc.datahub.models import Dataset, Record, Submission
from ioc.datahub.testing import dataset_make
from ioc.datahub.tests.support import FACILITY_HEADER, facility, facility_line
from ioc.datahub.workbooks import template_xlsx


class PushApiTest(Personas, TestCase):
    dataset: Dataset
    other: Dataset

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.dataset = dataset_make(actor=cls.system_account, owner=cls.agency_a, code="test")
        cls.other = dataset_make(actor=cls.system_account, owner=cls.agency_b, code="cua-so-b")

    def token(self, *scopes: str) -> str:
        request = account_services.account_request_record(
            kind=RequestKind.ISSUE_TOKEN,
            **DOCUMENT,
            approver=self.admin,
            requested_by=self.admin,
            subject=self.system_user,
        )
        _token, value = account_services.token_issue(
            account_request=request,
            actor=self.admin,
            user=self.system_user,
            scopes=list(scopes),
            expires_at=timezone.now() + dt.timedelta(days=30),
            label="datahub test",
        )
        return value

    def push(
        self,
        code: str,
        body: object,
        *,
        token: str | None = None,
        query: str = "",
        content_type: str = "application/json",
    ):  # type: ignore[no-untyped-def]
        data = json.dumps(body) if content_type == "application/json" else body
        url = reverse("datahub_api:push", kwargs={"code": code}) + query
        headers = {"Authorization": f"Bearer {token or self.system_token}"}
        return self.client.post(url, data, content_type=content_type, headers=headers)

    def test_a_json_push_is_stored_with_its_summary(self) -> None:
        response = self.push("test", {"rows": [facility("CS01"), facility("CS02")], "period": "202507"})
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual((body["status"], body["imported"], body["dry_run"]), ("accepted", 2, False))
        submission = Submission.objects.get(pk=body["submission"]["id"])
        self.assertEqual(
            (submission.channel, submission.agency, submission.submitter), ("push", self.agency_a, self.system_user)
        )
        self.assertEqual(Record.objects.filter(period="202507").count(), 2)

    def test_a_nul_is_never_a_500(self) -> None:
        # issue 16: PostgreSQL stores no NUL. In a row's value it is cleaned as the ingest cleans every cell (or the
        # row refused); in "period" or in a row's key it is a 400 naming the place.
        cleaned = self.push("test", {"rows": [facility("CS01", ten_co_so="Trạm\u0000 1")], "period": "202507"})
        self.assertIn(cleaned.status_code, (201, 400), cleaned.content)
        for record in Record.objects.all():
            self.assertNotIn("\u0000", json.dumps(record.data, ensure_ascii=False))
        response = self.push("test", {"rows": [facility("CS02")], "period": "2025\u000007"})
        self.assertEqual(response.status_code, 400, response.content)
        self.assertIn("period", response.json()["error"]["fields"])
        keyed = self.push(
            "test", {"rows": [facility("CS03"), {**facility("CS04"), "c\u0000t": "x"}], "period": "202507"}
        )
        self.assertEqual(keyed.status_code, 400, keyed.content)  # the refusal's report would store the key
        self.assertIn("rows.1.c\u0000t", keyed.json()["error"]["fields"])

    def test_a_csv_dry_run_answers_and_stores_nothing(self) -> None:
        csv = "\r\n".join([FACILITY_HEADER, facility_line()]).encode("utf-8")
        response = self.push("test", csv, query="?dry_run=1&period=2025Q3", content_type="text/csv")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual((response.json()["imported"], response.json()["submission"]), (1, None))
        self.assertFalse(Submission.objects.exists())

    def test_an_xlsx_body(self) -> None:
        content = template_xlsx(self.dataset, [facility("CS01")])
        response = self.push(
            "test", content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        self.assertEqual(response.status_code, 201, response.content)

    def test_a_rejected_push_answers_the_shared_error_body_and_is_kept(self) -> None:
        response = self.push("test", {"rows": [facility("CS01", loai="khac")]})
        self.assertEqual(response.status_code, 422)
        body = response.json()
        self.assertEqual(body["error"]["code"], "rejected")
        self.assertIn("danh mục", body["error"]["fields"]["1.loai"][0])
        self.assertEqual(body["summary"]["status"], "rejected")
        self.assertEqual(Submission.objects.get().status, "rejected")
        self.assertFalse(Record.objects.exists())

    def test_a_token_without_the_datasets_scope_is_refused(self) -> None:
        other_scope = self.token("datahub.push:khac")
        response = self.push("test", {"rows": [facility()]}, token=other_scope)
        self.assertEqual(response.status_code, 403)
        self.assertEqual(response.json()["error"]["code"], "permission_denied")
        self.assertFalse(Submission.objects.exists())

    def test_the_wildcard_reaches_the_own_agencys_datasets_only(self) -> None:
        wildcard = self.token("datahub.push:*")
        self.assertEqual(self.push("test", {"rows": [facility()]}, token=wildcard).status_code, 201)
        response = self.push("cua-so-b", {"rows": [facility()]}, token=wildcard)
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Submission.objects.filter(dataset=self.other).exists())

    @override_settings(DATAHUB_MAX_UPLOAD_BYTES=200)
    def test_a_body_over_the_limit_is_413(self) -> None:
        response = self.push("test", {"rows": [facility(f"CS{i}") for i in range(20)]})
        self.assertEqual(response.status_code, 413)
        self.assertIn("quá lớn", response.json()["error"]["message"])
        self.assertFalse(Submission.objects.exists())

    def test_bad_bodies_and_unknown_datasets(self) -> None:
        self.assertEqual(self.push("test", b"<xml/>", content_type="application/xml").status_code, 415)
        malformed = self.push("test", "{rows", content_type="application/json; charset=utf-8")
        self.assertEqual(malformed.status_code, 400)
        self.assertEqual(self.push("test", {"rows": "không"}).json()["error"]["fields"]["rows"][0][:4], "Cần ")
        self.assertEqual(self.push("khong-co", {"rows": []}).status_code, 404)

    def test_a_person_cannot_push_and_the_submission_is_scoped(self) -> None:
        self.sign_in(self.client, self.officer_a)
        url = reverse("datahub_api:push", kwargs={"code": "test"})
        self.assertEqual(self.client.post(url, "{}", content_type="application/json").status_code, 403)
        pushed = self.push("test", {"rows": [facility()]}).json()["submission"]
        self.assertEqual(self.client.get(pushed["url"]).status_code, 200)
        self.sign_in(self.client, self.officer_b)
        self.assertEqual(self.client.get(pushed["url"]).status_code, 404)
