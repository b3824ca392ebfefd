"""R2.3 configuration page: a leader sets targets (the territory's annual target, a commune's monthly one) and the
statuses follow; an officer is refused; each kind of bad input is an error on its field and writes nothing."""

from django.test import TestCase

from ioc.accounts.testing import Personas
from ioc.audit.models import AuditEntry
from ioc.indicators import services
from ioc.indicators.models import Target, Value
from ioc.indicators.tests.support import DECISION, catalogue, communes, spec, territory


class TargetPageTest(Personas, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        territory()
        cls.unit = communes(1)[0]
        catalogue(cls.leader, spec("revenue"), spec("spending"))
        services.catalog_version_approve(actor=cls.leader, retire=["spending"], **DECISION)
        services.values_import(
            actor=cls.officer_a, rows=[{"indicator": "revenue", "period": "202601", "unit": cls.unit.code, "value": 8}]
        )

    def test_the_leader_sets_targets_and_statuses_follow(self):
        self.sign_in(self.client, self.leader)
        self.assertEqual(self.client.get("/chi-so/cau-hinh/chi-tieu/").status_code, 200)
        data = {"indicator": "revenue", "unit": self.unit.code, "period": "202601", "value": "10"}
        self.assertEqual(self.client.post("/chi-so/cau-hinh/chi-tieu/", data).status_code, 302)
        self.assertEqual(Target.objects.get(unit=self.unit).value, 10)
        self.assertEqual(Value.objects.get(unit=self.unit, period="202601").status, "not_met")
        self.assertEqual(AuditEntry.objects.filter(action="indicator_target.set").latest("pk").actor, self.leader)
        annual = {"indicator": "revenue", "unit": "territory", "period": "2026", "value": "120"}
        self.assertEqual(self.client.post("/chi-so/cau-hinh/chi-tieu/", annual).status_code, 302)
        self.assertContains(self.client.get("/chi-so/cau-hinh/chi-tieu/"), "2026")

    def test_an_officer_is_refused(self):
        self.sign_in(self.client, self.officer_a)
        data = {"indicator": "revenue", "unit": "territory", "period": "2026", "value": "1"}
        self.assertEqual(self.client.post("/chi-so/cau-hinh/chi-tieu/", data).status_code, 403)
        self.assertFalse(Target.objects.exists())

    def test_bad_input_is_an_error_on_its_field(self):
        self.sign_in(self.client, self.leader)
        good = {"indicator": "revenue", "unit": "territory", "period": "2026", "value": "1"}
        cases = {
            "indicator": {**good, "indicator": "spending"},  # retired: not offered
            "period": {**good, "period": "2026Q1x"},
            "unit": {**good, "unit": "99999"},
            "value": {**good, "value": "-5"},
        }
        for field, data in cases.items():
            with self.subTest(field):
                response = self.client.post("/chi-so/cau-hinh/chi-tieu/", data)
                self.assertContains(response, f'data-field="{field}"', status_code=400)
        wrong_type = self.client.post("/chi-so/cau-hinh/chi-tieu/", {**good, "period": "2026Q1"})
        self.assertContains(wrong_type, 'data-field="period"', status_code=400)
        not_a_number = self.client.post("/chi-so/cau-hinh/chi-tieu/", {**good, "value": "nhiều"})
        self.assertContains(not_a_number, 'data-field="value"', status_code=400)
        self.assertFalse(Target.objects.exists())
