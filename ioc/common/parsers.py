"""The REST API's JSON parser (R7.4, issue 16 part 5): DRF's own, but a document nested deeper than Python's
recursion limit, or escaping a NUL or a lone surrogate (which PostgreSQL cannot store), is a 400 "JSON parse error"
like any other malformed body, not a 500."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import IO, Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from ioc.common.plaintext import JSON_NUL_MESSAGE, json_has_nul


class SafeJSONParser(JSONParser):
    def parse(
        self, stream: IO[Any], media_type: str | None = None, parser_context: Mapping[str, Any] | None = None
    ) -> Any:
        raw = stream.read()
        if json_has_nul(raw):
            raise ParseError(f"JSON parse error - {JSON_NUL_MESSAGE}")
        try:
            return super().parse(io.BytesIO(raw), media_type, parser_context)
        except RecursionError as exc:
            raise ParseError("JSON parse error - nested too deeply / JSON lồng nhau quá sâu") from exc
