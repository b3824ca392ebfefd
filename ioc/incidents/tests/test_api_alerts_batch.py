"""R4.1 (issue 12 "Speed"): POST /api/v1/incidents/alerts/ with a JSON list raises a batch in one transaction.

A bad item is refused in its place and named (row = its index, field, value, reason) while the good ones are
stored; every item bad: 422 in the shared error body with the summary; an empty or too long list: 400."""

from __future__ import annotations

from typing import Any

from django.test import TestCase

from ioc.incidents.api.batch import BATCH_MAX
from ioc.incidents.models import Alert, VerificationTimer
from ioc.incidents.tests.support import COMMUNE, IncidentsMixin, point_in
from ioc.incidents.tests.test_api_alerts import URL


class AlertBatchApiTest(IncidentsMixin, TestCase):
    def item(self, key: str, **overrides: Any) -> dict[str, Any]:
        lat, lon = point_in(COMMUNE)
        data: dict[str, Any] = {
            "source": "sensors",
            "dedup_key": key,
            "kind": "env.air_quality",
            "severity": 3,
            "title": f"PM2.5 vượt ngưỡng tại {key}",
            "lat": lat,
            "lon": lon,
        }
        data.update(overrides)
        return {k: v for k, v in data.items() if v is not None}

    def post(self, items: Any, token: str | None = None) -> Any:
        headers = {"Authorization": f"Bearer {token or self.system_token}"}
        return self.client.post(URL, items, content_type="application/json", headers=headers)

    def test_a_batch_opens_new_alerts_and_updates_repeats_in_order(self) -> None:
        self.assertEqual(self.post([self.item("a")]).status_code, 200)
        response = self.post([self.item("a", severity=2), self.item("b"), self.item("b", title="Lần 2")])
        self.assertEqual(response.status_code, 200, response.content)
        body = response.json()
        ids = dict(Alert.objects.values_list("dedup_key", "pk"))
        self.assertEqual(
            body["items"],
            [
                {"row": 0, "result": "updated", "id": ids["a"]},
                {"row": 1, "result": "created", "id": ids["b"]},
                {"row": 2, "result": "updated", "id": ids["b"]},
            ],
        )
        self.assertEqual((body["status"], body["imported"], body["updated"], body["rejected"]), ("accepted", 1, 2, 0))
        self.assertEqual(dict(Alert.objects.values_list("dedup_key", "count")), {"a": 2, "b": 2})
        self.assertEqual(Alert.objects.get(dedup_key="b").title, "Lần 2")
        self.assertEqual(VerificationTimer.objects.count(), 2)
        self.assertEqual(Alert.objects.get(dedup_key="b").raised_by, self.system_user)

    def test_a_bad_item_among_good_ones_is_named_and_the_good_ones_are_stored(self) -> None:
        items = [
            self.item("a"),
            self.item("x", kind="env.volcano", severity=9),
            "not an object",
            self.item("y", lat=10.0, lon=10.0),  # passes the shape, refused by the service: outside the territory
            self.item("b"),
        ]
        response = self.post(items)
        self.assertEqual(response.status_code, 200, response.content)
        body = response.json()
        self.assertEqual((body["status"], body["imported"], body["rejected"]), ("partial", 2, 3))
        named = {(c["row"], c["field"]) for c in body["conflicts"]}
        self.assertEqual(named, {(1, "kind"), (1, "severity"), (2, "non_field_errors"), (3, "point")})
        volcano = next(c for c in body["conflicts"] if c["field"] == "kind")
        self.assertEqual(volcano["value"], "env.volcano")
        self.assertTrue(volcano["reason"])
        self.assertEqual([line["result"] for line in body["items"]], ["created", *["rejected"] * 3, "created"])
        self.assertEqual(set(Alert.objects.values_list("dedup_key", flat=True)), {"a", "b"})

    def test_every_item_refused_is_a_422_in_the_shared_error_body_and_writes_nothing(self) -> None:
        response = self.post([self.item("x", severity=0), self.item("y", source="satellite")])
        self.assertEqual(response.status_code, 422, response.content)
        body = response.json()
        self.assertEqual(body["error"]["code"], "rejected")
        self.assertEqual(set(body["error"]["fields"]), {"0.severity", "1.source"})
        self.assertIn("request_id", body)
        self.assertEqual((body["summary"]["status"], body["summary"]["rejected"]), ("rejected", 2))
        self.assertFalse(Alert.objects.exists())

    def test_an_empty_or_too_long_list_is_a_400_naming_items(self) -> None:
        for items in ([], [self.item(f"k{i}") for i in range(BATCH_MAX + 1)]):
            with self.subTest(count=len(items)):
                response = self.post(items)
                self.assertEqual(response.status_code, 400, response.content[:300])
                self.assertIn("items", response.json()["error"]["fields"])
        self.assertFalse(Alert.objects.exists())

    def test_without_the_scope_a_batch_is_refused_whole(self) -> None:
        self.assertEqual(self.client.post(URL, [self.item("a")], content_type="application/json").status_code, 401)
        self.sign_in(self.client, self.operator)
        self.assertEqual(self.client.post(URL, [self.item("a")], content_type="application/json").status_code, 403)
        self.assertFalse(Alert.objects.exists())
