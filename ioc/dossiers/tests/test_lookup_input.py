"""R5.3, issue 3 "Bad input": the lookup's code and contact may not hold a NUL or a lone surrogate (PostgreSQL
cannot store one, DRF refuses it); the refusal is a 400 naming the field, and the schema announces it as the
fields' `pattern` (the fuzzer found the 400 undocumented). The API reads JSON only (the page takes the form):
a form body was generated past the pattern."""

from __future__ import annotations

from pathlib import Path

import yaml
from django.test import TestCase
from django.urls import reverse

from ioc.dossiers.tests.helpers import PHONE

API = reverse("dossiers_api:lookup")
SCHEMA = Path(__file__).resolve().parents[3] / "docs" / "api" / "openapi.yaml"


class LookupInputTests(TestCase):
    def test_a_nul_in_the_contact_or_the_code_is_a_400_naming_the_field(self):
        for field, body in (
            ("contact", {"code": "L-1", "contact": "0900\x00"}),
            ("code", {"code": "L\x00", "contact": PHONE}),
        ):
            with self.subTest(field=field):
                response = self.client.post(API, body, content_type="application/json")
                self.assertEqual(response.status_code, 400, response.content)
                fields = response.json()["error"]["fields"]
                self.assertEqual(list(fields), [field])
                self.assertIn("Không được chứa ký tự NUL", fields[field][0])

    def test_a_form_body_is_a_415_json_only_as_documented(self):
        response = self.client.post(API, {"code": "L-1", "contact": "0900\x00"})  # multipart
        self.assertEqual(response.status_code, 415, response.content)
        form = self.client.post(API, "code=%09&contact=%00_", content_type="application/x-www-form-urlencoded")
        self.assertEqual(form.status_code, 415, form.content)

    def test_the_schema_announces_it(self):
        schema = yaml.safe_load(SCHEMA.read_text(encoding="utf-8"))
        properties = schema["components"]["schemas"]["LookupInputRequest"]["properties"]
        for field in ("code", "contact"):
            with self.subTest(field=field):
                self.assertRegex("0900000123", properties[field]["pattern"])
                self.assertNotRegex("0900\x00", properties[field]["pattern"])
        body = schema["paths"]["/api/v1/dossiers/lookup/"]["post"]["requestBody"]
        self.assertEqual(list(body["content"]), ["application/json"])
