"""R2.3: values in, all or nothing — each kind of bad input is a conflict naming row, field and reason."""

from django.test import TestCase

from ioc.accounts.testing import Personas
from ioc.audit.models import AuditEntry
from ioc.indicators import services
from ioc.indicators.models import Value
from ioc.indicators.tests.support import catalogue, communes, spec, territory


class ValuesImportTest(Personas, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        territory()
        cls.units = communes(3)
        catalogue(
            cls.leader,
            spec("revenue"),
            spec("quarterly", period_type="quarter"),
            spec("province_only", levels=["territory"]),
            spec("balance", allow_negative=True),
            spec("other_agency", agency="persona-agency-b"),
            spec("ratio", source="formula", formula="revenue / 2"),
        )

    def row(self, indicator="revenue", period="202501", unit=None, value="10"):
        return {
            "indicator": indicator,
            "period": period,
            "unit": self.units[0].code if unit is None else unit,
            "value": value,
        }

    def test_a_clean_batch_is_stored_with_one_audit_entry(self):
        summary = services.values_import(
            actor=self.officer_a, rows=[self.row(), self.row(unit=self.units[1].code, value="2,5")]
        )
        self.assertEqual((summary["status"], summary["imported"]), ("accepted", 2))
        self.assertEqual(Value.objects.filter(computed=False).count(), 2)
        entry = AuditEntry.objects.get(action="indicator_value.import")
        self.assertEqual(entry.row_count, 2)
        again = services.values_import(actor=self.officer_a, rows=[self.row(value="11")])
        self.assertEqual((again["imported"], again["updated"]), (0, 1))

    def test_dry_run_counts_and_stores_nothing(self):
        summary = services.values_import(actor=self.officer_a, rows=[self.row()], dry_run=True)
        self.assertEqual((summary["status"], summary["imported"]), ("accepted", 1))
        self.assertFalse(Value.objects.exists())

    def test_each_bad_row_is_named_and_nothing_is_stored(self):
        cases = [
            (self.row(period="2025Q1"), "period", "Wrong period type"),
            (self.row(period="2025-01"), "period", "Invalid period"),
            (self.row(indicator="quarterly", period="202501"), "period", "Wrong period type"),
            (self.row(unit="99999"), "orgUnit", "outside the territory"),
            (self.row(indicator="province_only"), "orgUnit", "Not reported at this level"),
            (self.row(value="abc"), "value", "Not a number"),
            (self.row(value="nan"), "value", "Not a finite number"),
            (self.row(value="-1"), "value", "Negative"),
            (self.row(indicator="nope"), "dataElement", "Unknown or retired"),
            (self.row(indicator="other_agency"), "dataElement", "Another agency"),
            (self.row(indicator="ratio"), "dataElement", "Computed by formula"),
        ]
        for bad, field, reason in cases:
            with self.subTest(field=field, reason=reason):
                summary = services.values_import(actor=self.officer_a, rows=[self.row(unit=self.units[2].code), bad])
                self.assertEqual(summary["status"], "rejected")
                self.assertEqual(summary["imported"], 0)
                (conflict,) = summary["conflicts"]
                self.assertEqual((conflict["row"], conflict["field"]), (2, field))
                self.assertIn(reason, conflict["reason"])
        self.assertFalse(Value.objects.exists())

    def test_a_repeated_row_is_a_conflict(self):
        summary = services.values_import(actor=self.officer_a, rows=[self.row(), self.row(value="3")])
        self.assertEqual(summary["conflicts"][0]["row"], 2)
        self.assertFalse(Value.objects.exists())

    def test_negative_values_where_allowed_and_territory_codes(self):
        summary = services.values_import(
            actor=self.officer_a,
            rows=[
                self.row(indicator="balance", value="-4"),
                self.row(indicator="province_only", unit="33"),
                self.row(indicator="revenue", unit="territory", period="202502"),
            ],
        )
        self.assertEqual(summary["imported"], 3, summary)
        self.assertEqual(Value.objects.filter(unit__isnull=True, computed=False).count(), 2)

    def test_the_ioc_reports_any_indicator_but_an_officer_only_their_agencys(self):
        summary = services.values_import(actor=self.operator, rows=[self.row(indicator="other_agency")])
        self.assertEqual(summary["status"], "accepted")
        summary = services.values_import(actor=self.officer_b, rows=[self.row()])
        self.assertEqual(summary["status"], "rejected")
