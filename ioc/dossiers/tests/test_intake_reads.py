"""R5.3 (issue 23 "Speed"): the intake's reads in plain SQL (`common.rawread`) give what the ORM gives, and the
procedures' reference rows kept per process follow a new version at once."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ioc.accounts.testing import Personas
from ioc.common.rawread import Reader, placeholders
from ioc.dossiers import selectors, services
from ioc.dossiers.models import Dossier, DossierEvent, Violation
from ioc.dossiers.tests.helpers import DOCS, PROCEDURE, event, local, procedure_create, receipt
from ioc.geo.choices import Hierarchy, Level
from ioc.geo.models import AdminUnit

URL = reverse("dossiers_api:events")
EVENT_FIELDS = ["dossier_id", "kind", "occurred_at", "stored_at", "new_due_at", "documents", "amount", "rating"]
EVENT_FIELDS += ["digitised", "reason"]


class IntakeReadsTests(Personas, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        procedure_create(cls.admin)

    def post(self, rows: list[dict[str, Any]]) -> dict[str, Any]:
        auth = f"Bearer {self.system_token}"
        response = self.client.post(URL, json.dumps(rows), content_type="application/json", HTTP_AUTHORIZATION=auth)
        self.assertEqual(response.status_code, 200, response.content)
        return dict(response.json())

    def test_rows_are_converted_as_the_orm_converts_them(self):
        unit = AdminUnit.objects.filter(level=Level.COMMUNE, hierarchy=Hierarchy.CURRENT).first()
        assert unit is not None
        rows = [
            receipt("RR-1", local("2026-03-02", 8), unit=unit.code),
            event("RR-1", "apology", local("2026-03-02", 9), "RR-1-a", new_due=local("2026-03-09", 16).isoformat()),
            event("RR-1", "payment", local("2026-03-02", 10), "RR-1-p", amount="150000"),
            event("RR-1", "result_returned", local("2026-03-03", 9), "RR-1-z", digitised=True),
            receipt("RR-2", local("2026-03-02", 8), documents=[]),  # no commune; documents missing: a violation
        ]
        self.assertEqual(self.post(rows)["imported"], 5)
        reader = Reader(DossierEvent, EVENT_FIELDS)
        ids = list(Dossier.objects.values_list("pk", flat=True))
        raw = reader.rows(f"dossier_id IN {placeholders(len(ids))}", ids, suffix="ORDER BY id")
        orm = list(DossierEvent.objects.filter(dossier_id__in=ids).order_by("pk").values_list(*EVENT_FIELDS))
        self.assertEqual(raw, orm)
        self.assertEqual({type(row[2]) for row in raw}, {dt.datetime})
        self.assertTrue(all(row[2].tzinfo is not None for row in raw))
        self.assertIn(Decimal("150000"), [row[6] for row in raw])
        self.assertEqual(raw[0][5], list(DOCS))  # the receipt's documents: JSON parsed into a list

        violations = Reader(Violation, [f.attname for f in Violation._meta.concrete_fields])
        for found in violations.models("state = %s", ["open"]):
            expected = Violation.objects.get(pk=found.pk)
            for f in Violation._meta.concrete_fields:
                self.assertEqual(getattr(found, f.attname), getattr(expected, f.attname), f.name)

    def test_follow_reads_the_related_row_or_none(self):
        unit = AdminUnit.objects.filter(level=Level.COMMUNE, hierarchy=Hierarchy.CURRENT).first()
        assert unit is not None
        self.post([receipt("RF-1", local("2026-03-02", 8), unit=unit.code), receipt("RF-2", local("2026-03-02", 8))])
        reader = Reader(Dossier, ["id", "code", "unit_id"], follow="unit")
        with CaptureQueriesContext(connection) as ctx:
            found = {d.code: d for d in reader.models("t.code IN (%s, %s)", ["RF-1", "RF-2"])}
            self.assertEqual(found["RF-1"].unit, unit)
            self.assertEqual(found["RF-1"].unit.name, unit.name)
            self.assertIsNone(found["RF-2"].unit)
        self.assertEqual(len(ctx.captured_queries), 1)  # the related row came with it

    def test_a_new_version_is_taken_by_the_next_receipt(self):
        """The versions in force are kept per process (selectors.versions_in_force); adding one drops them."""
        self.post([receipt("RV-1", local("2026-03-02", 8))])
        first = Dossier.objects.get(code="RV-1").version
        newer = services.procedure_version_set(
            code=PROCEDURE,
            name="Thủ tục mẫu",
            field="Thử nghiệm",
            effective_from=dt.date(2026, 3, 3),
            limit_days="5",
            steps=[{"code": "tiep-nhan", "name": "Tiếp nhận", "allotted_days": "5"}],
            actor=self.admin,
        )
        self.post([receipt("RV-2", local("2026-03-03", 8)), receipt("RV-3", local("2026-03-02", 15))])
        self.assertEqual(Dossier.objects.get(code="RV-2").version, newer)
        self.assertEqual(Dossier.objects.get(code="RV-3").version, first)  # received before the new one's date
        self.assertEqual(selectors.version_shape(version_id=newer.pk).limit_days, Decimal("5.00"))  # type: ignore[union-attr]
        # The newer version's own step list judges its dossier: an unknown step of it is refused by name.
        body = self.post([event("RV-2", "step_done", local("2026-03-03", 9), "RV-2-x", step="tham-dinh")])
        self.assertEqual([(c["field"], c["value"]) for c in body["conflicts"]], [("step", "tham-dinh")])
