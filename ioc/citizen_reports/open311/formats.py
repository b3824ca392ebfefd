"""Open311 GeoReport v2 renderers (R3.1): XML (required by the spec) and JSON by the "Spark convention".

A response is a root name and a body: a list of objects for container roots (`services`, `service_requests`,
`errors`: a JSON array even with one element, repeated child elements in XML) or one object (`discovery`,
`service_definition`). Inside an object, a list value is a container whose items take the singular tag
(`endpoints` → `endpoint`, `formats` → `format`, `attributes` → `attribute`, `values` → `value`).

XML: UTF-8 with the declaration `<?xml version="1.0" encoding="utf-8"?>`, no namespace, `text/xml;
charset=utf-8`; None is an empty element, booleans are `true`/`false`; characters XML 1.0 forbids are dropped
so the document is always well-formed. JSON: UTF-8 (not \\u-escaped), `application/json; charset=utf-8`;
None is null, booleans and coordinates stay native. Datetimes are ISO 8601 with the +07:00 offset.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET  # building only; nothing here parses XML (tests use defusedxml)
from collections.abc import Mapping, Sequence
from typing import Any, Literal
from zoneinfo import ZoneInfo

from django.http import HttpResponse

Format = Literal["xml", "json"]
Body = Mapping[str, Any] | Sequence[Mapping[str, Any]]

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'
XML_CONTENT_TYPE = "text/xml; charset=utf-8"
JSON_CONTENT_TYPE = "application/json; charset=utf-8"
CHILD_TAGS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}
# Characters XML 1.0 does not allow (C0 controls but tab/newline/return, surrogates, U+FFFE/U+FFFF).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def iso_datetime(moment: dt.datetime | None) -> str | None:
    """W3C ISO 8601 in Vietnam's time with its offset: `2025-07-01T08:15:30+07:00`."""
    if moment is None:
        return None
    return moment.astimezone(LOCAL_TZ).isoformat(timespec="seconds")


def _xml_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return iso_datetime(value)
    return _XML_INVALID.sub("", str(value))


def _fill(element: ET.Element, item: Mapping[str, Any]) -> None:
    for key, value in item.items():
        child = ET.SubElement(element, key)
        if isinstance(value, list | tuple):
            _fill_list(child, key, value)
        elif isinstance(value, Mapping):
            _fill(child, value)
        else:
            child.text = _xml_text(value)


def _fill_list(container: ET.Element, key: str, values: Sequence[Any]) -> None:
    tag = CHILD_TAGS[key]
    for value in values:
        child = ET.SubElement(container, tag)
        if isinstance(value, Mapping):
            _fill(child, value)
        else:
            child.text = _xml_text(value)


def to_xml(root: str, body: Body) -> bytes:
    """The XML document, declaration first, UTF-8."""
    element = ET.Element(root)
    if isinstance(body, Mapping):
        _fill(element, body)
    else:
        _fill_list(element, root, body)
    return (XML_DECLARATION + ET.tostring(element, encoding="unicode")).encode("utf-8")


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return iso_datetime(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def to_json(body: Body) -> bytes:
    """The JSON document: a list body is an array (even of one), an object body an object."""
    data: Any = dict(body) if isinstance(body, Mapping) else [dict(item) for item in body]
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=_json_default).encode("utf-8")


def render(fmt: Format, root: str, body: Body, *, status: int = 200) -> HttpResponse:
    if fmt == "json":
        return HttpResponse(to_json(body), status=status, content_type=JSON_CONTENT_TYPE)
    return HttpResponse(to_xml(root, body), status=status, content_type=XML_CONTENT_TYPE)


def render_errors(fmt: Format, status: int, errors: Sequence[tuple[int, str]]) -> HttpResponse:
    """The spec's error body: `<errors><error><code/><description/></error>…` / `[{"code", "description"}]`."""
    body = [{"code": code, "description": description} for code, description in errors]
    return render(fmt, "errors", body, status=status)


def format_of(path: str) -> Format:
    """The format a path asks for (`….json` → JSON); XML otherwise, since XML is the spec's required format."""
    return "json" if path.rstrip("/").lower().endswith(".json") else "xml"
