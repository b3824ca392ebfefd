"""R4.1: POST /api/v1/incidents/alerts/ (scope incidents.alerts): a new alert 201, a repeat of an open dedup_key
200 with the same alert updated, bad input 400 in the shared error body naming the field, no token 401."""

from __future__ import annotations

from typing import Any

from django.test import TestCase
from django.urls import reverse

from ioc.incidents.models import Alert
from ioc.incidents.tests.support import COMMUNE, IncidentsMixin, point_in

URL = reverse("incidents_api:alert_raise")
RESOLVE = reverse("incidents_api:alert_resolve")


class AlertApiTest(IncidentsMixin, TestCase):
    def body(self, **overrides: Any) -> dict[str, Any]:
        lat, lon = point_in(COMMUNE)
        data: dict[str, Any] = {
            "source": "sensors",
            "dedup_key": "aq-12:pm25",
            "kind": "env.air_quality",
            "severity": 3,
            "title": "PM2.5 vượt ngưỡng tại trạm 12",
            "lat": lat,
            "lon": lon,
            "payload": {"pm25": 88},
        }
        data.update(overrides)
        return {k: v for k, v in data.items() if v is not None}

    def post(self, url: str = URL, **overrides: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.system_token}"}
        return self.client.post(url, self.body(**overrides), content_type="application/json", headers=headers)

    def test_new_then_repeat_is_idempotent(self) -> None:
        first = self.post()
        self.assertEqual(first.status_code, 201, first.content)
        again = self.post(severity=4)
        self.assertEqual(again.status_code, 200)
        self.assertEqual(again.json()["id"], first.json()["id"])
        self.assertEqual((again.json()["count"], again.json()["severity"]), (2, 4))
        self.assertEqual(first.json()["unit"], COMMUNE)
        self.assertEqual(Alert.objects.count(), 1)
        self.assertEqual(Alert.objects.get().raised_by, self.system_user)

    def test_a_commune_code_instead_of_a_point(self) -> None:
        response = self.post(lat=None, lon=None, unit=COMMUNE)
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["unit"], COMMUNE)

    def test_bad_input_is_a_400_naming_the_field(self) -> None:
        cases: dict[str, dict[str, Any]] = {
            "kind": {"kind": "env.volcano"},
            "severity": {"severity": 7},
            "source": {"source": "satellite"},
            "title": {"title": ""},
            "unit": {"lat": None, "lon": None, "unit": "99999"},
            "lon": {"lon": None},
            "point": {"lat": 10.0, "lon": 10.0},
            "occurred_at": {"occurred_at": "yesterday"},
        }
        for field, overrides in cases.items():
            with self.subTest(field=field):
                response = self.post(**overrides)
                self.assertEqual(response.status_code, 400, response.content)
                body = response.json()
                self.assertIn(field, body["error"]["fields"], body)
                self.assertIn("request_id", body)
        typo = self.post(severity="high")
        self.assertEqual(typo.status_code, 400)
        self.assertIn("severity", typo.json()["error"]["fields"])
        self.assertFalse(Alert.objects.exists())

    def test_a_nul_in_the_payload_is_a_400_naming_where(self) -> None:
        # issue 16: jsonb refuses "\u0000" on PostgreSQL (a 500 before); a key or a value, at any depth
        for payload, place in (
            ({"ghi_chu": "a\u0000b"}, "payload.ghi_chu"),
            ({"tram": {"k\u0000": 1}}, "payload.tram.k\u0000"),
            ({"list": [1, "\ud800"]}, "payload.list.1"),
        ):
            with self.subTest(place=place):
                response = self.post(payload=payload)
                self.assertEqual(response.status_code, 400, response.content)
                fields = response.json()["error"]["fields"]
                self.assertIn("payload", fields)
                self.assertIn(place.removeprefix("payload."), fields["payload"][0])
        self.assertFalse(Alert.objects.exists())

    def test_without_the_scope_it_is_refused(self) -> None:
        anonymous = self.client.post(URL, self.body(), content_type="application/json")
        self.assertEqual(anonymous.status_code, 401)
        self.sign_in(self.client, self.operator)
        person = self.client.post(URL, self.body(), content_type="application/json")
        self.assertEqual(person.status_code, 403)
        self.assertFalse(Alert.objects.exists())

    def test_resolve(self) -> None:
        self.post()
        done = self.post(RESOLVE, kind=None, severity=None, title=None, lat=None, lon=None, payload=None)
        self.assertEqual(done.status_code, 200, done.content)
        self.assertEqual(done.json()["state"], "resolved")
        again = self.post(RESOLVE, kind=None, severity=None, title=None, lat=None, lon=None, payload=None)
        self.assertEqual(again.status_code, 404)
