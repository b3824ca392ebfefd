"""Frictionless Table Schema, as the data hub reads it (R1.1, DESIGN "Datasets → indicators").

A schema is `{"fields": [...], "primaryKey": [...], "ioc:layer": "school"}`; a field is `{"name", "title",
"type", "constraints", "ioc:role", "ioc:filterable"}`:

- `name`: a lowercase identifier (`ten_co_so`), the JSON key and the API's column; `title`: the Vietnamese
  column header of templates (a file may use either);
- `type`: string, integer, number, boolean, date, datetime, year, geopoint (Table Schema's "lon, lat");
- `constraints`: required, minimum, maximum, minLength, maxLength, pattern, enum (the code list);
- `ioc:role`: unit (a 2025 commune code, or `legacy:<code>`), period (a DHIS2 period id), value, lat, lon, geopoint;
- `ioc:filterable`: true to index the field when the dataset is published (`indexes.py`);
- the schema's `ioc:rules`: cross-field rules (`rules.py`), named by their number when one is wrong.

`schema_errors` names every problem of a schema; the services refuse a schema with any.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _

from ioc.datahub.rules import rules_errors

FIELD_TYPES = ("string", "integer", "number", "boolean", "date", "datetime", "year", "geopoint")
ROLES = ("unit", "period", "value", "lat", "lon", "geopoint")
LAYERS = ("school", "hospital", "clinic", "tourist_site", "power", "water", "environment", "market", "other")
CONSTRAINTS = ("required", "unique", "minimum", "maximum", "minLength", "maxLength", "pattern", "enum")
NAME = re.compile(r"[a-z][a-z0-9_]{0,62}")
MAX_FIELDS = 200
_SINGLE_ROLES = ("unit", "period", "lat", "lon", "geopoint")


def field_names(schema: dict[str, Any]) -> list[str]:
    return [str(f.get("name", "")) for f in schema.get("fields", []) if isinstance(f, dict)]


def primary_key(schema: dict[str, Any]) -> list[str]:
    key = schema.get("primaryKey") or []
    return [key] if isinstance(key, str) else [str(k) for k in key]


def role_field(schema: dict[str, Any], role: str) -> str | None:
    """The name of the field carrying `ioc:role` = role, if any."""
    for f in schema.get("fields", []):
        if f.get("ioc:role") == role:
            return str(f["name"])
    return None


def filterable_fields(schema: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for f in schema.get("fields", []) if f.get("ioc:filterable") is True]


def schema_errors(schema: Any) -> list[str]:
    """Every problem of a schema, in Vietnamese (an empty list: the schema is usable)."""
    if not isinstance(schema, dict):
        return [_("Cấu trúc phải là một đối tượng JSON (Table Schema).")]
    fields = schema.get("fields")
    if not isinstance(fields, list) or not fields:
        return [_("Cấu trúc phải có danh sách trường “fields” không rỗng.")]
    if len(fields) > MAX_FIELDS:
        return [_("Tối đa %(n)d trường.") % {"n": MAX_FIELDS}]
    errors: list[str] = []
    names: list[str] = []
    for index, field in enumerate(fields, start=1):
        errors.extend(_field_errors(index, field))
        if isinstance(field, dict):
            names.append(str(field.get("name", "")))
    errors.extend(_set_errors(schema, names))
    types = {str(f.get("name")): str(f.get("type", "string")) for f in fields if isinstance(f, dict)}
    errors.extend(rules_errors(schema, types))
    return errors


def _field_errors(index: int, field: Any) -> list[str]:
    if not isinstance(field, dict):
        return [_("Trường thứ %(i)d phải là một đối tượng.") % {"i": index}]
    name = field.get("name")
    label = {"i": index, "name": name}
    errors: list[str] = []
    if not isinstance(name, str) or not NAME.fullmatch(name):
        errors.append(_("Trường thứ %(i)d: tên “%(name)s” phải là chữ thường không dấu, số, gạch dưới.") % label)
    if field.get("type", "string") not in FIELD_TYPES:
        errors.append(_("Trường “%(name)s”: kiểu dữ liệu không hỗ trợ.") % label)
    if "ioc:role" in field and field["ioc:role"] not in ROLES:
        errors.append(_("Trường “%(name)s”: ioc:role không hợp lệ.") % label)
    if "ioc:filterable" in field and not isinstance(field["ioc:filterable"], bool):
        errors.append(_("Trường “%(name)s”: ioc:filterable phải là true hoặc false.") % label)
    errors.extend(_constraint_errors(label, field.get("constraints", {})))
    return errors


def _constraint_errors(label: dict[str, Any], constraints: Any) -> list[str]:
    if not isinstance(constraints, dict):
        return [_("Trường “%(name)s”: constraints phải là một đối tượng.") % label]
    errors = [
        _("Trường “%(name)s”: ràng buộc “%(c)s” không hỗ trợ.") % {**label, "c": key}
        for key in constraints
        if key not in CONSTRAINTS
    ]
    enum = constraints.get("enum")
    if enum is not None and (not isinstance(enum, list) or not enum):
        errors.append(_("Trường “%(name)s”: danh mục mã (enum) phải là danh sách không rỗng.") % label)
    pattern = constraints.get("pattern")
    if pattern is not None:
        try:
            re.compile(str(pattern))
        except re.error:
            errors.append(_("Trường “%(name)s”: biểu thức pattern không hợp lệ.") % label)
    return errors


def _set_errors(schema: dict[str, Any], names: list[str]) -> list[str]:
    errors = [
        _("Tên trường “%(name)s” bị trùng.") % {"name": n} for n in sorted({n for n in names if names.count(n) > 1})
    ]
    errors.extend(
        _("Khóa chính “%(name)s” không phải là trường của cấu trúc.") % {"name": key}
        for key in primary_key(schema)
        if key not in names
    )
    fields = [f for f in schema["fields"] if isinstance(f, dict)]
    for role in _SINGLE_ROLES:
        if sum(1 for f in fields if f.get("ioc:role") == role) > 1:
            errors.append(_("Chỉ một trường được mang ioc:role “%(role)s”.") % {"role": role})
    roles = {f.get("ioc:role") for f in fields}
    if ("lat" in roles) != ("lon" in roles):
        errors.append(_("Vĩ độ (lat) và kinh độ (lon) phải đi cùng nhau."))
    layer = schema.get("ioc:layer")
    if layer is not None and layer not in LAYERS:
        errors.append(_("ioc:layer “%(layer)s” không hợp lệ.") % {"layer": layer})
    if layer is not None and not ({"geopoint"} & roles or "lat" in roles):
        errors.append(_("Bộ dữ liệu có lớp bản đồ (ioc:layer) phải có trường tọa độ."))
    return errors
