"""R2.1, R2.2: the catalogue changes only by an approved version; values keep the version they were reported in."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase

from ioc.accounts.testing import Personas
from ioc.audit.models import AuditEntry
from ioc.indicators import services
from ioc.indicators.models import CatalogVersion, Indicator, IndicatorRevision, Value
from ioc.indicators.tests.support import DECISION, catalogue, communes, spec, territory


class CatalogVersionTest(Personas, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        territory()
        cls.unit = communes(1)[0]

    def test_add_change_retire_make_versions_and_values_keep_theirs(self):
        v1 = catalogue(self.leader, spec("revenue"), spec("spending"))
        services.values_import(
            actor=self.officer_a,
            rows=[{"indicator": "revenue", "period": "202501", "unit": self.unit.code, "value": "5"}],
        )
        v2 = services.catalog_version_approve(
            actor=self.leader,
            change=[spec("revenue", name="Thu ngân sách")],
            retire=["spending"],
            decision_no="20/QĐ-UBND",
            decision_date=dt.date(2025, 10, 1),
            signer="Chủ tịch",
        )
        self.assertEqual((v1.number, v2.number), (1, 2))
        revenue = Indicator.objects.get(code="revenue")
        self.assertEqual((revenue.name, revenue.version), ("Thu ngân sách", v2))
        self.assertFalse(Indicator.objects.get(code="spending").is_active)
        changes = list(IndicatorRevision.objects.filter(indicator=revenue).values_list("version__number", "change"))
        self.assertEqual(changes, [(2, "change"), (1, "add")])
        self.assertEqual(Value.objects.get(indicator=revenue, unit=self.unit).version, v1)
        self.assertTrue(AuditEntry.objects.filter(action="indicator_catalog.approve", actor=self.leader).exists())

    def test_an_officer_cannot_approve(self):
        with self.assertRaises(PermissionDenied):
            catalogue(self.officer_a, spec("revenue"))
        self.assertFalse(CatalogVersion.objects.exists())

    def test_bad_definitions_are_refused_whole(self):
        cases = {
            "code": spec("Bad Code"),
            "period": spec("p1", period_type="week"),
            "levels": spec("p2", levels=["district"]),
            "range": spec("p3", direction="range"),
            "weight": spec("p4", aggregation="weighted_mean"),
            "agency": spec("p5", agency="no-such-agency"),
        }
        for label, bad in cases.items():
            with self.subTest(label), self.assertRaises(ValidationError) as caught:
                catalogue(self.leader, spec("fine"), bad)
            self.assertIn("add", caught.exception.message_dict)
        self.assertFalse(Indicator.objects.exists())

    def test_formula_cycles_and_unknown_codes_are_refused(self):
        catalogue(self.leader, spec("a"), spec("b", source="formula", formula="a * 2"))
        with self.assertRaises(ValidationError) as caught:
            services.catalog_version_approve(
                actor=self.leader, change=[spec("a", source="formula", formula="b + 1")], **DECISION
            )
        self.assertIn("a → b → a", str(caught.exception.message_dict["formula"]))
        with self.assertRaises(ValidationError) as caught:
            catalogue(self.leader, spec("c", source="formula", formula="nope + 1"))
        self.assertIn("nope", str(caught.exception.message_dict["formula"]))
        with self.assertRaises(ValidationError):  # retiring an input of a live formula leaves it unknown
            services.catalog_version_approve(actor=self.leader, retire=["a"], **DECISION)
        self.assertEqual(CatalogVersion.objects.count(), 1)
