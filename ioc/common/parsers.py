"""The REST API's JSON parser (R7.4, issue 16 part 5): DRF's own, but a document nested deeper than Python's
recursion limit, escaping a NUL or a lone surrogate (which PostgreSQL cannot store), or declared in a charset other
than UTF-8 (RFC 8259: JSON between systems is UTF-8; another charset would also hide an escape from the check) is a
400 like any other malformed body, not a 500."""

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
        encoding = str((parser_context or {}).get("encoding") or "utf-8").lower().replace("_", "-")
        if encoding not in ("utf-8", "utf8"):
            raise ParseError("JSON phải mã hoá UTF-8 / JSON must be UTF-8 (RFC 8259)")
        raw = stream.read()
        if json_has_nul(raw):
            raise ParseError(JSON_NUL_MESSAGE)
        try:
            return super().parse(io.BytesIO(raw), media_type, parser_context)
        except RecursionError as exc:
            raise ParseError("JSON lồng nhau quá sâu / JSON parse error - nested too deeply") from exc
