"""Shared helpers of the data hub's tests."""

from __future__ import annotations

import shapely

from ioc.geo.models import AdminUnit

COMMUNE = "11953"


def point_in(code: str = COMMUNE) -> tuple[float, float]:
    """A point surely inside a commune (its representative point), as (lat, lon)."""
    p = shapely.from_geojson(AdminUnit.objects.get(hierarchy="2025", code=code).geometry).representative_point()
    return p.y, p.x


def facility(code: str = "CS01", **changes: object) -> dict[str, object]:
    """One valid row of the facilities schema (JSON), with changes."""
    lat, lon = point_in()
    row: dict[str, object] = {
        "ma_co_so": code,
        "ten_co_so": "Trạm y tế xã",
        "loai": "tram_y_te",
        "ma_xa": COMMUNE,
        "so_giuong": 10,
        "cong_suat": 75.5,
        "ngay_cap_nhat": "2025-07-01",
        "vi_do": lat,
        "kinh_do": lon,
    }
    row.update(changes)
    return row
