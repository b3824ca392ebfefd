"""R4.1: POST /api/v1/incidents/alerts/resolve/ reads JSON only, as its schema says: a form or multipart body is a
415 in the shared error body and resolves nothing (the fuzzer found an undocumented 400 for a multipart body)."""

from __future__ import annotations

from pathlib import Path

import yaml
from django.test import TestCase
from django.urls import reverse

from ioc.incidents.models import Alert
from ioc.incidents.tests.support import IncidentsMixin

RESOLVE = reverse("incidents_api:alert_resolve")
SCHEMA = Path(__file__).resolve().parents[3] / "docs" / "api" / "openapi.yaml"


class ResolveBodyTest(IncidentsMixin, TestCase):
    def test_a_multipart_or_form_body_is_a_415_and_changes_nothing(self):
        headers = {"Authorization": f"Bearer {self.system_token}"}
        body = {"source": "sensors", "dedup_key": "aq-12:pm25"}
        multipart = self.client.post(RESOLVE, body, headers=headers)  # the test client's default: multipart
        form = self.client.post(
            RESOLVE, "source=sensors&dedup_key=k", content_type="application/x-www-form-urlencoded", headers=headers
        )
        for response in (multipart, form):
            self.assertEqual(response.status_code, 415, response.content)
            self.assertIn("message", response.json()["error"])
        self.assertFalse(Alert.objects.exists())

    def test_the_schema_offers_only_json(self):
        schema = yaml.safe_load(SCHEMA.read_text(encoding="utf-8"))
        body = schema["paths"]["/api/v1/incidents/alerts/resolve/"]["post"]["requestBody"]
        self.assertEqual(list(body["content"]), ["application/json"])
