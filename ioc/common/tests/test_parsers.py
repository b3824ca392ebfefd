"""The REST API's JSON parser (issue 16 part 5): a NUL or a lone surrogate escaped anywhere in the body, and a body
nested too deeply, are a 400 "JSON parse error" (DRF's ParseError) naming why; text with escapes parses as it is."""

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
    def test_nul_and_lone_surrogates_are_refused_in_keys_and_values(self) -> None:
        for raw in (
            b'{"ghi_chu": "a\\u0000b"}',
            b'{"k\\u0000": 1}',
            b'["\\ud800"]',
            b'["\\udc00 alone"]',
            b'["\\ud83d\\u0041"]',  # a high surrogate followed by something else
            b'["\\\\\\u0000"]',  # an escaped backslash, then the escape of a NUL
            b'["\\\\ud83d\\udc00"]',  # an escaped backslash, the text "ud83d", then a lone low surrogate
        ):
            with self.subTest(raw=raw), self.assertRaisesMessage(ParseError, "NUL"):
                parse(raw)

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
