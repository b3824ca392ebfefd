"""Issue 20 "Speed": the map layers' JSON gzipped at level 1 (ioc/maps/api/packing.py) — the same answer once
unpacked, Django's rules for when to pack kept."""

from __future__ import annotations

import gzip
import json
import random

from django.http import HttpResponse
from django.test import RequestFactory, SimpleTestCase, TestCase

from ioc.maps.api import packing
from ioc.maps.tests.support import MapWorld

BOX = "105.5,20.2,107.0,21.2"


class PackingRulesTest(SimpleTestCase):
    def pack(self, content: bytes, accept: str = "gzip, deflate", **headers: str) -> HttpResponse:
        request = RequestFactory().get("/", HTTP_ACCEPT_ENCODING=accept)
        response = HttpResponse(content, content_type="application/json", headers=headers)
        return packing.FastGzip().process_response(request, response)  # type: ignore[return-value]

    def test_a_long_answer_is_packed_at_level_one_and_unpacks_to_itself(self):
        body = json.dumps([{"id": k, "status": "received"} for k in range(500)]).encode()
        packed = self.pack(body)
        self.assertEqual(packed["Content-Encoding"], "gzip")
        self.assertEqual(packed["Vary"], "Accept-Encoding")
        self.assertEqual(gzip.decompress(packed.content), body)
        self.assertEqual(int(packed["Content-Length"]), len(packed.content))
        self.assertEqual(packed.content, gzip.compress(body, compresslevel=1, mtime=0))

    def test_short_unaccepted_already_packed_or_incompressible_answers_are_left_alone(self):
        body = json.dumps(list(range(300))).encode()
        self.assertFalse(self.pack(b'{"a": 1}').has_header("Content-Encoding"))
        plain = self.pack(body, accept="identity")
        self.assertFalse(plain.has_header("Content-Encoding"))
        self.assertEqual(plain["Vary"], "Accept-Encoding")
        self.assertEqual(self.pack(body, **{"Content-Encoding": "br"}).content, body)
        noise = random.Random(1).randbytes(600)  # gzip would only make it longer
        self.assertEqual(self.pack(noise).content, noise)


class PackedLayerTest(MapWorld, TestCase):
    def test_the_layer_api_answers_the_same_features_packed(self):
        for _i in range(3):
            self.report()
        self.sign_in(self.client, self.operator)
        address = f"/api/v1/maps/layers/citizen_reports/?bbox={BOX}&zoom=14"
        plain = self.client.get(address)
        packed = self.client.get(address, HTTP_ACCEPT_ENCODING="gzip")
        self.assertEqual(packed["Content-Encoding"], "gzip")
        self.assertEqual(json.loads(gzip.decompress(packed.content)), plain.json())
        self.assertEqual(len(plain.json()["features"]), 3)
