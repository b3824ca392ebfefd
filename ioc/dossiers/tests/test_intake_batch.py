"""R5.3 (issue 23 "Speed"): a batch is judged and written set-based (`intake_batch`) and ends exactly as the
one-row path leaves it; one event per request ends the same; the statements of a batch do not grow with it."""

from __future__ import annotations

import json
from typing import Any

from django.db import connection, transaction
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ioc.accounts.testing import Personas
from ioc.dossiers.models import Dossier, DossierEvent, Violation
from ioc.dossiers.services import dossier_event_receive
from ioc.dossiers.services.intake import _Batch, _receipts_first, _row_by_row
from ioc.dossiers.services.recheck import SAVED_FIELDS
from ioc.dossiers.tests.helpers import event, local, procedure_create, receipt
from ioc.incidents.models import Alert
from ioc.worktime.selectors import calendar_for

URL = reverse("dossiers_api:events")


def story(code: str) -> list[dict[str, Any]]:
    """Every kind of event and most rules: a step by an unassigned account and a second supplement request
    (immediate), a step out of order, a late step, an apology, a rating; one event sent twice."""
    day = "2026-03-06"  # a Friday: the steps run over the weekend
    rows = [
        receipt(code, local(day, 8), event_id=f"{code}-0", documents=["Đơn đề nghị"]),
        event(code, "transfer", local(day, 9), f"{code}-1", step="tiep-nhan", assignee="cb-1"),
        event(code, "step_done", local(day, 10), f"{code}-2", step="tiep-nhan", account="cb-2"),
        event(code, "supplement_request", local(day, 11), f"{code}-3", reason="thiếu bản sao"),
        event(code, "supplement_received", local("2026-03-09", 9), f"{code}-4"),
        event(code, "supplement_request", local("2026-03-09", 10), f"{code}-5", reason="thiếu đơn"),
        event(code, "supplement_received", local("2026-03-10", 9), f"{code}-6"),
        event(code, "step_done", local("2026-03-16", 9), f"{code}-7", step="phe-duyet", account="cb-1"),
        event(code, "apology", local("2026-03-16", 10), f"{code}-8", new_due=local("2026-03-20", 16).isoformat()),
        event(code, "step_done", local("2026-03-17", 9), f"{code}-9", step="tham-dinh", account="cb-1"),
        event(code, "result_returned", local("2026-03-18", 9), f"{code}-10", digitised=True),
        event(code, "rating", local("2026-03-18", 10), f"{code}-11", rating=4),
    ]
    return [*rows, rows[3]]


def plain(code: str) -> list[dict[str, Any]]:
    """A dossier's ordinary story with time-bound findings only (no alert)."""
    day = "2026-03-02"
    rows = [receipt(code, local(day, 8), event_id=f"{code}-0")]
    rows.append(event(code, "transfer", local(day, 9), f"{code}-1", step="tiep-nhan", assignee="cb-1"))
    for n, step in enumerate(("tiep-nhan", "phe-duyet", "tham-dinh"), start=2):
        rows.append(event(code, "step_done", local("2026-03-0" + str(n + 1), 9), f"{code}-{n}", step=step))
    return rows


class IntakeBatchTests(Personas, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        procedure_create(cls.admin)

    def post(self, body: Any) -> dict[str, Any]:
        auth = f"Bearer {self.system_token}"
        response = self.client.post(URL, json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=auth)
        self.assertEqual(response.status_code, 200, response.content)
        return dict(response.json())

    def outcome(self, code: str, *, withdrawn: bool = True) -> dict[str, Any]:
        """The dossier's figures, its events and violations, with event ids as the source's suffixes."""
        dossier = Dossier.objects.get(code=code)
        suffix = {e.pk: e.source_event_id.rsplit("-", 1)[1] for e in DossierEvent.objects.filter(dossier=dossier)}
        violations = {
            (v.rule, v.step_code): (
                v.state,
                v.severity,
                v.occurred_at,
                v.detail,
                sorted(suffix[i] for i in v.event_ids),
            )
            for v in Violation.objects.filter(dossier=dossier)
            if withdrawn or v.state != "withdrawn"
        }
        return {
            "figures": {name: getattr(dossier, name) for name in SAVED_FIELDS},
            "events": sorted(suffix.values()),
            "violations": violations,
        }

    def test_a_batch_ends_as_the_one_row_path_leaves_it(self):
        now = timezone.now()
        summary = dossier_event_receive(agency=self.agency_a, rows=story("SB-1"), actor=self.system_account, now=now)
        self.assertEqual((summary["imported"], summary["ignored"], summary["rejected"]), (12, 1, 0), summary)
        batch = _Batch(
            agency=self.agency_a, actor=self.system_account, now=now, calendar=calendar_for(agency=self.agency_a)
        )
        with transaction.atomic():
            _row_by_row(batch, _receipts_first(story("SB-2")))
        self.assertEqual((batch.imported, batch.ignored, batch.conflicts), (12, 1, []))
        one_row = self.outcome("SB-2")
        self.assertEqual(self.outcome("SB-1"), one_row)
        rules = {rule for rule, _step in one_row["violations"]}
        self.assertLessEqual(
            {"step_unassigned", "supplement_repeated", "step_out_of_order", "documents_missing"}, rules
        )
        self.assertEqual(one_row["events"], sorted(str(n) for n in range(12)))  # the repeat stored once

    def test_one_event_per_request_ends_as_the_batch(self):
        self.post(story("SB-3"))
        held_first = story("SB-4")
        for row in [held_first[2], *held_first[:2], *held_first[3:]]:  # a step before the receipt: held, placed
            self.post([row])
        self.assertEqual(self.outcome("SB-3", withdrawn=False), self.outcome("SB-4", withdrawn=False))
        self.assertTrue(Alert.objects.filter(source="dossiers", kind="dossiers.step_unassigned").exists())

    def test_a_batch_mixing_refused_held_and_good_rows(self):
        rows = [
            *plain("SB-5"),
            event("SB-6", "step_done", local("2026-03-02", 9), "SB-6-1", step="tiep-nhan"),  # no receipt yet: held
            event("SB-5", "step_done", local("2026-03-02", 7), "SB-5-x", step="tham-dinh"),  # before the receipt
            receipt("SB-5", local("2026-03-02", 8), event_id="SB-5-y"),  # already received (in this batch)
            event("SB-5", "step_done", local("2026-03-02", 9), "SB-5-z", step="khong-co"),  # unknown step
        ]
        body = self.post(rows)
        fields = [(c["row"], c["field"]) for c in body["conflicts"]]
        self.assertEqual(fields, [(6, "dossier"), (7, "occurred_at"), (8, "dossier"), (9, "step")])
        self.assertEqual(body["imported"], 5)
        self.assertEqual(DossierEvent.objects.filter(dossier__code="SB-5").count(), 5)
        self.assertFalse(Dossier.objects.filter(code="SB-6").exists())
        self.assertEqual(self.post([receipt("SB-6", local("2026-03-02", 8))])["imported"], 1)
        self.assertEqual(DossierEvent.objects.filter(dossier__code="SB-6").count(), 2)

    def count_queries(self, codes: list[str], then: int = 0) -> int:
        rows = [row for code in codes for row in plain(code)]
        first, rest = [r for r in rows if r["kind"] == "receipt"], [r for r in rows if r["kind"] != "receipt"]
        self.post(first)  # the dossiers exist: the second batch reads and rechecks them
        with CaptureQueriesContext(connection) as ctx:
            body = self.post(rest)
        self.assertEqual(body["imported"], len(rest), body)
        return len(ctx.captured_queries)

    def test_the_statements_of_a_batch_do_not_grow_with_it(self):
        """Locks the count (issue 23 "Speed"): auth, calendar, transaction, five reads, four writes, audit. The
        same for 1 and 10 dossiers; a batch grows by one statement a table only past the database's parameter limit
        (999 on SQLite: about 50 rows a statement; insert_returning, bulk_update)."""
        small = self.count_queries(["SQ-1"])
        large = self.count_queries([f"SQ-{n}" for n in range(2, 12)])  # 10 dossiers, 40 events
        self.assertLessEqual(small, 19)
        self.assertEqual(large, small)
        self.assertEqual(Dossier.objects.filter(code__startswith="SQ-", status="done").count(), 11)

    def test_a_receipt_batch_in_a_fixed_number_of_statements(self):
        """16 receipts of past days (three violations each) cost the statements of one."""
        self.post([receipt("SR-W", local("2026-03-02", 8))])  # the first request of a test reads more (cold)
        with CaptureQueriesContext(connection) as one:
            self.post([receipt("SR-0", local("2026-03-02", 8))])
        with CaptureQueriesContext(connection) as many:
            self.post([receipt(f"SR-{n}", local("2026-03-02", 8)) for n in range(1, 17)])
        self.assertEqual(len(many.captured_queries), len(one.captured_queries))
        self.assertEqual(Dossier.objects.filter(code__startswith="SR-").count(), 18)
