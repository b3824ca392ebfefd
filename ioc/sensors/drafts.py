"""SensorThings JSON → validated drafts, before any write (R5.5; SQLite's one write lock: docs/decisions/0004).

A `Draft` is one entity to create (its model fields, an optional client string id, and its links: nested
drafts for deep insert, or `Ref`s to existing entities). Every mistake is a `DraftError` naming the property.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

import shapely
from shapely.geometry import shape

from ioc.agencies.choices import Sensitivity
from ioc.sensors.models import EXT_ID_MAX
from ioc.sensors.sta.entities import ENTITY_SETS, EntitySet, Prop


class DraftError(ValueError):
    """Bad input in a request body: answered 400 in SensorThings' error format, nothing written."""


@dataclass(frozen=True)
class Ref:
    entity: str  # entity set name
    key: int | str


@dataclass
class Draft:
    entity: str
    fields: dict[str, Any] = field(default_factory=dict)
    ext_id: str | None = None
    links: dict[str, list[Draft | Ref]] = field(default_factory=dict)


# Links a create may carry, per entity set: nav name → (deep insert allowed, references allowed, required).
LINKS: dict[str, dict[str, tuple[bool, bool, bool]]] = {
    "Things": {"Locations": (True, True, False), "Datastreams": (True, False, False)},
    "Locations": {"Things": (False, True, False)},
    "HistoricalLocations": {"Thing": (False, True, True), "Locations": (False, True, False)},
    "Sensors": {},
    "ObservedProperties": {},
    "Datastreams": {
        "Thing": (True, True, True),
        "Sensor": (True, True, True),
        "ObservedProperty": (True, True, True),
        "Observations": (True, False, False),
    },
    "Observations": {"Datastream": (False, True, True), "FeatureOfInterest": (True, True, False)},
    "FeaturesOfInterest": {},
}
GEOJSON_TYPES = ("application/geo+json", "application/vnd.geo+json")
SERVER_MANAGED = {("Datastreams", "phenomenonTime"), ("Datastreams", "resultTime"), ("Datastreams", "observedArea")}
TEXT_MAX = {"name": 200, "definition": 500, "encodingType": 100, "observationType": 200}


def parse_time(value: Any, name: str) -> dt.datetime:
    if not isinstance(value, str):
        raise DraftError(f"{name}: cần thời điểm ISO 8601 / {name}: an ISO 8601 time is expected")
    try:
        parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise DraftError(f"{name}: thời điểm không hợp lệ / {name}: invalid time {value[:40]!r}") from None
    if parsed.tzinfo is None:
        raise DraftError(f"{name}: thời điểm thiếu múi giờ / {name}: a time zone is required")
    try:
        parsed.astimezone(dt.UTC)
    except OverflowError:  # e.g. 0001-01-01T00:00:00+14:00 is before the first instant a datetime can hold
        raise DraftError(f"{name}: thời điểm ngoài phạm vi / {name}: time out of range {value[:40]!r}") from None
    return parsed


def parse_interval(value: Any, name: str) -> tuple[dt.datetime, dt.datetime | None]:
    """An instant or an ISO 8601 interval `start/end`."""
    if isinstance(value, str) and "/" in value:
        start_text, end_text = value.split("/", 1)
        start, end = parse_time(start_text, name), parse_time(end_text, name)
        if end < start:
            raise DraftError(f"{name}: kết thúc trước bắt đầu / {name}: end before start")
        return start, end
    return parse_time(value, name), None


def geometry_point(value: Any, name: str) -> tuple[float, float]:
    """(lat, lon) of a GeoJSON geometry or Feature (its representative point)."""
    if not isinstance(value, dict):
        raise DraftError(f"{name}: cần một đối tượng GeoJSON / {name}: a GeoJSON object is expected")
    geometry = value.get("geometry") if value.get("type") == "Feature" else value
    try:
        shaped = shape(geometry)
    except Exception:  # shapely raises many kinds for bad GeoJSON
        raise DraftError(f"{name}: GeoJSON không hợp lệ / {name}: invalid GeoJSON") from None
    if shaped.is_empty:
        raise DraftError(f"{name}: hình học rỗng / {name}: empty geometry")
    point = shaped if shaped.geom_type == "Point" else shapely.Point(shaped.representative_point())
    lon, lat = float(point.x), float(point.y)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or math.isnan(lat + lon):
        raise DraftError(f"{name}: tọa độ ngoài phạm vi / {name}: coordinates out of range")
    return lat, lon


def _text(value: Any, prop: Prop) -> str:
    if not isinstance(value, str):
        raise DraftError(f"{prop.name}: cần chuỗi / {prop.name}: a string is expected")
    limit = TEXT_MAX.get(prop.name)
    if limit and len(value) > limit:
        raise DraftError(f"{prop.name}: tối đa {limit} ký tự / {prop.name}: {limit} characters at most")
    return value


def _object(value: Any, name: str, *, nullable: bool = True) -> dict[str, Any] | None:
    if value is None and nullable:
        return None
    if not isinstance(value, dict):
        raise DraftError(f"{name}: cần một đối tượng JSON / {name}: a JSON object is expected")
    return value


def numeric_result(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:  # an integer beyond a double's range (e.g. 10**400) has no numeric value
        return None
    return number if math.isfinite(number) else None


def _set_prop(entity: EntitySet, prop: Prop, value: Any, fields: dict[str, Any]) -> None:
    if prop.kind == "text":
        fields[prop.field] = _text(value, prop)
    elif prop.kind == "geo":
        fields["lat"], fields["lon"] = geometry_point(value, prop.name)
        fields[prop.field] = value
    elif prop.kind == "time":
        fields[prop.field] = None if value is None and prop.name == "resultTime" else parse_time(value, prop.name)
    elif prop.kind == "interval":
        fields[prop.field], fields[prop.end_field] = (None, None) if value is None else parse_interval(value, prop.name)
    elif prop.kind == "result":
        fields["result"], fields["result_number"] = value, numeric_result(value)
    elif prop.name in ("properties", "parameters", "unitOfMeasurement"):
        fields[prop.field] = _object(value, prop.name, nullable=prop.name != "unitOfMeasurement")
    else:
        fields[prop.field] = value
    _check_special(entity, prop, value, fields)


def _check_special(entity: EntitySet, prop: Prop, value: Any, fields: dict[str, Any]) -> None:
    geo_set = entity.name in ("Locations", "FeaturesOfInterest")
    if prop.name == "encodingType" and geo_set and value not in GEOJSON_TYPES:
        raise DraftError("encodingType: chỉ nhận application/geo+json / only application/geo+json is supported")
    if prop.name == "properties" and entity.name == "Things":
        level = (value or {}).get("sensitivity", "")
        if level not in ("", *Sensitivity.values):
            raise DraftError(
                "properties.sensitivity: public, internal hoặc restricted / public, internal or restricted"
            )
        fields["sensitivity"] = level


def _ext_id(entity: EntitySet, value: Any) -> str | None:
    if not entity.string_ids:
        raise DraftError(f"@iot.id: {entity.name} dùng số do máy chủ cấp / {entity.name} ids are server-assigned")
    if isinstance(value, str) and value and not value.isdigit() and len(value) <= EXT_ID_MAX and "'" not in value:
        return value
    raise DraftError("@iot.id: chuỗi không phải toàn số, tối đa 100 ký tự / a non-numeric string of ≤ 100 characters")


def ref_key(value: Any) -> int | str:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    if isinstance(value, str) and value:
        return int(value) if value.isdigit() else value
    raise DraftError(f"@iot.id không hợp lệ: {value!r} / Invalid @iot.id")


def _is_ref(data: dict[str, Any]) -> bool:
    return "@iot.id" in data and all(k.startswith("@iot.") for k in data)


def _link(owner: str, nav_name: str, target: str, value: Any) -> Draft | Ref:
    """A related entity: a link by `@iot.id`, or (where deep insert is allowed) one to create. Where it is not
    (an Observation's Datastream), an object with `@iot.id` is a link whatever else it carries: independent clients
    such as `frost-sta-client` send the whole related entity they read (docs/decisions/0007)."""
    deep, refs, _required = LINKS[owner][nav_name]
    if not isinstance(value, dict):
        raise DraftError(f"{nav_name}: cần một đối tượng JSON / {nav_name}: a JSON object is expected")
    if _is_ref(value) or (refs and not deep and "@iot.id" in value):
        if not refs:
            raise DraftError(f"{nav_name}: chỉ tạo mới, không liên kết / {nav_name}: create only, no links")
        return Ref(target, ref_key(value["@iot.id"]))
    if not deep:
        raise DraftError(f"{nav_name}: chỉ liên kết bằng @iot.id / {nav_name}: link by @iot.id only")
    nav = ENTITY_SETS[owner].nav(nav_name)
    assert nav is not None
    given = frozenset(n.name for n in ENTITY_SETS[target].navs if n.forward == nav.reverse)
    return parse_draft(target, value, given_links=given)


def _links(entity: EntitySet, name: str, value: Any, draft: Draft) -> None:
    nav = entity.nav(name)
    if nav is None or name not in LINKS[entity.name]:
        raise DraftError(f"{name}: không nhận khi tạo {entity.singular} / not accepted when creating")
    if nav.many:
        if not isinstance(value, list):
            raise DraftError(f"{name}: cần một mảng / {name}: an array is expected")
        draft.links[name] = [_link(entity.name, name, nav.target, item) for item in value]
    else:
        draft.links[name] = [_link(entity.name, name, nav.target, value)]


def parse_draft(entity_name: str, data: Any, *, given_links: frozenset[str] = frozenset()) -> Draft:
    """An entity to create, with its deep-inserted or referenced links; `given_links` come from the URL."""
    entity = ENTITY_SETS[entity_name]
    if not isinstance(data, dict):
        raise DraftError(f"{entity.singular}: cần một đối tượng JSON / a JSON object is expected")
    draft = Draft(entity_name)
    for key, value in data.items():
        if key == "@iot.id":
            draft.ext_id = _ext_id(entity, value)
        elif key.startswith("@iot.") or key.endswith("@iot.navigationLink") or (entity_name, key) in SERVER_MANAGED:
            continue
        elif (prop := entity.prop(key)) is not None:
            _set_prop(entity, prop, value, draft.fields)
        else:
            _unknown_or_link(entity, key, value, draft)
    missing = [p.name for p in entity.props if p.required and p.field not in draft.fields]
    missing += [
        n for n, rule in LINKS[entity_name].items() if rule[2] and n not in draft.links and n not in given_links
    ]
    if missing:
        raise DraftError(f"Thiếu thuộc tính bắt buộc: {', '.join(missing)} / Missing mandatory: {', '.join(missing)}")
    return draft


def _unknown_or_link(entity: EntitySet, key: str, value: Any, draft: Draft) -> None:
    if entity.nav(key) is None:
        raise DraftError(f"Thuộc tính không tồn tại: {key} / Unknown property: {key}")
    _links(entity, key, value, draft)


def parse_changes(entity_name: str, data: Any, *, replace: bool) -> Draft:
    """PATCH (only the given properties) or PUT (`replace`: every mandatory property). Links: to-one by
    `@iot.id` (a Datastream's Thing, Sensor, ObservedProperty; an Observation's Datastream, FeatureOfInterest)
    and a Thing's Locations."""
    entity = ENTITY_SETS[entity_name]
    if not isinstance(data, dict):
        raise DraftError(f"{entity.singular}: cần một đối tượng JSON / a JSON object is expected")
    draft = Draft(entity_name)
    for key, value in data.items():
        if key.startswith("@iot.") or key.endswith("@iot.navigationLink") or (entity_name, key) in SERVER_MANAGED:
            continue
        if (prop := entity.prop(key)) is not None:
            _set_prop(entity, prop, value, draft.fields)
            continue
        nav = entity.nav(key)
        if nav is None:
            raise DraftError(f"Thuộc tính không tồn tại: {key} / Unknown property: {key}")
        items = value if nav.many and isinstance(value, list) else [value]
        if (nav.many and (entity_name, key) != ("Things", "Locations")) or not all(
            isinstance(i, dict) and _is_ref(i) for i in items
        ):
            raise DraftError(f"{key}: chỉ sửa liên kết bằng @iot.id / {key}: change links by @iot.id only")
        draft.links[key] = [Ref(nav.target, ref_key(i["@iot.id"])) for i in items]
    if replace:
        missing = [p.name for p in entity.props if p.required and p.field not in draft.fields]
        if missing:
            raise DraftError(f"PUT cần mọi thuộc tính bắt buộc: {', '.join(missing)} / PUT needs: {', '.join(missing)}")
    return draft
