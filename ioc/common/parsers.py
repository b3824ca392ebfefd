"""The REST API's JSON parser (R7.4, issue 16 part 5): DRF's own, but a document nested deeper than Python's
recursion limit, or declared in a charset other than UTF-8 (RFC 8259: JSON between systems is UTF-8), is a 400 like
any other malformed body, not a 500. A NUL or a lone surrogate in a text field is refused by the serializers' own
field checks (`ioc.common.plaintext.NO_NUL`, DRF's CharField), which name the field; SensorThings and MQTT, which
parse their bodies themselves, refuse them before parsing (`plaintext.json_has_nul`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class SafeJSONParser(JSONParser):
    def parse(
        self, stream: IO[Any], media_type: str | None = None, parser_context: Mapping[str, Any] | None = None
    ) -> Any:
        encoding = str((parser_context or {}).get("encoding") or "utf-8").lower().replace("_", "-")
        if encoding not in ("utf-8", "utf8"):
            raise ParseError("JSON phải mã hoá UTF-8 / JSON must be UTF-8 (RFC 8259)")
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError("JSON lồng nhau quá sâu / JSON parse error - nested too deeply") from exc
