"""R5.5, docs/decisions/0007: PATCH with a JSON Patch (RFC 6902, `application/json-patch+json`, what
frost-sta-client's `patch` sends) changes what its operations change, through the same checks as a plain PATCH;
a bad patch is refused whole with SensorThings' error body and changes nothing."""

import json
from typing import Any

from django.test import TestCase

from ioc.sensors.models import Thing
from ioc.sensors.sta.jsonpatch import CONTENT_TYPE
from ioc.sensors.tests.sta_support import ROOT, StaClient, thing_payload


class JsonPatchTest(StaClient, TestCase):
    def setUp(self) -> None:
        super().setUp()
        self.send("POST", "Things", thing_payload("Vá"), 201)
        self.thing = Thing.objects.get()

    def patch(self, operations: Any, status: int) -> Any:
        headers: dict[str, Any] = dict(self.auth())
        path = f"{ROOT}Things({self.thing.pk})"
        response = self.client.patch(path, data=json.dumps(operations), content_type=CONTENT_TYPE, **headers)
        self.assertEqual(response.status_code, status, response.content[:300])
        return response.json()

    def test_replace_add_remove_copy_and_test_change_what_they_name(self):
        body = self.patch(
            [
                {"op": "test", "path": "/name", "value": "Vá"},
                {"op": "replace", "path": "/description", "value": "Đã vá"},
                {"op": "add", "path": "/properties/colour", "value": "đỏ"},
                {"op": "copy", "from": "/properties/colour", "path": "/properties/shade"},
                {"op": "remove", "path": "/properties/shade"},
            ],
            200,
        )
        self.thing.refresh_from_db()
        self.assertEqual(self.thing.description, "Đã vá")
        self.assertEqual(self.thing.properties, {"kind": "air", "colour": "đỏ"})
        self.assertEqual((body["name"], body["description"]), ("Vá", "Đã vá"))

    def test_bad_patches_are_refused_whole(self):
        cases = [
            ({"op": "replace", "path": "/name", "value": "x"}, "an array of operations"),
            (
                [
                    {"op": "replace", "path": "/description", "value": "x"},
                    {"op": "test", "path": "/name", "value": "B"},
                ],
                "test failed at /name",
            ),
            ([{"op": "remove", "path": "/nosuch"}], "/nosuch does not exist"),
            ([{"op": "frobnicate", "path": "/name"}], "op and path are required"),
            ([{"op": "replace", "path": "/name"}], "value is required"),
            ([{"op": "move", "path": "/name"}], "from is required"),
            ([{"op": "replace", "path": "", "value": {}}], "the whole entity"),
            ([{"op": "add", "path": "/nosuch", "value": 1}], "Unknown property: nosuch"),
            ([{"op": "remove", "path": "/name"}], "name"),
        ]
        for operations, message in cases:
            with self.subTest(message):
                body = self.patch(operations, 400)
                self.assertEqual((body["type"], body["code"]), ("error", 400))
                self.assertIn(message, body["message"])
        self.thing.refresh_from_db()
        self.assertEqual((self.thing.name, self.thing.description), ("Vá", "Trạm Vá"))

    def test_a_patch_that_grows_without_bound_or_runs_long_is_refused_and_changes_nothing(self):
        doubling = [{"op": "add", "path": "/properties/a", "value": "x" * 1000}]
        doubling += [{"op": "copy", "from": "/properties", "path": f"/properties/c{n}"} for n in range(40)]
        body = self.patch(doubling, 400)
        self.assertIn("1,000,000", json.dumps(body, ensure_ascii=False))
        body = self.patch([{"op": "test", "path": "/name", "value": "Vá"}] * 101, 400)
        self.assertIn("100", json.dumps(body, ensure_ascii=False))
        self.thing.refresh_from_db()
        self.assertNotIn("a", self.thing.properties or {})
