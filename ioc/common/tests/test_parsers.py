"""The REST API's JSON parser (issue 16 part 5): another charset than UTF-8 and a body nested too deeply are a 400
(DRF's ParseError) naming why; text with escapes parses as it is. And `json_has_nul`, the check SensorThings and MQTT
run on their bodies before parsing."""

from __future__ import annotations

import io
import json

from django.test import SimpleTestCase
from rest_framework.exceptions import ParseError

from ioc.common.parsers import SafeJSONParser
from ioc.common.plaintext import json_has_nul


def parse(raw: bytes) -> object:
    return SafeJSONParser().parse(io.BytesIO(raw), "application/json", {})


class SafeJSONParserTest(SimpleTestCase):
    def test_json_has_nul_finds_a_nul_or_lone_surrogate_escape_in_keys_and_values(self) -> None:
        # what SensorThings and MQTT refuse before parsing (ioc.common.plaintext.json_has_nul)
        for raw in (
            b'{"ghi_chu": "a\\u0000b"}',
            b'{"k\\u0000": 1}',
            b'["\\ud800"]',
            b'["\\udc00 alone"]',
            b'["\\ud83d\\u0041"]',  # a high surrogate followed by something else
            b'["\\\\\\u0000"]',  # an escaped backslash, then the escape of a NUL
            b'["\\\\ud83d\\udc00"]',  # an escaped backslash, the text "ud83d", then a lone low surrogate
        ):
            with self.subTest(raw=raw):
                self.assertTrue(json_has_nul(raw))

    def test_another_charset_than_utf8_is_refused(self) -> None:
        body = '{"ghi_chu": "\\u0000"}'.encode("utf-16")
        with self.assertRaisesMessage(ParseError, "UTF-8"):
            SafeJSONParser().parse(io.BytesIO(body), "application/json", {"encoding": "utf-16"})

    def test_escaped_text_parses_as_it_is(self) -> None:
        for value in ("Trạm y tế", "🏥 bệnh viện", "\\u0000 as typed text", "tab\tand line\n"):
            with self.subTest(value=value):
                self.assertEqual(parse(json.dumps({"v": value}).encode()), {"v": value})
                self.assertFalse(json_has_nul(json.dumps({"v": value}).encode()))

    def test_a_body_nested_too_deeply_is_a_parse_error(self) -> None:
        with self.assertRaisesMessage(ParseError, "nested too deeply"):
            parse(b"[" * 100_000 + b"]" * 100_000)
