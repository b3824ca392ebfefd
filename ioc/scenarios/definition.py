"""A scenario's definition (R4.6), checked and normalised: every refusal names its place (`steps[2].agency`) and
the reason, in Vietnamese then English. The stored form is plain JSON, so a version is a snapshot of it.

```
{"incident": {"kind": "env.flood_level", "severity": 4, "title": "…"},  # what activation opens (kind registry)
 "process": "time_bound" | "immediate",                                 # must be the kind's process
 "triggers": [{"type": "alert", "kind": "env.flood_level", "min_severity": 3},
              {"type": "indicator_warning", "indicator": "<indicator code>"},
              {"type": "surge", "category": "<citizen report category code or empty>", "min_count": 0}],
 "area": null | {"type": "unit", "unit": "<2025 code>"} | {"type": "point", "lat": …, "lon": …}
       | {"type": "circle", "lat": …, "lon": …, "radius_m": …} | {"type": "polygon", "geojson": {…}},
 "steps": [{"agency": "<agency code>", "title": "…", "deadline_hours": 4, "checklist": ["…", "…"]}],
 "message": "…",                 # told to the agencies' people and the IOC leaders on activation
 "activates": ["<scenario code>"]}  # scenarios activated with this one (no cycles)
```
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ioc.agencies import selectors as agency_selectors
from ioc.common.choices import Severity
from ioc.common.plaintext import has_markup
from ioc.geo import selectors as geo_selectors
from ioc.geo.selectors import (
    Area,
    GeoInputError,
    UnitNotFoundError,
    area_from_circle,
    area_from_geojson,
    area_from_unit,
)
from ioc.incidents.choices import KINDS, Process
from ioc.indicators import selectors as indicator_selectors
from ioc.scenarios.choices import CHECKLIST_MAX, POINT_RADIUS_M, STEPS_MAX, TEXT_MAX, TITLE_MAX, TRIGGERS_MAX
from ioc.scenarios.choices import TriggerType as T

Errors = dict[str, list[str]]
MAX_DEADLINE_HOURS = 24 * 30


def _text(value: Any, *, where: str, errors: Errors, required: bool, max_length: int = TITLE_MAX) -> str:
    text = str(value or "").strip() if isinstance(value, str | int | float) or value is None else ""
    if not isinstance(value, str | type(None)):
        errors.setdefault(where, []).append(_("Phải là chữ / Must be text"))
    elif required and not text:
        errors.setdefault(where, []).append(_("Không được để trống / Required"))
    elif len(text) > max_length:
        errors.setdefault(where, []).append(_("Tối đa %(n)d ký tự / At most %(n)d characters") % {"n": max_length})
    elif has_markup(text):
        errors.setdefault(where, []).append(_("Không được chứa thẻ HTML / Must not contain HTML tags"))
    return text


def _number(value: Any, *, where: str, errors: Errors, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        errors.setdefault(where, []).append(_("Phải là một số / Must be a number"))
        return 0.0
    if not low <= value <= high:
        message = _("Phải từ %(a)s đến %(b)s / Must be between %(a)s and %(b)s") % {"a": low, "b": high}
        errors.setdefault(where, []).append(message)
    return float(value)


def _severity(value: Any, *, where: str, errors: Errors) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in Severity.values:
        errors.setdefault(where, []).append(_("Mức độ phải là số nguyên từ 1 đến 5 / Severity must be 1–5"))
        return 1
    return int(value)


def _trigger(raw: Any, i: int, errors: Errors) -> dict[str, Any]:
    where = f"triggers[{i}]"
    if not isinstance(raw, Mapping):
        errors.setdefault(where, []).append(_("Phải là một đối tượng / Must be an object"))
        return {}
    kind = raw.get("type")
    if kind == T.ALERT:
        code = str(raw.get("kind") or "")
        if code not in KINDS:
            errors.setdefault(f"{where}.kind", []).append(
                _("Loại cảnh báo không có trong danh mục: “%(v)s” / Unknown alert kind") % {"v": code[:60]}
            )
        level = _severity(raw.get("min_severity", 1), where=f"{where}.min_severity", errors=errors)
        return {"type": T.ALERT.value, "kind": code, "min_severity": level}
    if kind == T.INDICATOR:
        code = str(raw.get("indicator") or "")
        if indicator_selectors.indicator_get(code=code) is None:
            errors.setdefault(f"{where}.indicator", []).append(
                _("Chỉ số không có trong danh mục: “%(v)s” / Unknown indicator") % {"v": code[:60]}
            )
        return {"type": T.INDICATOR.value, "indicator": code}
    if kind == T.SURGE:
        category = _text(raw.get("category", ""), where=f"{where}.category", errors=errors, required=False)
        count = _number(raw.get("min_count", 0), where=f"{where}.min_count", errors=errors, low=0, high=100000)
        return {"type": T.SURGE.value, "category": category, "min_count": int(count)}
    choices = ", ".join(T.values)
    errors.setdefault(f"{where}.type", []).append(
        _("Loại điều kiện phải là một trong: %(c)s / type must be one of: %(c)s") % {"c": choices}
    )
    return {}


def _step(raw: Any, i: int, process: str, errors: Errors) -> dict[str, Any]:
    where = f"steps[{i}]"
    if not isinstance(raw, Mapping):
        errors.setdefault(where, []).append(_("Phải là một đối tượng / Must be an object"))
        return {}
    code = str(raw.get("agency") or "")
    agency = agency_selectors.agency_get(code=code)
    if agency is None or not agency.is_active:
        errors.setdefault(f"{where}.agency", []).append(
            _("Cơ quan không có hoặc đã ngừng hoạt động: “%(v)s” / Unknown agency") % {"v": code[:60]}
        )
    elif process == Process.IMMEDIATE and not agency.works_24x7:
        errors.setdefault(f"{where}.agency", []).append(
            _("Ứng phó khẩn cấp chỉ điều động lực lượng trực 24/7: %(v)s / Immediate: 24/7 forces only")
            % {"v": agency.name}
        )
    title = _text(raw.get("title"), where=f"{where}.title", errors=errors, required=True)
    hours = _number(
        raw.get("deadline_hours"), where=f"{where}.deadline_hours", errors=errors, low=0.05, high=MAX_DEADLINE_HOURS
    )
    items = raw.get("checklist", [])
    if not isinstance(items, list) or len(items) > CHECKLIST_MAX:
        errors.setdefault(f"{where}.checklist", []).append(
            _("Danh sách việc tối đa %(n)d mục / At most %(n)d items") % {"n": CHECKLIST_MAX}
        )
        items = []
    checklist = [
        _text(item, where=f"{where}.checklist[{j}]", errors=errors, required=True, max_length=300)
        for j, item in enumerate(items)
    ]
    return {"agency": code, "title": title, "deadline_hours": hours, "checklist": checklist}


def _area(raw: Any, errors: Errors) -> dict[str, Any] | None:
    if raw in (None, {}, ""):
        return None
    try:
        normal = _area_normal(raw)
        area_of(normal)
    except UnitNotFoundError:
        errors.setdefault("area", []).append(_("Không có xã, phường với mã này / Unknown unit"))
        return None
    except (GeoInputError, TypeError, ValueError, KeyError) as error:
        detail = getattr(error, "message", "") or str(error) or _("Không hợp lệ / Invalid")
        errors.setdefault("area", []).append(str(detail)[:300])
        return None
    return normal


def _area_normal(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, Mapping):
        raise ValueError(_("Vùng theo dõi phải là một đối tượng / The area must be an object"))
    kind = raw.get("type")
    if kind == "unit":
        return {"type": "unit", "unit": str(raw["unit"])}
    if kind == "point":
        return {"type": "point", "lat": float(raw["lat"]), "lon": float(raw["lon"])}
    if kind == "circle":
        return {
            "type": "circle",
            "lat": float(raw["lat"]),
            "lon": float(raw["lon"]),
            "radius_m": float(raw["radius_m"]),
        }
    if kind == "polygon":
        return {"type": "polygon", "geojson": dict(raw["geojson"])}
    raise ValueError(_("Kiểu vùng phải là unit, point, circle hoặc polygon / type: unit, point, circle or polygon"))


def area_of(normal: Mapping[str, Any] | None) -> Area | None:
    """The watched `Area` of a normalised area (None: the whole territory)."""
    if not normal:
        return None
    kind = normal["type"]
    if kind == "unit":
        return area_from_unit(geo_selectors.unit_get(ref=normal["unit"], with_geometry=True))
    if kind == "point":
        return area_from_circle(normal["lat"], normal["lon"], POINT_RADIUS_M)
    if kind == "circle":
        return area_from_circle(normal["lat"], normal["lon"], normal["radius_m"])
    return area_from_geojson(normal["geojson"])


def _list(raw: Any, key: str, limit: int, errors: Errors) -> list[Any]:
    value = raw.get(key, [])
    if not isinstance(value, list) or len(value) > limit:
        errors.setdefault(key, []).append(_("Tối đa %(n)d mục / At most %(n)d items") % {"n": limit})
        return []
    return value


def definition_clean(raw: Any, *, code: str, graph: Callable[[], dict[str, list[str]]]) -> dict[str, Any]:
    """The normalised definition, or one ValidationError naming every wrong place. `graph()` gives the other
    scenarios' `activates` lists (by code) for the cycle check."""
    errors: Errors = {}
    if not isinstance(raw, Mapping):
        raise ValidationError({"definition": [_("Phải là một đối tượng JSON / Must be a JSON object")]})
    given = raw.get("incident")
    incident: Mapping[str, Any] = given if isinstance(given, Mapping) else {}
    kind = str(incident.get("kind") or "")
    if kind not in KINDS:
        errors["incident.kind"] = [_("Loại sự cố không có trong danh mục: “%(v)s” / Unknown kind") % {"v": kind[:60]}]
    process = str(raw.get("process") or (KINDS[kind].process if kind in KINDS else ""))
    if process not in Process.values:
        errors["process"] = [_("Quy trình phải là time_bound hoặc immediate / process: time_bound or immediate")]
    elif kind in KINDS and KINDS[kind].process != process:
        errors["process"] = [
            _("Loại sự cố “%(k)s” theo quy trình %(p)s / The kind follows the %(p)s process")
            % {"k": KINDS[kind].label, "p": KINDS[kind].process}
        ]
    default_level = KINDS[kind].default_severity if kind in KINDS else 3
    normal: dict[str, Any] = {
        "incident": {
            "kind": kind,
            "severity": _severity(incident.get("severity", default_level), where="incident.severity", errors=errors),
            "title": _text(incident.get("title"), where="incident.title", errors=errors, required=True),
        },
        "process": process,
        "triggers": [_trigger(t, i, errors) for i, t in enumerate(_list(raw, "triggers", TRIGGERS_MAX, errors))],
        "area": _area(raw.get("area"), errors),
        "steps": [_step(s, i, process, errors) for i, s in enumerate(_list(raw, "steps", STEPS_MAX, errors))],
        "message": _text(raw.get("message", ""), where="message", errors=errors, required=False, max_length=TEXT_MAX),
        "activates": _activates(raw, code, graph, errors),
    }
    if errors:
        raise ValidationError(errors)
    return normal


def _activates(
    raw: Mapping[str, Any], code: str, graph: Callable[[], dict[str, list[str]]], errors: Errors
) -> list[str]:
    codes = [str(c) for c in _list(raw, "activates", STEPS_MAX, errors)]
    if not codes:
        return []
    known = graph()
    unknown = [c for c in codes if c not in known or c == code]
    if unknown:
        errors["activates"] = [
            _("Kịch bản không có (hoặc chính nó): %(v)s / Unknown scenario (or itself)") % {"v": ", ".join(unknown)}
        ]
        return codes
    known[code] = codes
    cycle = find_cycle(known, code)
    if cycle:
        errors["activates"] = [
            _("Các kịch bản kích hoạt lẫn nhau thành vòng: %(c)s / A cycle of scenarios") % {"c": " → ".join(cycle)}
        ]
    return codes


def find_cycle(graph: Mapping[str, list[str]], start: str) -> list[str]:
    """A path start → … → start through `graph`, or [] when none."""
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    seen: set[str] = set()
    while stack:
        node, path = stack.pop()
        for nxt in graph.get(node, []):
            if nxt == start:
                return [*path, start]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, [*path, nxt]))
    return []
