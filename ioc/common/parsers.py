"""The REST API's JSON parser (R7.4, issue 16 part 5): DRF's own, but a document nested deeper than Python's
recursion limit is a 400 "JSON parse error" like any other malformed body, not a 500."""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class SafeJSONParser(JSONParser):
    def parse(
        self, stream: IO[Any], media_type: str | None = None, parser_context: Mapping[str, Any] | None = None
    ) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError("JSON parse error - nested too deeply / JSON lồng nhau quá sâu") from exc
