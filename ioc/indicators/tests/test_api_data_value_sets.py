"""R2.3: POST /api/v1/indicators/dataValueSets/ — JSON and CSV, dryRun, the import summary, conflicts as 409 with
the shared error body, bad payloads as 400, the token scope `indicators.values`."""

import json

from django.test import TestCase

from ioc.accounts.testing import Personas
from ioc.indicators.models import Value
from ioc.indicators.tests.support import catalogue, communes, spec, territory

URL = "/api/v1/indicators/dataValueSets/"


class DataValueSetsApiTest(Personas, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        territory()
        cls.unit = communes(1)[0]
        catalogue(cls.leader, spec("revenue"))

    def post_json(self, payload, query="", **headers):
        return self.client.post(URL + query, json.dumps(payload), content_type="application/json", **headers)

    def values(self, value="12", period="202503"):
        return {"dataValues": [{"dataElement": "revenue", "period": period, "orgUnit": self.unit.code, "value": value}]}

    def test_an_information_system_imports_json_with_its_token(self):
        response = self.post_json(self.values(), **self.bearer())
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["imported"], 1)
        self.assertEqual(Value.objects.get(unit=self.unit).value, 12)
        self.assertEqual(Value.objects.get(unit__isnull=True).value, 12)  # aggregated up

    def test_a_nul_in_a_data_value_is_a_400_naming_the_place(self):
        # issue 16: a NUL reaches PostgreSQL's text columns and look-ups (a 500 there before)
        body = self.values()
        body["dataValues"][0]["orgUnit"] = "x\u0000"
        response = self.post_json(body, **self.bearer())
        self.assertEqual(response.status_code, 400, response.content)
        self.assertIn("dataValues.0.orgUnit", response.json()["error"]["fields"])
        self.assertFalse(Value.objects.exists())

    def test_csv_with_dhis2_columns(self):
        self.sign_in(self.client, self.officer_a)
        body = f"dataelement,period,orgunit,categoryoptioncombo,value\nrevenue,202503,{self.unit.code},x,7.5\n"
        response = self.client.post(URL, body, content_type="text/csv")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(Value.objects.get(unit=self.unit).value, 7.5)

    def test_dry_run_stores_nothing(self):
        response = self.post_json(self.values(), "?dryRun=true", **self.bearer())
        self.assertEqual((response.status_code, response.json()["imported"]), (200, 1))
        self.assertFalse(Value.objects.exists())

    def test_conflicts_answer_409_naming_row_field_and_reason(self):
        response = self.post_json(self.values(value="-3"), **self.bearer())
        self.assertEqual(response.status_code, 409)
        body = response.json()
        self.assertEqual(body["error"]["code"], "import_conflicts")
        self.assertIn("row 1.value", body["error"]["fields"])
        self.assertEqual(body["summary"]["status"], "rejected")
        self.assertFalse(Value.objects.exists())

    def test_bad_payloads_answer_400(self):
        self.sign_in(self.client, self.officer_a)
        cases = [
            ({"values": []}, "", "dataValues"),
            ({"dataValues": ["x"]}, "", "dataValues"),
            (self.values(), "?dryRun=maybe", "dryRun"),
        ]
        for payload, query, field in cases:
            with self.subTest(field=field):
                response = self.post_json(payload, query)
                self.assertEqual(response.status_code, 400)
                self.assertIn(field, response.json()["error"]["fields"])
        response = self.client.post(URL, "period,value\n202503,1\n", content_type="text/csv")
        self.assertEqual(response.status_code, 400)
        self.assertIn("csv", response.json()["error"]["fields"])

    def test_a_citizen_and_an_anonymous_caller_are_refused(self):
        self.assertEqual(self.post_json(self.values()).status_code, 401)
        self.sign_in(self.client, self.citizen)
        self.assertEqual(self.post_json(self.values()).status_code, 403)
        self.assertFalse(Value.objects.exists())
