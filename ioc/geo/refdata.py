"""Reading the reference data shipped in `ioc/geo/data/` and planning what `units_load` writes (R6.1).

Pure functions: nothing here touches the database. `plan_units` returns the rows of both hierarchies (parents
before children) and the succession rows between loaded units, limited to some 2025 provinces / communes.
"""

from __future__ import annotations

import datetime as dt
import functools
import gzip
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import shapely
from django.utils.translation import gettext as _

from ioc.common.text import fold
from ioc.geo.choices import Hierarchy, Level

DATA_DIR = Path(__file__).resolve().parent / "data"
CURRENT_VALID_FROM = dt.date(2025, 7, 1)
LEGACY_VALID_TO = dt.date(2025, 6, 30)
LEVEL_ORDER = {Level.PROVINCE: 0, Level.DISTRICT: 1, Level.COMMUNE: 2}

# Field names of AdminUnit written by the loader (besides `parent`).
UNIT_FIELDS = (
    "name",
    "full_name",
    "name_en",
    "name_folded",
    "level",
    "unit_type",
    "path",
    "lat",
    "lon",
    "area_km2",
    "valid_from",
    "valid_to",
)
BOUNDARY_FIELDS = ("geometry", "min_lat", "min_lon", "max_lat", "max_lon")


@dataclass
class Plan:
    """What one `units_load` call writes: unit rows per hierarchy and succession rows (codes)."""

    current: list[dict[str, Any]] = field(default_factory=list)
    legacy: list[dict[str, Any]] = field(default_factory=list)
    successions: list[tuple[str, str, str]] = field(default_factory=list)  # (old legacy code, new code, kind)


@functools.lru_cache(maxsize=8)
def read_json(name: str) -> Any:
    """One data file: `<name>.gz` when present, else `<name>`. Cached per process: callers must not mutate it."""
    gz = DATA_DIR / f"{name}.gz"
    if gz.exists():
        with gzip.open(gz, "rt", encoding="utf-8") as handle:
            return json.load(handle)
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def _unit_row(raw: dict[str, Any], hierarchy: str, path: str) -> dict[str, Any]:
    current = hierarchy == Hierarchy.CURRENT
    return {
        "hierarchy": hierarchy,
        "code": raw["code"],
        "parent_code": raw["parent_code"],
        "name": raw["name"],
        "full_name": raw["full_name"],
        "name_en": raw.get("name_en") or "",
        "name_folded": fold(raw["full_name"]),
        "level": raw["level"],
        "unit_type": raw.get("type") or "",
        "path": path,
        "lat": raw.get("lat"),
        "lon": raw.get("lon"),
        "area_km2": raw.get("area_km2"),
        "valid_from": CURRENT_VALID_FROM if current else None,
        "valid_to": None if current else LEGACY_VALID_TO,
    }


def _with_paths(raws: Iterable[dict[str, Any]], hierarchy: str) -> list[dict[str, Any]]:
    """Rows sorted parents first, each with its materialised path of codes ("33/339/12345")."""
    ordered = sorted(raws, key=lambda r: (LEVEL_ORDER[Level(r["level"])], r["code"]))
    paths: dict[str, str] = {}
    rows = []
    for raw in ordered:
        parent = raw["parent_code"]
        path = raw["code"] if parent is None else f"{paths[parent]}/{raw['code']}"
        paths[raw["code"]] = path
        rows.append(_unit_row(raw, hierarchy, path))
    return rows


def _unknown(codes: Iterable[str], known: Iterable[str]) -> list[str]:
    known_set = set(known)
    return sorted(c for c in codes if c not in known_set)


def _select_current(
    units: list[dict[str, Any]], provinces: list[str] | None, communes: list[str] | None
) -> list[dict[str, Any]]:
    province_codes = {u["code"] for u in units if u["level"] == Level.PROVINCE}
    commune_parent = {u["code"]: u["parent_code"] for u in units if u["level"] == Level.COMMUNE}
    if provinces is not None and (bad := _unknown(provinces, province_codes)):
        raise ValueError(_("Mã tỉnh không có trong dữ liệu 2025 / Unknown 2025 province codes: %s") % ", ".join(bad))
    if communes is not None and (bad := _unknown(communes, commune_parent)):
        raise ValueError(_("Mã xã không có trong dữ liệu 2025 / Unknown 2025 commune codes: %s") % ", ".join(bad))
    if provinces is None and communes is None:
        return units
    keep_provinces = set(provinces) if provinces is not None else {commune_parent[c] for c in communes or ()}
    if communes is not None:
        if outside := sorted(c for c in communes if commune_parent[c] not in keep_provinces):
            raise ValueError(
                _("Xã không thuộc các tỉnh đã chọn / Communes outside the chosen provinces: %s") % ", ".join(outside)
            )
        keep_communes = set(communes)
    else:
        keep_communes = {c for c, p in commune_parent.items() if p in keep_provinces}
    return [u for u in units if u["code"] in keep_provinces or u["code"] in keep_communes]


def _select_legacy(
    legacy: list[dict[str, Any]],
    succession: list[dict[str, Any]],
    current_codes: set[str],
    *,
    whole_provinces: bool,
) -> list[dict[str, Any]]:
    """Legacy units behind the loaded 2025 units, closed upwards (a loaded commune brings its district and province)."""
    by_code = {(u["level"], u["code"]): u for u in legacy}
    wanted: set[tuple[str, str]] = {
        (row["level"], row["old_code"]) for row in succession if row["new_code"] in current_codes
    }
    if whole_provinces:
        provinces = {code for level, code in wanted if level == Level.PROVINCE}
        districts = {u["code"] for u in legacy if u["level"] == Level.DISTRICT and u["parent_code"] in provinces}
        wanted |= {(Level.DISTRICT.value, d) for d in districts}
        wanted |= {
            (Level.COMMUNE.value, u["code"])
            for u in legacy
            if u["level"] == Level.COMMUNE and u["parent_code"] in districts
        }
    keep: dict[tuple[str, str], dict[str, Any]] = {}
    parent_level = {Level.COMMUNE.value: Level.DISTRICT.value, Level.DISTRICT.value: Level.PROVINCE.value}
    for key in wanted:
        while key in by_code and key not in keep:  # 12 old codes in the succession table are not in the file
            unit = keep[key] = by_code[key]
            if unit["parent_code"] is None:
                break
            key = (parent_level[unit["level"]], unit["parent_code"])
    return list(keep.values())


def _boundaries(rows: list[dict[str, Any]]) -> None:
    """Add GeoJSON geometry text and bbox columns to 2025 rows from the two boundary files."""
    wanted = {(row["level"], row["code"]) for row in rows}
    geometry: dict[tuple[str, str], str] = {}
    for level, name in ((Level.PROVINCE, "vn_provinces_2025.geojson"), (Level.COMMUNE, "vn_communes_2025.geojson")):
        for feature in read_json(name)["features"]:
            if (key := (level.value, str(feature["id"]))) in wanted:
                geometry[key] = json.dumps(feature["geometry"], separators=(",", ":"))
    texts = [geometry.get((row["level"], row["code"]), "") for row in rows]
    parsed = shapely.from_geojson([t or '{"type":"Polygon","coordinates":[]}' for t in texts])
    bounds = shapely.bounds(parsed)
    for row, text, (min_lon, min_lat, max_lon, max_lat) in zip(rows, texts, bounds.tolist(), strict=True):
        row["geometry"] = text
        has = bool(text)
        row.update(
            min_lat=min_lat if has else None,
            min_lon=min_lon if has else None,
            max_lat=max_lat if has else None,
            max_lon=max_lon if has else None,
        )


def plan_units(*, provinces: list[str] | None, communes: list[str] | None, boundaries: bool) -> Plan:
    """R6.1: rows of the 2025 and legacy hierarchies and their succession, limited when asked."""
    current_raw = _select_current(read_json("admin_units_2025.json"), provinces, communes)
    current_codes = {u["code"] for u in current_raw}
    succession = read_json("admin_succession_2025.json")
    legacy_all = read_json("admin_units_legacy.json")
    if provinces is None and communes is None:
        legacy_raw = legacy_all
    else:
        legacy_raw = _select_legacy(legacy_all, succession, current_codes, whole_provinces=communes is None)
    plan = Plan(current=_with_paths(current_raw, Hierarchy.CURRENT), legacy=_with_paths(legacy_raw, Hierarchy.LEGACY))
    if boundaries:
        _boundaries(plan.current)
    legacy_keys = {(u["level"], u["code"]) for u in legacy_raw}
    plan.successions = [
        (row["old_code"], row["new_code"], row["kind"])
        for row in succession
        if (row["level"], row["old_code"]) in legacy_keys and row["new_code"] in current_codes
    ]
    return plan


def province_commune_codes(province_code: str) -> frozenset[str]:
    """R11: the codes of all 2025 communes of a province in the reference data (whether loaded or not)."""
    return frozenset(
        unit["code"]
        for unit in read_json("admin_units_2025.json")
        if unit["level"] == Level.COMMUNE and unit["parent_code"] == province_code
    )


def locality(key: str) -> dict[str, Any]:
    """R11: one entry of `localities.json` (`ca_mau_96`, `loc_ninh_binh_phuoc_70`, …); KeyError when unknown."""
    for entry in read_json("localities.json")["localities"]:
        if entry["key"] == key:
            return dict(entry)
    raise KeyError(key)
